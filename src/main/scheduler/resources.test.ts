// Tests of pod requests and node allocatable: quantity forms, init containers,
// sidecars, overhead, limits-only containers, scoring defaults.
import { describe, expect, it } from 'vitest';
import { buildNodeInfos, defaultMemoryRequest, nodeAllocatable, podNonZeroRequests, podRequests, resourcesFromList } from './resources';
import { makeNode, makePod } from './testing/fixtures';
import type { Pod } from './types';

describe('resourcesFromList', () => {
  it.each([
    ['100m', 100],
    ['0.5', 500],
    ['2', 2000],
    [1, 1000],
    ['1.5', 1500],
    ['250m', 250],
  ])('reads cpu %s as %d millicores', (cpu, milli) => {
    expect(resourcesFromList({ cpu }).milliCPU).toBe(milli);
  });

  it.each([
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['512Ki', 512 * 1024],
    ['1k', 1000],
    ['64M', 64e6],
    ['2G', 2e9],
    ['1e3', 1000],
    ['129e6', 129e6],
    ['1.5Gi', 1.5 * 2 ** 30],
  ])('reads memory %s as %d bytes', (memory, bytes) => {
    expect(resourcesFromList({ memory }).memory).toBe(bytes);
  });

  it('keeps other resources by name and ignores malformed ones', () => {
    const r = resourcesFromList({ 'example.com/gpu': '2', 'ephemeral-storage': '1Gi', cpu: 'lots' });
    expect(r.scalar).toEqual({ 'example.com/gpu': 2, 'ephemeral-storage': 2 ** 30 });
    expect(r.milliCPU).toBe(0);
  });
});

describe('podRequests', () => {
  it('adds up the containers', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
          { name: 'b', resources: { requests: { cpu: '0.25', memory: '64Mi' } } },
        ],
      },
    };
    expect(podRequests(pod)).toEqual({ milliCPU: 350, memory: 128 * 2 ** 20, scalar: {} });
  });

  it('counts only the largest init container when it exceeds the app containers', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [
          { name: 'i1', resources: { requests: { cpu: '1' } } },
          { name: 'i2', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '200m', memory: '100Mi' } } }],
      },
    };
    expect(podRequests(pod)).toMatchObject({ milliCPU: 1000, memory: 2 ** 30 });
  });

  it('keeps sidecars (restartable init containers) running beside later containers', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [
          { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
          { name: 'migrate', resources: { requests: { cpu: '300m' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '200m' } } }],
      },
    };
    // max(200 + 100 sidecar, 300 + 100 sidecar) = 400.
    expect(podRequests(pod).milliCPU).toBe(400);
  });

  it('adds pod overhead and treats a limit without a request as the request', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: { overhead: { cpu: '50m' }, containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
    };
    expect(podRequests(pod)).toMatchObject({ milliCPU: 1050, memory: 2 ** 30 });
  });

  it('requests nothing for containers without resources, but scores them as 100m and 200Mi', () => {
    const pod = makePod('p');
    expect(podRequests(pod)).toMatchObject({ milliCPU: 0, memory: 0 });
    expect(podNonZeroRequests(pod)).toEqual({ milliCPU: 100, memory: defaultMemoryRequest });
  });
});

describe('nodes', () => {
  it('reads allocatable, falling back to capacity', () => {
    expect(nodeAllocatable(makeNode('n', { cpu: '4', memory: '8Gi', pods: '20' }))).toMatchObject({ milliCPU: 4000, memory: 8 * 2 ** 30, pods: 20 });
    const node = makeNode('n');
    delete node.status!.allocatable;
    expect(nodeAllocatable(node)).toMatchObject({ milliCPU: 2000, pods: 110 });
  });

  it('counts only pods bound to the node that have not finished', () => {
    const infos = buildNodeInfos(
      [makeNode('a'), makeNode('b')],
      [
        makePod('on-a', { nodeName: 'a', cpu: '500m' }),
        makePod('done-on-a', { nodeName: 'a', cpu: '1', phase: 'Succeeded' }),
        makePod('pending', { cpu: '1' }),
        makePod('on-gone-node', { nodeName: 'c', cpu: '1' }),
      ],
    );
    expect(infos.map((i) => [i.node.metadata.name, i.pods.length, i.requested.milliCPU])).toEqual([
      ['a', 1, 500],
      ['b', 0, 0],
    ]);
  });
});
