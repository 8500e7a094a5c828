// The serving certificate covers the names pods use for the API server (the
// kubernetes Service's address and DNS names), and a cluster whose certificate lacks
// them gets a new one from the same CA on its next start.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClusterPki } from './pki';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-pki-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inClusterNames = [
  'IP Address:10.96.0.1',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
];

function altNames(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? '').split(', ').filter(Boolean);
}

describe('cluster PKI', () => {
  it('serves with the names of the kubernetes Service', async () => {
    const pki = await createClusterPki(dir);
    expect(altNames(pki.serverCert)).toEqual(expect.arrayContaining([...inClusterNames, 'IP Address:127.0.0.1']));
    // The next start keeps it.
    expect((await createClusterPki(dir)).serverCert).toBe(pki.serverCert);
  });

  it('replaces a serving certificate that lacks those names, keeping the CA', async () => {
    const first = await createClusterPki(dir);
    // A certificate from the same CA without any names, as an older cluster might have.
    const bare = await first.issueClientCertificate('kube-apiserver', []);
    await writeFile(join(dir, 'apiserver.crt'), bare.cert);
    await writeFile(join(dir, 'apiserver.key'), bare.key);
    const second = await createClusterPki(dir);
    expect(second.caCert).toBe(first.caCert);
    expect(second.serverCert).not.toBe(bare.cert);
    expect(altNames(second.serverCert)).toEqual(expect.arrayContaining(inClusterNames));
    expect(new X509Certificate(second.serverCert).verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
  });
});
