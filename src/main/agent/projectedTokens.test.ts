// Projected service account tokens in the agent: what is asked for (bound to the pod,
// audience and lifetime of the source), reuse until 80% of the lifetime, then renewal.
import { describe, expect, it } from 'vitest';
import type { TokenRequester, TokenRequestSpec } from '../apiserver/auth/serviceAccountTokens';
import type { Pod } from '../apiserver/kinds/types';
import { ProjectedTokens, renewTime, tokenProjections } from './projectedTokens';
import { planVolumes, tokenKey, VolumeError } from './volumes';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team', uid: 'u-1' },
  spec: {
    serviceAccountName: 'builder',
    containers: [{ name: 'app', image: 'busybox:1' }],
    volumes: [
      {
        name: 'kube-api-access-abcde',
        projected: {
          defaultMode: 0o644,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      { name: 'vault', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 'sub/vault-token' } }] } },
    ],
  },
};

function fakeRequester(clock: { now: number }) {
  const calls: { namespace: string; account: string; spec: TokenRequestSpec }[] = [];
  const request: TokenRequester = async (namespace, account, spec) => {
    calls.push({ namespace, account, spec });
    const seconds = spec.expirationSeconds ?? 3600;
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: account, namespace },
      spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: seconds, boundObjectRef: null },
      status: { token: `token-${calls.length}`, expirationTimestamp: new Date(clock.now + seconds * 1000).toISOString() },
    };
  };
  return { request, calls };
}

describe('projected tokens', () => {
  it('lists the token sources of a pod with their defaults', () => {
    expect(tokenProjections(pod)).toEqual([
      { volume: 'kube-api-access-abcde', path: 'token', audience: undefined, expirationSeconds: 3607, mode: 0o644 },
      { volume: 'vault', path: 'sub/vault-token', audience: 'vault', expirationSeconds: 3600, mode: 0o644 },
    ]);
  });

  it('asks for tokens bound to the pod, for the source audience and lifetime', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const { request, calls } = fakeRequester(clock);
    const tokens = await new ProjectedTokens(request, () => clock.now).tokensFor(pod);
    expect(tokens.get(tokenKey('kube-api-access-abcde', 'token'))).toBe('token-1');
    expect(tokens.get(tokenKey('vault', 'sub/vault-token'))).toBe('token-2');
    expect(calls).toEqual([
      {
        namespace: 'team',
        account: 'builder',
        spec: {
          audiences: undefined,
          expirationSeconds: 3607,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u-1' },
        },
      },
      {
        namespace: 'team',
        account: 'builder',
        spec: {
          audiences: ['vault'],
          expirationSeconds: 3600,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'u-1' },
        },
      },
    ]);
  });

  it('reuses a token until 80% of its lifetime has passed, then asks for a new one', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const { request, calls } = fakeRequester(clock);
    const tokens = new ProjectedTokens(request, () => clock.now);
    await tokens.tokensFor(pod);
    clock.now += 2800 * 1000;
    await tokens.tokensFor(pod);
    expect(calls).toHaveLength(2);
    clock.now += 100 * 1000;
    const renewed = await tokens.tokensFor(pod);
    expect(calls).toHaveLength(4);
    expect(renewed.get(tokenKey('kube-api-access-abcde', 'token'))).toBe('token-3');
    tokens.forget('u-1');
    await tokens.tokensFor(pod);
    expect(calls).toHaveLength(6);
  });

  it('renews long tokens after a day at most', () => {
    expect(renewTime(0, 3600_000)).toBe(2880_000);
    expect(renewTime(0, 7 * 24 * 3600_000)).toBe(24 * 3600_000);
  });

  it('writes the token into the projected volume, and fails the mount without one', () => {
    const sources = { configMaps: new Map(), secrets: new Map() };
    const withToken = planVolumes(pod, { ...sources, serviceAccountTokens: new Map([[tokenKey('kube-api-access-abcde', 'token'), 'jwt'], [tokenKey('vault', 'sub/vault-token'), 'v']]) });
    expect(withToken[0]).toMatchObject({
      kind: 'files',
      path: '/var/lib/wheelhouse/pods/u-1/volumes/kubernetes.io~projected/kube-api-access-abcde',
      files: [
        { path: 'token', content: Buffer.from('jwt'), mode: 0o644 },
        { path: 'namespace', content: Buffer.from('team'), mode: 0o644 },
      ],
    });
    expect(() => planVolumes(pod, sources)).toThrow(VolumeError);
  });
});
