// defineKind turns a compact description of a kind into the registry's
// ResourceDefinition: it builds the top-level schema and its $ref closure, adds the
// metadata validation every kind shares, and keeps metadata.generation for kinds
// that have one.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError, JSONSchema, ResourceDefinition, TableColumn, Verb } from '../registry/types';
import { sharedDefinitions } from './catalog';
import type { Definitions } from './schema';
import { closure, kindSchema } from './schema';
import { scaleDefinitions } from './scale';
import type { NameRule } from './validation';
import { clone, semanticEqual, validateObjectMeta, validateObjectMetaUpdate } from './validation';

/** allVerbs are the verbs of an ordinary persisted kind. */
export const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const groupPackages: Record<string, string> = {
  '': 'io.k8s.api.core.v1.',
  apps: 'io.k8s.api.apps.v1.',
  batch: 'io.k8s.api.batch.v1.',
  'discovery.k8s.io': 'io.k8s.api.discovery.v1.',
  'coordination.k8s.io': 'io.k8s.api.coordination.v1.',
  'authorization.k8s.io': 'io.k8s.api.authorization.v1.',
  'rbac.authorization.k8s.io': 'io.k8s.api.rbac.v1.',
  'storage.k8s.io': 'io.k8s.api.storage.v1.',
  autoscaling: 'io.k8s.api.autoscaling.v1.',
};

/** schemaPrefix returns the OpenAPI name prefix of a group's definitions, e.g. io.k8s.api.apps.v1. */
export function schemaPrefix(group: string): string {
  const prefix = groupPackages[group];
  if (!prefix) throw new Error(`no schema package known for API group "${group}"`);
  return prefix;
}

/** KindSpec is what a kind file writes; defineKind fills in the rest. */
export interface KindSpec<T extends KubeObject> {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: Verb[];
  subresources?: ResourceDefinition['subresources'];
  virtual?: boolean;
  /** Rule for metadata.name; DNS-1123 subdomain by default. */
  nameRule?: NameRule;
  /** 'none' skips metadata validation, for nameless virtual kinds such as access reviews. */
  metadata?: 'standard' | 'none';
  /** Description of the kind for its schema and `kubectl explain`. */
  description: string;
  /** Top-level fields besides apiVersion, kind and metadata (spec, status, data, ...). */
  properties: Record<string, JSONSchema>;
  required?: string[];
  /** Named schemas this kind adds to the shared catalog. */
  definitions?: Definitions;
  defaults?(obj: T): void;
  /** Kind-specific validation; metadata is validated by defineKind. */
  validate?(obj: T, old?: T): FieldError[];
  prepareForCreate?(obj: T): void;
  prepareForUpdate?(obj: T, old: T): void;
  /**
   * Part of the object whose changes bump metadata.generation (starting at 1 on
   * create). Absent: the kind has no generation.
   */
  generation?: (obj: T) => unknown;
  table?: { columns: TableColumn[]; row(obj: T, now: Date): unknown[] };
  fieldSelectors?: Record<string, (obj: T) => string | undefined>;
}

/** defineKind builds a ResourceDefinition from a KindSpec. */
export function defineKind<T extends KubeObject>(spec: KindSpec<T>): ResourceDefinition {
  const schemaName = schemaPrefix(spec.group) + spec.kind;
  const own = kindSchema(
    { group: spec.group, version: spec.version, kind: spec.kind },
    spec.description,
    spec.properties,
    spec.required,
  );
  const definitions = closure(schemaName, { ...sharedDefinitions, ...spec.definitions, [schemaName]: own });
  // The scale subresource speaks autoscaling/v1 Scale, so its schema belongs to the kind's documents.
  if (spec.subresources?.scale) Object.assign(definitions, scaleDefinitions);
  const checkMeta = spec.metadata !== 'none';
  const metaOptions = { namespaced: spec.namespaced, nameRule: spec.nameRule ?? 'subdomain' };
  const generationOf = spec.generation;

  const def: ResourceDefinition<T> = {
    group: spec.group,
    version: spec.version,
    kind: spec.kind,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    verbs: spec.verbs ?? allVerbs,
    schemaName,
    definitions,
    validate(obj: T, old?: T): FieldError[] {
      const errs = checkMeta ? validateObjectMeta(obj.metadata, metaOptions) : [];
      if (old && checkMeta) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
      if (spec.validate) errs.push(...spec.validate(obj, old));
      return errs;
    },
  };
  if (spec.shortNames) def.shortNames = spec.shortNames;
  if (spec.categories) def.categories = spec.categories;
  if (spec.subresources) def.subresources = spec.subresources;
  if (spec.virtual) def.virtual = true;
  if (spec.defaults) def.defaults = spec.defaults;
  if (spec.table) def.table = spec.table;
  if (spec.fieldSelectors) def.fieldSelectors = spec.fieldSelectors;
  if (spec.prepareForCreate || generationOf) {
    def.prepareForCreate = (obj: T) => {
      spec.prepareForCreate?.(obj);
      if (generationOf) obj.metadata.generation = 1;
    };
  }
  if (spec.prepareForUpdate || generationOf) {
    def.prepareForUpdate = (obj: T, old: T) => {
      spec.prepareForUpdate?.(obj, old);
      if (generationOf) {
        const previous = old.metadata.generation ?? 1;
        obj.metadata.generation = semanticEqual(generationOf(obj), generationOf(old)) ? previous : previous + 1;
      }
    };
  }
  // Each kind is typed on its own shape; the registry stores them all as KubeObject kinds.
  return def as unknown as ResourceDefinition;
}

/** keepStatus copies the stored status onto an update of the main resource (status has its own endpoint). */
export function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = clone(old.status);
}

/** resetStatus replaces the status of a new object with an initial one (or removes it). */
export function resetStatus(obj: KubeObject, initial?: Record<string, unknown>): void {
  if (initial === undefined) delete obj.status;
  else obj.status = clone(initial);
}
