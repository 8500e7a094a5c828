import { describe, expect, it } from 'vitest';
import { SchemaResolver } from '../schema/schemaResolver';
import { testPods } from '../testing/testKinds';
import { applyStrategicMergePatch } from './strategicMergePatch';

const pods = testPods();
const resolver = new SchemaResolver(pods.definitions);
const schema = resolver.definition(pods.schemaName);
const smp = (original: unknown, patch: unknown) => applyStrategicMergePatch(original, patch, schema, resolver);

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'envoy:1', args: ['--x'] },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
};

describe('applyStrategicMergePatch', () => {
  it('merges containers by name and leaves the others alone', () => {
    const result = smp(pod, { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }) as typeof pod;
    expect(result.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'envoy:1', args: ['--x'] },
    ]);
  });

  it('appends new keyed items, merges nested keyed lists and replaces lists without a strategy', () => {
    const result = smp(pod, {
      spec: {
        containers: [
          { name: 'web', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 443 }] },
          { name: 'sidecar', args: ['--y'] },
          { name: 'new', image: 'busybox' },
        ],
      },
    }) as typeof pod;
    expect(result.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(result.spec.containers[0].ports).toEqual([{ containerPort: 80 }, { containerPort: 443 }]);
    expect(result.spec.containers[1].args).toEqual(['--y']);
    expect(result.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar', 'new']);
  });

  it('honours $patch: delete on a keyed item, $patch: replace on a map and null deletes', () => {
    const result = smp(pod, {
      metadata: { labels: { app: null, tier: 'front' } },
      spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], volumes: [{ name: 'data', $patch: 'replace', configMap: { name: 'cm' } }] },
    }) as typeof pod;
    expect(result.metadata.labels).toEqual({ tier: 'front' });
    expect(result.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(result.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('replaces a whole list when it carries {$patch: replace}', () => {
    const result = smp(pod, { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } }) as typeof pod;
    expect(result.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('merges primitive set lists and removes values with $deleteFromPrimitiveList', () => {
    const added = smp(pod, { metadata: { finalizers: ['c', 'a'] } }) as typeof pod;
    expect(added.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = smp(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as typeof pod;
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('reorders a keyed list with $setElementOrder', () => {
    const result = smp(pod, {
      spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }], containers: [{ name: 'web', image: 'nginx:3' }] },
    }) as typeof pod;
    expect(result.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['sidecar:envoy:1', 'web:nginx:3']);
  });

  it('keeps only the listed fields with $retainKeys', () => {
    const result = smp(pod, {
      spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }] },
    }) as typeof pod;
    expect(result.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('rejects items without their merge key and unknown directives', () => {
    expect(() => smp(pod, { spec: { containers: [{ image: 'x' }] } })).toThrow(/does not contain declared merge key: name/);
    expect(() => smp(pod, { spec: { $patch: 'explode' } })).toThrow(/unknown patch directive/);
  });

  it('does the three-way patch kubectl apply sends after a field is removed from the file', () => {
    // kubectl deletes fields it applied before with null and keeps the order of the file.
    const result = smp(pod, {
      metadata: { labels: { app: null } },
      spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ name: 'web', env: null }] },
    }) as typeof pod;
    expect(result.metadata.labels).toEqual({});
    expect(result.spec.containers[0]).toEqual({ name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }] });
  });
});
