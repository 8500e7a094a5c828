// Tests for the pods table rows and the filters people type.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../kubeTypes';
import { addLabelToSelector, filterPodRows, podRow, podRows, readSelector } from './podRows';
import { containerState, envSource, podContainers, portText } from './containerInfo';

function pod(name: string, labels: Record<string, string>, extra: Partial<Pod> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Pending' },
    ...extra,
  };
}

describe('podRow', () => {
  it('words STATUS and READY like kubectl', () => {
    const running = podRow(
      pod('web', {}, {
        spec: { nodeName: 'worker-1', containers: [{ name: 'c' }] },
        status: {
          phase: 'Running',
          podIP: '10.244.1.5',
          containerStatuses: [{ name: 'c', ready: true, restartCount: 2, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }],
        },
      }),
    );
    expect(running).toMatchObject({ status: 'Running', ready: '1/1', restarts: 2, node: 'worker-1', ip: '10.244.1.5' });
    const crashing = podRow(
      pod('bad', {}, { status: { phase: 'Running', containerStatuses: [{ name: 'c', restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }),
    );
    expect(crashing.status).toBe('CrashLoopBackOff');
    expect(podRow(pod('new', {})).status).toBe('Pending');
  });
});

describe('podRows', () => {
  it('keeps the row of an unchanged pod and computes a new one for a changed pod', () => {
    const web = pod('web', { app: 'web' });
    const db = pod('db', { app: 'db' });
    const first = podRows([web, db]);
    // A watch event replaces db with a new object carrying a new label.
    const db2 = pod('db', { app: 'db', round: 'r1' });
    const second = podRows([web, db2]);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].labels).toEqual({ app: 'db', round: 'r1' });
  });
});

describe('filters', () => {
  const rows = [
    podRow(pod('web-1', { app: 'web', tier: 'front' })),
    podRow(pod('web-2', { app: 'web', tier: 'back' })),
    podRow(pod('db-0', { app: 'db' }, { metadata: { name: 'db-0', namespace: 'data', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u1' }] } })),
  ];

  it('narrows by label selector, text and owner', () => {
    const selector = readSelector('app=web,tier!=back');
    expect(selector.ok).toBe(true);
    if (!selector.ok) return;
    expect(filterPodRows(rows, { text: '', selector: selector.selector }).map((r) => r.name)).toEqual(['web-1']);
    expect(filterPodRows(rows, { text: 'DATA' }).map((r) => r.name)).toEqual(['db-0']);
    expect(filterPodRows(rows, { text: '', ownerUid: 'u1' }).map((r) => r.name)).toEqual(['db-0']);
    expect(filterPodRows(rows, { text: '' })).toHaveLength(3);
  });

  it('reports a selector that does not parse, as people type it', () => {
    const partial = readSelector('app in (web');
    expect(partial.ok).toBe(false);
    if (!partial.ok) expect(partial.error).not.toBe('');
    expect(readSelector('').ok).toBe(true);
  });

  it('adds a clicked label to the selector, replacing the same key', () => {
    expect(addLabelToSelector('', 'app', 'web')).toBe('app=web');
    expect(addLabelToSelector('tier=front', 'app', 'web')).toBe('tier=front,app=web');
    expect(addLabelToSelector('app=db,tier=front', 'app', 'web')).toBe('tier=front,app=web');
    expect(addLabelToSelector('app in (', 'app', 'web')).toBe('app=web');
  });
});

describe('container details', () => {
  it('summarizes states, ports and environment sources', () => {
    expect(containerState({ waiting: { reason: 'ImagePullBackOff' } })).toMatchObject({ word: 'Waiting', tone: 'bad' });
    expect(containerState({ waiting: { reason: 'ContainerCreating' } }).tone).toBe('warn');
    expect(containerState({ terminated: { exitCode: 0, reason: 'Completed' } }).tone).toBe('muted');
    expect(containerState({ terminated: { exitCode: 1, reason: 'Error' } }).tone).toBe('bad');
    expect(portText({ containerPort: 8080, name: 'http' })).toBe('8080/TCP (http)');
    expect(envSource({ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } })).toBe('secret s / k');
    expect(envSource({ name: 'A', value: 'b' })).toBeUndefined();
  });

  it('pairs containers with their status, and says when none was reported', () => {
    const views = podContainers(
      pod('x', {}, {
        spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] },
        status: { containerStatuses: [{ name: 'app', ready: true, restartCount: 1, state: { running: {} } }] },
      }),
    );
    expect(views.map((v) => [v.container.name, v.init, v.reported, v.restarts])).toEqual([
      ['init', true, false, 0],
      ['app', false, true, 1],
    ]);
  });
});
