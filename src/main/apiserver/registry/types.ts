// The registry contract: how one Kubernetes kind is described to the generic REST
// handlers, discovery, OpenAPI and table printing. Each kind lives in its own file
// under ../kinds/ and exports one ResourceDefinition.
import type { KubeObject } from '../../../shared/api/meta';

/** JSONSchema is the OpenAPI v3 schema subset the registry uses to describe fields. */
export interface JSONSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: JSONSchema | boolean;
  items?: JSONSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  /** Reference to a named definition, '#/components/schemas/<name>'. */
  $ref?: string;
  allOf?: JSONSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  /** Strategic merge patch: how a list merges ('merge' or 'replace', optionally ',retainKeys'). */
  'x-kubernetes-patch-strategy'?: string;
  /** Strategic merge patch: the field that identifies list items. */
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

/** FieldError is one validation failure, in Kubernetes' field error vocabulary. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong. */
  reason: string;
  /** Dotted path with indexes, e.g. spec.containers[0].image. */
  field: string;
  /** The message Kubernetes would print, e.g. 'Required value'. */
  message: string;
}

/** Verb is an API verb advertised in discovery. */
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

/** TableColumn is one column of `kubectl get` output (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 = always shown; >0 = only with -o wide. */
  priority: number;
}

/** ScaleSubresource says where a kind keeps its replica counts, for /scale. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** ResourceDefinition describes one kind to the generic API machinery. */
export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. 'pods'. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  /** Subresources the kind serves besides the object itself. */
  subresources?: {
    status?: boolean;
    scale?: ScaleSubresource;
    /** Names of connect-style subresources (log, exec, attach, portforward, binding, eviction). */
    other?: string[];
  };
  /** Name of the kind's schema in `definitions`. */
  schemaName: string;
  /** Named schemas this kind needs (its own and the ones it references). */
  definitions: Record<string, JSONSchema>;
  /** True when objects of this kind are not persisted (e.g. SelfSubjectAccessReview). */
  virtual?: boolean;
  /** Fills in defaults in place, the way the real apiserver defaults before validation. */
  defaults?(obj: T): void;
  /** Validates a create (old undefined) or an update; returns every field error found. */
  validate?(obj: T, old?: T): FieldError[];
  /** Prepares a create: e.g. clears status on kinds with a status subresource. */
  prepareForCreate?(obj: T): void;
  /** Prepares an update of the main resource: e.g. keeps old status. */
  prepareForUpdate?(obj: T, old: T): void;
  /** Table columns and one row per object for `kubectl get`. */
  table?: { columns: TableColumn[]; row(obj: T, now: Date): unknown[] };
  /** Extra fieldSelector fields beyond metadata.name and metadata.namespace. */
  fieldSelectors?: Record<string, (obj: T) => string | undefined>;
}
