// Tests for applying watch events to a cached list, including stale and replayed events.
import { describe, expect, it } from 'vitest';
import type { KubeList, KubeObject, WatchEvent } from '../../shared/api/meta';
import { applyWatchEvent, compareResourceVersions } from './watch';

function pod(name: string, resourceVersion: string, phase = 'Running', namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, resourceVersion, uid: `uid-${name}` },
    status: { phase },
  };
}

function list(resourceVersion: string, items: KubeObject[]): KubeList {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion }, items };
}

const names = (l: KubeList) => l.items.map((i) => i.metadata.name);

describe('applyWatchEvent', () => {
  it('adds a new object in namespace/name order and advances the list version', () => {
    const before = list('10', [pod('a', '5'), pod('c', '9')]);
    const after = applyWatchEvent(before, { type: 'ADDED', object: pod('b', '11') });
    expect(names(after)).toEqual(['a', 'b', 'c']);
    expect(after.metadata.resourceVersion).toBe('11');
    expect(names(before)).toEqual(['a', 'c']);
  });

  it('replaces a modified object in place', () => {
    const after = applyWatchEvent(list('10', [pod('a', '5'), pod('b', '6')]), {
      type: 'MODIFIED',
      object: pod('a', '12', 'Succeeded'),
    });
    expect(after.items[0].status).toEqual({ phase: 'Succeeded' });
    expect(names(after)).toEqual(['a', 'b']);
  });

  it('removes a deleted object', () => {
    const after = applyWatchEvent(list('10', [pod('a', '5'), pod('b', '6')]), {
      type: 'DELETED',
      object: pod('a', '13'),
    });
    expect(names(after)).toEqual(['b']);
    expect(after.metadata.resourceVersion).toBe('13');
  });

  it('ignores events the list already contains', () => {
    const before = list('20', [pod('a', '15')]);
    expect(applyWatchEvent(before, { type: 'MODIFIED', object: pod('a', '18', 'Failed') })).toBe(before);
    expect(applyWatchEvent(before, { type: 'DELETED', object: pod('a', '20') })).toBe(before);
    expect(applyWatchEvent(before, { type: 'ADDED', object: pod('z', '19') })).toBe(before);
  });

  it('never lets an older copy of an object replace a newer one', () => {
    // The list is at 20, but a later event already moved pod a to 30.
    const newer = applyWatchEvent(list('20', [pod('a', '15')]), { type: 'MODIFIED', object: pod('a', '30', 'Failed') });
    const replayed = applyWatchEvent(newer, { type: 'MODIFIED', object: pod('a', '25', 'Running') });
    expect(replayed.items[0].status).toEqual({ phase: 'Failed' });
    // Without a list version, the object's own version still guards it.
    const unversioned: KubeList = {
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: {},
      items: [pod('a', '30', 'Failed')],
    };
    expect(applyWatchEvent(unversioned, { type: 'MODIFIED', object: pod('a', '25') }).items[0].status).toEqual({
      phase: 'Failed',
    });
  });

  it('treats a replayed ADDED for an object it holds as an update', () => {
    const after = applyWatchEvent(list('10', [pod('a', '5')]), { type: 'ADDED', object: pod('a', '11', 'Pending') });
    expect(after.items).toHaveLength(1);
    expect(after.items[0].status).toEqual({ phase: 'Pending' });
  });

  it('keeps objects of the same name in different namespaces apart', () => {
    const after = applyWatchEvent(list('10', [pod('web', '5', 'Running', 'a')]), {
      type: 'ADDED',
      object: pod('web', '11', 'Running', 'b'),
    });
    expect(after.items.map((i) => i.metadata.namespace)).toEqual(['a', 'b']);
  });

  it('moves only the list version for a bookmark and nothing for an error', () => {
    const before = list('10', [pod('a', '5')]);
    const bookmark: WatchEvent = { type: 'BOOKMARK', object: { metadata: { resourceVersion: '40' } } };
    const after = applyWatchEvent(before, bookmark);
    expect(after.metadata.resourceVersion).toBe('40');
    expect(after.items).toBe(before.items);
    const error: WatchEvent = { type: 'ERROR', object: { kind: 'Status', metadata: {}, code: 410 } };
    expect(applyWatchEvent(before, error)).toBe(before);
  });

  it('applies events whose versions cannot be compared', () => {
    const after = applyWatchEvent(list('abc', [pod('a', 'x1')]), {
      type: 'MODIFIED',
      object: pod('a', 'x2', 'Failed'),
    });
    expect(after.items[0].status).toEqual({ phase: 'Failed' });
  });
});

describe('compareResourceVersions', () => {
  it('compares integers numerically, beyond the safe integer range too', () => {
    expect(compareResourceVersions('9', '10')).toBe(-1);
    expect(compareResourceVersions('10', '10')).toBe(0);
    expect(compareResourceVersions('90071992547409930', '90071992547409929')).toBe(1);
    expect(compareResourceVersions('a', '1')).toBeUndefined();
    expect(compareResourceVersions(undefined, '1')).toBeUndefined();
  });
});
