// Reading one Kubernetes object from YAML that a person typed or pasted, before it
// is sent: YAML syntax, the object's shape and whether the UI knows its kind. The
// API server checks everything else and answers in its own sentence.
import { parseDocument, stringify } from 'yaml';
import type { KubeObject } from '../../shared/api/meta';
import { type KubeResource, resourceForKind } from './kubeResources';

/** YamlProblem is what is wrong with the text: an i18n key under yaml.problem, with details. */
export type YamlProblem =
  | { code: 'empty' }
  | { code: 'syntax'; detail: string }
  | { code: 'notObject' }
  | { code: 'noKind' }
  | { code: 'unknownKind'; kind: string; apiVersion: string }
  | { code: 'noName' }
  | { code: 'wrongKind'; kind: string; expected: string };

/** ParsedObject is an object ready to be created, with its resource. */
export interface ParsedObject {
  object: KubeObject;
  resource: KubeResource;
}

/**
 * parseObjectYaml reads one object. A namespaced object without a namespace gets
 * `namespace`; `onlyKind` refuses any other kind (a dialog that creates services).
 */
export function parseObjectYaml(text: string, namespace: string, onlyKind?: string): ParsedObject | { problem: YamlProblem } {
  if (text.trim() === '') return { problem: { code: 'empty' } };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { problem: { code: 'syntax', detail: doc.errors[0].message.split('\n')[0] } };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: { code: 'notObject' } };
  const object = value as Partial<KubeObject>;
  if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') return { problem: { code: 'noKind' } };
  if (onlyKind && object.kind !== onlyKind) return { problem: { code: 'wrongKind', kind: object.kind, expected: onlyKind } };
  const resource = resourceForKind(object.apiVersion, object.kind);
  if (!resource) return { problem: { code: 'unknownKind', kind: object.kind, apiVersion: object.apiVersion } };
  const metadata = typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  if (!metadata.name && !metadata.generateName) return { problem: { code: 'noName' } };
  const withNamespace = resource.namespaced && !metadata.namespace ? { ...metadata, namespace } : metadata;
  return { object: { ...(object as KubeObject), metadata: withNamespace }, resource };
}

/** objectYaml renders an object as the YAML a person edits. */
export function objectYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0 });
}
