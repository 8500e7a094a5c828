// Writing responses: JSON or YAML bodies, Warning headers, and every error as a
// Kubernetes Status.
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { toApiError } from '../../errors';
import type { ResponseFormat } from './negotiation';

/** warningHeader renders warnings as HTTP Warning headers (code 299), as Kubernetes sends them. */
export function warningHeader(warnings: string[]): string[] {
  return warnings.map((w) => `299 - "${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
}

/** writeBody answers with a status code and a body in JSON (or YAML when asked). */
export function writeBody(
  res: ServerResponse,
  code: number,
  body: unknown,
  format: ResponseFormat = { kind: 'json' },
  warnings: string[] = [],
): void {
  const yaml = format.kind === 'yaml';
  const text = yaml ? toYaml(body) : JSON.stringify(body);
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warningHeader(warnings);
  res.writeHead(code, headers);
  res.end(text);
}

/** writeJsonText answers with JSON that is already serialized. */
export function writeJsonText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** writeError answers with the Status of any error. */
export function writeError(res: ServerResponse, err: unknown): void {
  const status = toApiError(err).toStatus();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeBody(res, status.code, status);
}

/** writeText answers with plain text (health checks). */
export function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
