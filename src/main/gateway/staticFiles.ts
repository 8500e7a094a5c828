// Serves the built renderer with a strict Content-Security-Policy. The bundle holds
// no secrets, but it is still served only to authenticated clients.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** contentSecurityPolicy is the CSP for every page the gateway serves. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** securityHeaders are sent with every HTML page. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The one-time token travels in the URL; never leak it through Referer.
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * serveStatic answers a GET for a file of the renderer bundle. Unknown paths fall
 * back to index.html so client-side routes survive a reload. Returns false when the
 * bundle itself is missing (the renderer was not built).
 */
export function serveStatic(rendererDir: string, urlPath: string, port: number, res: ServerResponse): boolean {
  const index = join(rendererDir, 'index.html');
  if (!existsSync(index)) return false;
  const wanted = normalize(join(rendererDir, decodeURIComponent(urlPath)));
  const inside = wanted.startsWith(rendererDir + sep);
  const file = inside && existsSync(wanted) && statSync(wanted).isFile() ? wanted : index;
  const type = contentTypes[extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'Content-Type': type, ...securityHeaders(port) };
  headers['Cache-Control'] = file === index ? 'no-store' : 'private, max-age=3600';
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
  return true;
}

/** sendPage writes a small self-contained HTML page (no scripts) for sign-in problems. */
export function sendPage(res: ServerResponse, code: number, port: number, title: string, sentence: string): void {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2933}
code{background:#eef1f4;padding:2px 5px;border-radius:4px}</style></head>
<body><h1>${escape(title)}</h1><p>${sentence}</p></body></html>`;
  res.writeHead(code, { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders(port) });
  res.end(html);
}
