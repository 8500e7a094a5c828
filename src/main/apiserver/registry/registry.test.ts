import { describe, expect, it } from 'vitest';
import { testKinds } from '../testing/testKinds';
import { buildRegistry } from './buildRegistry';
import { Registry, splitApiVersion, storageKey, storagePrefix } from './registry';

describe('Registry', () => {
  const registry = buildRegistry(testKinds());

  it('finds kinds by group/version/resource, kind, short name and the names people type', () => {
    expect(registry.lookup('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(registry.lookup('', 'v1', 'deployments')).toBeUndefined();
    expect(registry.byKind('', 'v1', 'Pod')?.resource).toBe('pods');
    expect(registry.byApiVersionKind('apps/v1', 'Deployment')?.resource).toBe('deployments');
    expect(registry.byShortName('deploy')?.kind).toBe('Deployment');
    expect(registry.resolve('po')?.kind).toBe('Pod');
    expect(registry.resolve('deployments.apps')?.kind).toBe('Deployment');
    expect(registry.resolve('Deployment')?.kind).toBe('Deployment');
  });

  it('lists groups core first and adds the review kinds the kinds package leaves out', () => {
    expect(registry.groups()[0]).toEqual({ group: '', versions: ['v1'] });
    expect(registry.groups().map((g) => g.group)).toEqual(expect.arrayContaining(['apps', 'authorization.k8s.io', 'authentication.k8s.io']));
    expect(registry.lookup('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews')?.virtual).toBe(true);
    const first = new Registry([...testKinds(), testKinds()[1]]);
    expect(first.all().filter((d) => d.resource === 'pods')).toHaveLength(1);
  });

  it('keeps objects under the real apiserver keys', () => {
    const pods = registry.lookup('', 'v1', 'pods')!;
    const deployments = registry.lookup('apps', 'v1', 'deployments')!;
    const namespaces = registry.lookup('', 'v1', 'namespaces')!;
    expect(storageKey(pods, 'default', 'web')).toBe('/registry/pods/default/web');
    expect(storageKey(deployments, 'default', 'web')).toBe('/registry/apps/deployments/default/web');
    expect(storageKey(namespaces, undefined, 'default')).toBe('/registry/namespaces/default');
    expect(storagePrefix(pods)).toBe('/registry/pods/');
    expect(storagePrefix(pods, 'kube-system')).toBe('/registry/pods/kube-system/');
    expect(splitApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(splitApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  });
});
