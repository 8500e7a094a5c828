// The audit table's wording: targets, outcomes and the query sent to the engine.
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/gateway';
import { auditOutcome, auditQueryPath, auditTarget, filterAudit } from './auditInfo';

const record = (over: Partial<AuditRecord>): AuditRecord => ({ time: '2026-01-01T00:00:00.000Z', user: 'alice', groups: [], verb: 'get', code: 200, ...over });

describe('audit records', () => {
  it('name the object, its group and subresource, or the path', () => {
    expect(auditTarget(record({ resource: 'deployments', apiGroup: 'apps', name: 'web' }))).toBe('deployments.apps/web');
    expect(auditTarget(record({ resource: 'pods', name: 'web-1', subresource: 'log' }))).toBe('pods/web-1/log');
    expect(auditTarget(record({ resource: 'pods' }))).toBe('pods');
    expect(auditTarget(record({ path: '/version' }))).toBe('/version');
  });

  it('word refusals the way kubectl users know them', () => {
    expect(auditOutcome(201)).toEqual({ text: '201', tone: 'ok' });
    expect(auditOutcome(403)).toEqual({ text: '403 Forbidden', tone: 'bad' });
    expect(auditOutcome(404)).toEqual({ text: '404 NotFound', tone: 'warn' });
    expect(auditOutcome(418)).toEqual({ text: '418', tone: 'warn' });
  });

  it('ask the engine for one user, verb and namespace, and keep only refusals when asked', () => {
    expect(auditQueryPath('dev', { user: ' bob ', verb: '', namespace: 'shop', refusedOnly: false })).toBe('/api/app/clusters/dev/audit?limit=500&user=bob&namespace=shop');
    const records = [record({ code: 200 }), record({ code: 403 })];
    expect(filterAudit(records, { user: '', verb: '', namespace: '', refusedOnly: true }).map((r) => r.code)).toEqual([403]);
    expect(filterAudit(records, { user: '', verb: '', namespace: '', refusedOnly: false })).toHaveLength(2);
  });
});
