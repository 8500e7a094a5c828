import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { configMapKind } from './configMap';
import type { ConfigMap } from './configMap';
import type { Secret } from './secret';
import { secretKind } from './secret';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(fields: Partial<Secret>): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...fields };
}

function secretProblems(s: Secret, old?: Secret): string[] {
  const obj = structuredClone(s);
  secretKind.defaults?.(obj);
  return (secretKind.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('secrets', () => {
  it('default to Opaque and fold stringData into base64 data', () => {
    const s = secret({ data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'ç' } });
    secretKind.defaults?.(s);
    expect(s).toMatchObject({ type: 'Opaque', data: { a: b64('new'), b: b64('keep'), c: b64('ç') } });
    expect(s.stringData).toBeUndefined();
  });

  it('reject data that is not base64, without echoing it', () => {
    expect(secretProblems(secret({ data: { password: 'not base64!' } }))).toEqual([
      'data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
    ]);
    expect(secretProblems(secret({ data: { password: 'YWJj=' } }))).toEqual([
      'data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 4',
    ]);
    expect(secretProblems(secret({ data: { 'bad key': b64('x') } }))[0]).toMatch(
      /^data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.'/,
    );
  });

  it('require tls.crt and tls.key for TLS secrets', () => {
    expect(secretProblems(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('cert') } }))).toEqual([
      'data[tls.key]: Required value',
    ]);
  });

  it('require valid JSON in .dockerconfigjson', () => {
    expect(secretProblems(secret({ type: 'kubernetes.io/dockerconfigjson', data: {} }))).toEqual([
      'data[.dockerconfigjson]: Required value',
    ]);
    const errs = secretProblems(
      secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } }),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /);
  });

  it('check basic-auth, ssh-auth and service account token secrets', () => {
    expect(secretProblems(secret({ type: 'kubernetes.io/basic-auth', data: {} }))).toEqual([
      'data[username]: Required value',
      'data[password]: Required value',
    ]);
    expect(secretProblems(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } }))).toEqual([]);
    expect(secretProblems(secret({ type: 'kubernetes.io/ssh-auth', data: {} }))).toEqual([
      'data[ssh-privatekey]: Required value',
    ]);
    expect(secretProblems(secret({ type: 'kubernetes.io/service-account-token' }))).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });

  it('keep their type and, when immutable, their data', () => {
    const old = secret({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
    expect(
      secretProblems(
        secret({ type: 'kubernetes.io/tls', immutable: true, data: { a: b64('2'), 'tls.crt': '', 'tls.key': '' } }),
        old,
      ),
    ).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('show TYPE and DATA in tables and filter on type', () => {
    const s = secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });
    expect(secretKind.table?.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(secretKind.table?.row(s as KubeObject, new Date())).toEqual(['s', 'kubernetes.io/tls', 2, '<unknown>']);
    expect(secretKind.fieldSelectors?.type(s)).toBe('kubernetes.io/tls');
  });
});

describe('config maps', () => {
  const cm = (fields: Partial<ConfigMap>): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default' },
    ...fields,
  });
  const problems = (c: ConfigMap, old?: ConfigMap) =>
    (configMapKind.validate?.(c, old) ?? []).map((e) => `${e.field}: ${e.message}`);

  it('check keys, binary data and duplicates', () => {
    expect(problems(cm({ data: { '..x': 'a', ok: 'b' }, binaryData: { ok: b64('b'), bin: '%%%' } }))).toEqual([
      `data[..x]: Invalid value: "..x": must not start with '..'`,
      'binaryData[ok]: Invalid value: "ok": duplicate of key present in data',
      'binaryData[bin]: Invalid value: "<binary data>": illegal base64 data at input byte 0',
    ]);
  });

  it('limit the total size to 1 MiB', () => {
    expect(problems(cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))).toEqual([
      'data: Too long: must have at most 1048576 bytes',
    ]);
  });

  it('stay unchanged once immutable', () => {
    const old = cm({ immutable: true, data: { a: '1' } });
    expect(problems(cm({ immutable: false, data: { a: '2' } }), old)).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('count data and binaryData keys in the DATA column', () => {
    expect(configMapKind.table?.row(cm({ data: { a: '1' }, binaryData: { b: '' } }) as KubeObject, new Date())).toEqual(
      ['c', 2, '<unknown>'],
    );
  });
});
