// Small HTTP helpers shared by the gateway's handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError } from '../../shared/gateway';
import { ApiError } from '../errors';

/** sendJson writes a JSON body with the given status code. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** sendError writes an AppError body: one sentence, and a hint when there is one. */
export function sendError(res: ServerResponse, code: number, error: string, hint?: string): void {
  const body: AppError = hint ? { error, hint } : { error };
  sendJson(res, code, body);
}

/** sendThrown turns anything thrown by a handler into an AppError answer. */
export function sendThrown(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendError(res, err.code, err.message, err.hint);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendError(res, 500, `Something went wrong inside the engine: ${message}`);
}

/** readJsonBody reads and parses a JSON request body of at most limit bytes. */
export async function readJsonBody<T>(req: IncomingMessage, limit = 1 << 20): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('BadRequest', 'The request body is not valid JSON.');
  }
}
