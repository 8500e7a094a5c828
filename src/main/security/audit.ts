// The audit log of one cluster: one JSON line per API request (who, what, where, and
// the answer's status code) in DATA_DIR/clusters/NAME/audit.log, mode 0600. Lines are
// buffered and appended in batches, so a request never waits for the disk; the file is
// rotated (audit.log -> audit.log.1 -> ...) once it passes a few megabytes. readAuditLog
// reads the newest entries back for the UI.
import { appendFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestRecord } from '../apiserver/http/apiHandler';

/** AuditEntry is one audited request, as the API handler reports it. */
export type AuditEntry = RequestRecord;

/** auditFileName is the name of the audit log inside a cluster's folder. */
export const auditFileName = 'audit.log';

/** AuditLogOptions tune rotation and batching. */
export interface AuditLogOptions {
  /** Rotate once the file passes this many bytes (default 4 MiB). */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one (default 2). */
  maxFiles?: number;
  /** How long lines may wait in memory before they are written, in milliseconds (default 200). */
  flushMs?: number;
}

/** AuditLog appends entries to a cluster's audit file. */
export interface AuditLog {
  readonly file: string;
  /** record queues one entry; it never throws and never blocks on the disk. */
  record(entry: AuditEntry): void;
  /** flush writes every queued entry now. */
  flush(): void;
  /** close flushes and stops the timer; later records are dropped. */
  close(): void;
}

/** createAuditLog opens (creating on first write) the audit file in dir. */
export function createAuditLog(dir: string, options: AuditLogOptions = {}): AuditLog {
  const file = join(dir, auditFileName);
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 2);
  const flushMs = options.flushMs ?? 200;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let size = existsSync(file) ? statSync(file).size : 0;
  let warned = false;

  const rotate = () => {
    rmSync(`${file}.${maxFiles}`, { force: true });
    for (let i = maxFiles - 1; i >= 1; i--)
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    if (existsSync(file)) renameSync(file, `${file}.1`);
    size = 0;
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    try {
      if (size > 0 && size + Buffer.byteLength(text) > maxBytes) rotate();
      appendFileSync(file, text, { mode: 0o600 });
      size += Buffer.byteLength(text);
    } catch (err) {
      // The audit trail must never take the API down; say so once.
      if (!warned) process.stderr.write(`The audit log ${file} cannot be written: ${(err as Error).message}\n`);
      warned = true;
    }
  };

  return {
    file,
    record(entry) {
      if (closed) return;
      pending.push(JSON.stringify(entry) + '\n');
      if (!timer) {
        timer = setTimeout(flush, flushMs);
        timer.unref();
      }
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  };
}

/** AuditQuery narrows what readAuditLog returns. */
export interface AuditQuery {
  /** At most this many entries, newest first (default 500). */
  limit?: number;
  user?: string;
  namespace?: string;
  verb?: string;
  resource?: string;
  /** Only entries at or after this time (RFC 3339). */
  since?: string;
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.user !== undefined && entry.user !== query.user) return false;
  if (query.namespace !== undefined && entry.namespace !== query.namespace) return false;
  if (query.verb !== undefined && entry.verb !== query.verb) return false;
  if (query.resource !== undefined && entry.resource !== query.resource) return false;
  if (query.since !== undefined && entry.time < query.since) return false;
  return true;
}

/** readAuditLog returns the newest matching entries of the audit log in dir (current and rotated files), newest first. */
export async function readAuditLog(dir: string, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const file = join(dir, auditFileName);
  const limit = query.limit ?? 500;
  const out: AuditEntry[] = [];
  for (let i = 0; out.length < limit; i++) {
    const path = i === 0 ? file : `${file}.${i}`;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      if (i === 0) continue;
      break;
    }
    const lines = text.split('\n');
    for (let j = lines.length - 1; j >= 0 && out.length < limit; j--) {
      if (!lines[j]) continue;
      try {
        const entry = JSON.parse(lines[j]) as AuditEntry;
        if (matches(entry, query)) out.push(entry);
      } catch {
        // A line cut short by a crash is skipped, not fatal.
      }
    }
  }
  return out;
}
