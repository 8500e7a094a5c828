// core/v1 Secret: small amounts of sensitive data (passwords, keys, tokens). Values
// are stored base64-encoded in `data`; `stringData` is a write-only convenience that
// is folded into `data`.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { base64Problem, decodedLength } from './base64';
import { maxDataSize } from './configMap';
import { defineKind } from './defineKind';
import { Path, forbidden, invalid, invalidEach, required, tooLong } from './fieldErrors';
import { bool, bytes, mapOf, str, strMap } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import { configKeyProblems, immutable, semanticEqual } from './validation';

/** secretTypes are the well-known Secret types and the keys they require. */
export const secretTypes = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
};

/** Secret is a core/v1 Secret. */
export interface Secret extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

const redacted = '<secret contents redacted>';

/** foldStringData moves stringData into data (base64-encoded, overriding data) and drops stringData. */
export function foldStringData(secret: Secret): void {
  if (!secret.stringData) return;
  const data = (secret.data ??= {});
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete secret.stringData;
}

function decoded(secret: Secret, key: string): string | undefined {
  const v = secret.data?.[key];
  if (v === undefined || base64Problem(v)) return undefined;
  return Buffer.from(v, 'base64').toString('utf8');
}

function validateType(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const data = secret.data ?? {};
  const dataPath = new Path('data');
  switch (secret.type) {
    case secretTypes.serviceAccountToken: {
      const annotation = 'kubernetes.io/service-account.name';
      if (!secret.metadata.annotations?.[annotation]) {
        errs.push(required(new Path('metadata').child('annotations').key(annotation)));
      }
      break;
    }
    case secretTypes.dockercfg:
    case secretTypes.dockerConfigJson: {
      const key = secret.type === secretTypes.dockercfg ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) {
        errs.push(required(dataPath.key(key)));
        break;
      }
      const text = decoded(secret, key);
      if (text !== undefined) {
        try {
          JSON.parse(text);
        } catch (err) {
          errs.push(invalid(dataPath.key(key), redacted, (err as Error).message));
        }
      }
      break;
    }
    case secretTypes.basicAuth:
      if (!('username' in data) && !('password' in data)) {
        errs.push(required(dataPath.key('username')), required(dataPath.key('password')));
      }
      break;
    case secretTypes.sshAuth:
      if (!('ssh-privatekey' in data)) errs.push(required(dataPath.key('ssh-privatekey')));
      break;
    case secretTypes.tls:
      if (!('tls.crt' in data)) errs.push(required(dataPath.key('tls.crt')));
      if (!('tls.key' in data)) errs.push(required(dataPath.key('tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    const p = new Path('data').key(key);
    errs.push(...invalidEach(p, key, configKeyProblems(key)));
    const problem = typeof value === 'string' ? base64Problem(value) : 'must be a base64-encoded string';
    if (problem) errs.push(invalid(p, redacted, problem));
    else size += decodedLength(value);
  }
  if (size > maxDataSize) errs.push(tooLong('data', maxDataSize));
  errs.push(...validateType(secret));
  if (old) {
    errs.push(...immutable(secret.type, old.type, 'type'));
    if (old.immutable) {
      if (!secret.immutable) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
      if (!semanticEqual(secret.data, old.data))
        errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

/** secretKind is the ResourceDefinition of core/v1 secrets. */
export const secretKind = defineKind<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  namespaced: true,
  description: 'Sensitive data such as passwords, tokens or keys, given to pods as files or environment variables.',
  properties: {
    data: mapOf(
      'Values by key, base64-encoded. Keys consist of letters, digits, "-", "_" and ".".',
      bytes('Base64-encoded bytes.'),
    ),
    stringData: strMap(
      'Write-only plain-text values; merged into data on write (winning over data) and never returned.',
    ),
    type: str('Kind of secret, e.g. Opaque (default), kubernetes.io/tls or kubernetes.io/dockerconfigjson.'),
    immutable: bool('When true, data cannot change anymore (the object can only be deleted).'),
  },
  defaults(secret) {
    secret.type ||= secretTypes.opaque;
    foldStringData(secret);
  },
  validate: validateSecret,
  table: {
    columns: [nameColumn, column('Type', 'Kind of secret.'), column('Data', 'Number of keys.', 'integer'), ageColumn],
    row(secret, now) {
      return [secret.metadata.name ?? '', secret.type ?? '', Object.keys(secret.data ?? {}).length, age(secret, now)];
    },
  },
  fieldSelectors: {
    type: (s) => s.type ?? '',
  },
});
