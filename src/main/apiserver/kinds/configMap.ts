// core/v1 ConfigMap: non-secret configuration as key/value pairs, used as files or
// environment variables.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { base64Problem, decodedLength } from './base64';
import { defineKind } from './defineKind';
import { Path, forbidden, invalid, invalidEach, tooLong } from './fieldErrors';
import { bool, bytes, mapOf, strMap } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import { configKeyProblems, semanticEqual } from './validation';

/** maxDataSize is the most bytes a ConfigMap's or Secret's data may hold. */
export const maxDataSize = 1024 * 1024;

/** ConfigMap is a core/v1 ConfigMap. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

function validateConfigMap(cm: ConfigMap, old?: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    errs.push(...invalidEach(new Path('data').key(key), key, configKeyProblems(key)));
    size += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    const p = new Path('binaryData').key(key);
    errs.push(...invalidEach(p, key, configKeyProblems(key)));
    if (cm.data && key in cm.data) errs.push(invalid(p, key, 'duplicate of key present in data'));
    const problem = base64Problem(String(value));
    if (problem) errs.push(invalid(p, '<binary data>', problem));
    else size += decodedLength(String(value));
  }
  if (size > maxDataSize) errs.push(tooLong('data', maxDataSize));
  if (old?.immutable) {
    if (!cm.immutable) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!semanticEqual(cm.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if (!semanticEqual(cm.binaryData, old.binaryData))
      errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return errs;
}

/** configMapKind is the ResourceDefinition of core/v1 configmaps. */
export const configMapKind = defineKind<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  namespaced: true,
  shortNames: ['cm'],
  description: 'Configuration data as key/value pairs that pods read as files or environment variables.',
  properties: {
    data: strMap('UTF-8 values by key. Keys consist of letters, digits, "-", "_" and ".".'),
    binaryData: mapOf(
      'Binary values by key, base64-encoded. Keys may not repeat those of data.',
      bytes('Base64-encoded bytes.'),
    ),
    immutable: bool('When true, data cannot change anymore (the object can only be deleted).'),
  },
  validate: validateConfigMap,
  table: {
    columns: [nameColumn, column('Data', 'Number of keys.', 'integer'), ageColumn],
    row(cm, now) {
      return [
        cm.metadata.name ?? '',
        Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
        age(cm, now),
      ];
    },
  },
});
