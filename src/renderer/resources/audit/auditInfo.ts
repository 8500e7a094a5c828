// How an audit record reads in the table: what was asked, and how it ended, in the
// words Kubernetes users know (a 403 is Forbidden, a 409 a conflict).
import { appRoutes, type AuditRecord } from '../../../shared/gateway';

/** AuditFilter narrows the audit list; empty fields match everything. */
export interface AuditFilter {
  user: string;
  verb: string;
  namespace: string;
  /** Only requests the API server refused or failed (status 400 and up). */
  refusedOnly: boolean;
}

/** auditQueryPath is the gateway path that reads the newest records matching a filter. */
export function auditQueryPath(cluster: string, filter: AuditFilter, limit = 500): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filter.user.trim()) query.set('user', filter.user.trim());
  if (filter.verb.trim()) query.set('verb', filter.verb.trim());
  if (filter.namespace.trim()) query.set('namespace', filter.namespace.trim());
  return `${appRoutes.clusterAudit(cluster)}?${query.toString()}`;
}

/** auditTarget names what a request was about: "deployments.apps/web", "pods/web/log" or a path. */
export function auditTarget(record: AuditRecord): string {
  if (!record.resource) return record.path ?? '';
  const kind = record.apiGroup ? `${record.resource}.${record.apiGroup}` : record.resource;
  return [kind, record.name, record.subresource].filter(Boolean).join('/');
}

const codeWords: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** auditOutcome is the status code with the Kubernetes reason it stands for. */
export function auditOutcome(code: number): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  if (code < 400) return { text: String(code), tone: 'ok' };
  const word = codeWords[code];
  return { text: word ? `${code} ${word}` : String(code), tone: code === 403 || code === 401 || code >= 500 ? 'bad' : 'warn' };
}

/** filterAudit keeps the records a filter asks for that the server cannot filter (refusals). */
export function filterAudit(records: AuditRecord[], filter: AuditFilter): AuditRecord[] {
  return filter.refusedOnly ? records.filter((r) => r.code >= 400) : records;
}
