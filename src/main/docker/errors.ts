// Turning dockerode's errors ("(HTTP code 409) unexpected - Conflict. The container
// name ... ") into the daemon's own sentence, for messages people read.

/** dockerErrorMessage returns the Docker daemon's message for a failed call, without HTTP noise. */
export function dockerErrorMessage(err: unknown): string {
  const daemon = (err as { json?: { message?: unknown } } | undefined)?.json?.message;
  const raw = typeof daemon === 'string' && daemon ? daemon : err instanceof Error ? err.message : String(err);
  const text = raw
    .replace(/^\(HTTP code \d+\)[^-]*- /, '')
    .trim()
    .replace(/\.$/, '');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** dockerStatusCode returns the HTTP status of a failed Docker call, if it has one. */
export function dockerStatusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
