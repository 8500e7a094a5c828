import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './kubeProtobuf';

// Bodies captured from kubectl 1.33 (`auth can-i create pods -n default`,
// `create configmap cm1 --from-literal=a=b`, `create ns foo`, `create quota`).
const ssar =
  '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c7412066372656174651a0022002a04706f647332003a001a08080012001a0020001a002200';
const configMap = '6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200';
const namespace = '6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800420012001a020a001a002200';
// `create quota one -n q --hard=pods=1,cpu=500m --scopes=NotTerminating`
const quota =
  '6b3873000a130a027631120d5265736f7572636551756f746112460a140a036f6e6512001a017122002a00320038004200122c0a0d0a0363707512060a043530306d0a0b0a04706f647312030a0131120e4e6f745465726d696e6174696e671a001a002200';

describe('decodeKubernetesProtobuf', () => {
  it('decodes what kubectl 1.32+ typed clients send, dropping Go zero values', () => {
    expect(decodeKubernetesProtobuf(Buffer.from(ssar, 'hex'))).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    });
    expect(decodeKubernetesProtobuf(Buffer.from(configMap, 'hex'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm1' },
      data: { a: 'b' },
    });
    expect(decodeKubernetesProtobuf(Buffer.from(namespace, 'hex'))).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } });
    expect(decodeKubernetesProtobuf(Buffer.from(quota, 'hex'))).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'one', namespace: 'q' },
      spec: { hard: { cpu: '500m', pods: '1' }, scopes: ['NotTerminating'] },
    });
  });

  it('refuses kinds it has no schema for with 415, and garbage with 400', () => {
    const unknown = Buffer.from(configMap, 'hex');
    const patched = Buffer.from(unknown.toString('hex').replace(Buffer.from('ConfigMap').toString('hex'), Buffer.from('Xonfigmap').toString('hex')), 'hex');
    let error: unknown;
    try {
      decodeKubernetesProtobuf(patched);
    } catch (err) {
      error = err;
    }
    expect((error as ApiError).code).toBe(415);
    expect(isKubernetesProtobuf(Buffer.from('{}'))).toBe(false);
    expect(() => decodeKubernetesProtobuf(Buffer.from('6b387300ff', 'hex'))).toThrow(ApiError);
  });
});
