// The node PKI: private files, reuse across restarts, and a real mutual-TLS handshake.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadClusterPki } from './tls';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-pki-'));
  dirs.push(dir);
  return dir;
}

describe('ClusterPki', () => {
  it('writes a CA, a client identity and node identities as owner-only files', async () => {
    const dir = scratch();
    const pki = await loadClusterPki(dir);
    await pki.ensureNodeCert({ name: 'worker-1', dnsNames: ['wh-demo-worker-1'], ips: ['172.18.0.2'] });
    for (const file of [
      'ca.pem',
      'ca-key.pem',
      'client/ca.pem',
      'client/cert.pem',
      'client/key.pem',
      'nodes/worker-1/server-cert.pem',
      'nodes/worker-1/server-key.pem',
      'nodes/worker-1/ca.pem',
    ]) {
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    }
    expect(statSync(join(dir, 'nodes')).mode & 0o777).toBe(0o700);
    // The CA key stays in the cluster folder; a node folder never holds it.
    expect(readFileSync(join(dir, 'nodes/worker-1/ca.pem'), 'utf8')).toBe(pki.caPem);
  });

  it('issues a server certificate for the node names and loopback, signed by the CA', async () => {
    const pki = await loadClusterPki(scratch());
    const files = await pki.ensureNodeCert({ name: 'worker-1', dnsNames: ['wh-demo-worker-1'], ips: ['172.18.0.2'] });
    const cert = new X509Certificate(files.cert);
    const ca = new X509Certificate(pki.caPem);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:worker-1');
    expect(cert.subjectAltName).toContain('DNS:wh-demo-worker-1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('IP Address:172.18.0.2');
    expect(cert.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.1');
    expect(new X509Certificate(pki.client.cert).keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.2');
  });

  it('reuses its files across restarts, and reissues a node certificate that lacks a new name', async () => {
    const dir = scratch();
    const first = await loadClusterPki(dir);
    const node = await first.ensureNodeCert({ name: 'worker-1' });
    const second = await loadClusterPki(dir);
    expect(second.caPem).toBe(first.caPem);
    expect(second.client).toEqual(first.client);
    expect(await second.ensureNodeCert({ name: 'worker-1' })).toEqual(node);
    const widened = await second.ensureNodeCert({ name: 'worker-1', ips: ['172.18.0.9'] });
    expect(widened.cert).not.toBe(node.cert);
    expect(new X509Certificate(widened.cert).subjectAltName).toContain('IP Address:172.18.0.9');
  });

  it('lets the engine and a node talk over mutual TLS and turns strangers away', async () => {
    const pki = await loadClusterPki(scratch());
    const node = await pki.ensureNodeCert({ name: 'worker-1' });
    const server = createServer(
      { ca: node.ca, cert: node.cert, key: node.key, requestCert: true, rejectUnauthorized: true },
      (_, res) => res.end('OK'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const get = (tls: { cert?: string; key?: string }) =>
      new Promise<string>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca: pki.caPem, agent: false, ...tls }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        });
        req.on('error', () => resolve('refused'));
        req.end();
      });
    try {
      expect(await get({ cert: pki.client.cert, key: pki.client.key })).toBe('OK');
      expect(await get({})).toBe('refused');
      const stranger = await loadClusterPki(scratch());
      expect(await get({ cert: stranger.client.cert, key: stranger.client.key })).toBe('refused');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
