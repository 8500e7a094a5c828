import { describe, expect, it } from 'vitest';
import { quotaTone, quotaUsage, type ResourceQuota } from './quotaUsage';

const quota = (namespace: string, name: string, hard: Record<string, string>, used?: Record<string, string>): ResourceQuota => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { namespace, name },
  spec: { hard },
  status: used ? { hard, used } : undefined,
});

describe('quota use per namespace', () => {
  it('lists each resource with its use, fullest first, reading quantities', () => {
    const usage = quotaUsage([quota('team-a', 'q', { pods: '10', 'requests.memory': '1Gi', 'requests.cpu': '2' }, { pods: '3', 'requests.memory': '900Mi', 'requests.cpu': '500m' })]);
    expect(usage.get('team-a')?.map((u) => [u.resource, u.used, u.hard])).toEqual([
      ['requests.memory', '900Mi', '1Gi'],
      ['pods', '3', '10'],
      ['requests.cpu', '500m', '2'],
    ]);
    expect(usage.get('team-a')?.[0].fraction).toBeCloseTo(900 / 1024);
  });

  it('keeps the tightest of two quotas on one resource, and a quota without status as unused', () => {
    const usage = quotaUsage([quota('b', 'loose', { pods: '100' }, { pods: '5' }), quota('b', 'tight', { pods: '5' }, { pods: '5' }), quota('c', 'new', { pods: '4' })]);
    expect(usage.get('b')).toEqual([{ resource: 'pods', used: '5', hard: '5', fraction: 1 }]);
    expect(usage.get('c')).toEqual([{ resource: 'pods', used: '0', hard: '4', fraction: 0 }]);
    expect(usage.has('d')).toBe(false);
  });

  it('warns from 80% and marks a full quota', () => {
    expect(quotaTone({ resource: 'pods', used: '7', hard: '10', fraction: 0.7 })).toBe('ok');
    expect(quotaTone({ resource: 'pods', used: '8', hard: '10', fraction: 0.8 })).toBe('warn');
    expect(quotaTone({ resource: 'pods', used: '10', hard: '10', fraction: 1 })).toBe('bad');
  });
});
