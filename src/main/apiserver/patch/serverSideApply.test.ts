import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { SchemaResolver } from '../schema/schemaResolver';
import { testDeployments } from '../testing/testKinds';
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from './fieldSets';
import { readManagers, trackUpdate } from './managedFields';
import { serverSideApply } from './serverSideApply';

const deployments = testDeployments();
const resolver = new SchemaResolver(deployments.definitions);
const schema = resolver.definition(deployments.schemaName);
const options = (manager: string, force = false) => ({ manager, force, apiVersion: 'apps/v1', now: '2025-01-01T00:00:00Z' });

function config(replicas: number, image: string, extraLabel?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', ...(extraLabel ? { [extraLabel]: 'yes' } : {}) } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

describe('field sets', () => {
  it('name keyed list items by their keys and round-trip through FieldsV1', () => {
    const set = fieldSetOf(config(1, 'nginx'), schema, resolver);
    const fields = toFieldsV1(set);
    expect(fields).toMatchObject({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    expect(fields['f:metadata']).not.toHaveProperty('f:name');
    expect([...fromFieldsV1(fields).keys()].sort()).toEqual([...set.keys()].sort());
  });
});

describe('serverSideApply', () => {
  it('creates with the manager owning the applied fields', () => {
    const created = serverSideApply(undefined, config(2, 'nginx:1'), schema, resolver, options('alice'));
    const managers = readManagers(created);
    expect(managers.map((m) => [m.entry.manager, m.entry.operation])).toEqual([['alice', 'Apply']]);
    expect(created.spec).toMatchObject({ replicas: 2 });
  });

  it('merges into the live object, keeping fields others set', () => {
    let live = serverSideApply(undefined, config(2, 'nginx:1'), schema, resolver, options('alice'));
    live = { ...live, status: { replicas: 2 } };
    const next = serverSideApply(live, config(3, 'nginx:2'), schema, resolver, options('alice'));
    expect(next.spec).toMatchObject({ replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } });
    expect(next.status).toEqual({ replicas: 2 });
  });

  it('removes fields the manager applied before and no longer configures', () => {
    const live = serverSideApply(undefined, config(2, 'nginx:1', 'tier'), schema, resolver, options('alice'));
    expect(live.metadata.labels).toEqual({ app: 'web', tier: 'yes' });
    const next = serverSideApply(live, config(2, 'nginx:1'), schema, resolver, options('alice'));
    expect(next.metadata.labels).toEqual({ app: 'web' });
  });

  it('reports a conflict with another manager that set a different value, and takes it over when forced', () => {
    const live = serverSideApply(undefined, config(2, 'nginx:1'), schema, resolver, options('alice'));
    let error: unknown;
    try {
      serverSideApply(live, config(5, 'nginx:1'), schema, resolver, options('bob'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(409);
    expect((error as ApiError).message).toBe('Apply failed with 1 conflict: conflict with "alice" using apps/v1: .spec.replicas');

    const replicasOnly: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } };
    const forced = serverSideApply(live, replicasOnly, schema, resolver, options('bob', true));
    expect(forced.spec).toMatchObject({ replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } });
    const owners = readManagers(forced);
    const alice = owners.find((m) => m.entry.manager === 'alice')!;
    expect(alice.fields.has(['f:spec', 'f:replicas'].join('\u0000'))).toBe(false);
  });

  it('shares ownership when another manager applies the same value', () => {
    const live = serverSideApply(undefined, config(2, 'nginx:1'), schema, resolver, options('alice'));
    const shared = serverSideApply(live, config(2, 'nginx:1'), schema, resolver, options('bob'));
    expect(readManagers(shared).map((m) => m.entry.manager).sort()).toEqual(['alice', 'bob']);
  });
});

describe('trackUpdate', () => {
  it('gives changed fields to the writer and drops removed ones from everyone', () => {
    const original = serverSideApply(undefined, config(2, 'nginx:1', 'tier'), schema, resolver, options('alice'));
    const updated = JSON.parse(JSON.stringify(original)) as KubeObject;
    (updated.spec as { replicas: number }).replicas = 4;
    delete updated.metadata.labels!.tier;
    trackUpdate(original, updated, fieldSetOf(original, schema, resolver), fieldSetOf(updated, schema, resolver), {
      manager: 'kubectl-scale',
      apiVersion: 'apps/v1',
      scope: 'main',
      now: '2025-01-01T00:00:00Z',
    });
    const managers = readManagers(updated);
    const alice = managers.find((m) => m.entry.manager === 'alice')!;
    const scaler = managers.find((m) => m.entry.manager === 'kubectl-scale')!;
    expect(scaler.entry.operation).toBe('Update');
    expect([...scaler.fields.keys()]).toEqual([['f:spec', 'f:replicas'].join('\u0000')]);
    expect(alice.fields.has(['f:spec', 'f:replicas'].join('\u0000'))).toBe(false);
    expect(alice.fields.has(['f:metadata', 'f:labels', 'f:tier'].join('\u0000'))).toBe(false);
  });
});
