// Tests for what the nodes and events views derive from their objects.
import { describe, expect, it } from 'vitest';
import { eventCount, eventLastSeen, eventObject, recentWarnings } from './events/eventInfo';
import type { KubeEvent, Node, Pod } from './kubeTypes';
import { nodeAddress, nodeRoles, nodeStatusText, podsPerNode } from './nodes/nodeInfo';

function node(name: string, labels: Record<string, string>, ready?: string, unschedulable = false): Node {
  return {
    metadata: { name, labels },
    spec: { unschedulable },
    status: {
      conditions: ready ? [{ type: 'Ready', status: ready }] : [],
      addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: '172.18.0.2' }],
    },
  };
}

describe('nodes', () => {
  it('words STATUS and ROLES like kubectl', () => {
    expect(nodeStatusText(node('a', {}, 'True'))).toBe('Ready');
    expect(nodeStatusText(node('a', {}, 'False'))).toBe('NotReady');
    expect(nodeStatusText(node('a', {}))).toBe('Unknown');
    expect(nodeStatusText(node('a', {}, 'True', true))).toBe('Ready,SchedulingDisabled');
    expect(nodeRoles(node('a', { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': 'x', 'kubernetes.io/role': 'edge' }))).toEqual([
      'control-plane',
      'edge',
      'worker',
    ]);
    expect(nodeAddress(node('a', {}))).toBe('172.18.0.2');
  });

  it('counts only pods that still occupy a node', () => {
    const pods: Pod[] = [
      { metadata: { name: 'a' }, spec: { nodeName: 'w1' }, status: { phase: 'Running' } },
      { metadata: { name: 'b' }, spec: { nodeName: 'w1' }, status: { phase: 'Succeeded' } },
      { metadata: { name: 'c' }, spec: { nodeName: 'w2' }, status: { phase: 'Pending' } },
      { metadata: { name: 'd' }, spec: {}, status: { phase: 'Pending' } },
    ];
    expect([...podsPerNode(pods)]).toEqual([
      ['w1', 1],
      ['w2', 1],
    ]);
  });
});

describe('events', () => {
  const event = (name: string, type: string, last: string | null, extra: Partial<KubeEvent> = {}): KubeEvent => ({
    metadata: { name, namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' },
    involvedObject: { kind: 'Pod', name: 'web' },
    type,
    lastTimestamp: last,
    ...extra,
  });

  it('finds when an event was last seen, whichever field the reporter filled', () => {
    expect(eventLastSeen(event('a', 'Normal', '2025-01-02T00:00:00Z'))).toBe('2025-01-02T00:00:00Z');
    expect(eventLastSeen(event('a', 'Normal', null, { eventTime: '2025-01-03T00:00:00.000000Z' }))).toBe('2025-01-03T00:00:00.000000Z');
    expect(eventLastSeen(event('a', 'Normal', null))).toBe('2025-01-01T00:00:00Z');
    expect(eventObject(event('a', 'Normal', null))).toBe('pod/web');
    expect(eventCount(event('a', 'Normal', null, { count: 7 }))).toBe(7);
    expect(eventCount(event('a', 'Normal', null, { series: { count: 9 } }))).toBe(9);
  });

  it('lists the newest warnings first', () => {
    const events = [
      event('old', 'Warning', '2025-01-01T00:00:00Z'),
      event('normal', 'Normal', '2025-01-05T00:00:00Z'),
      event('new', 'Warning', '2025-01-04T00:00:00Z'),
    ];
    expect(recentWarnings(events, 5).map((e) => e.metadata.name)).toEqual(['new', 'old']);
    expect(recentWarnings(events, 1)).toHaveLength(1);
  });
});
