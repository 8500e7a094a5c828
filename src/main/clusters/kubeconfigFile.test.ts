// Merging a cluster's kubeconfig keeps every other context in the user's file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeKubeconfig, renderKubeconfig } from './kubeconfigFile';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wh-kubeconfig-'));
  dirs.push(dir);
  return join(dir, 'config');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const ours = renderKubeconfig({ cluster: 'dev', server: 'https://127.0.0.1:6443', caPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY' });

describe('kubeconfig', () => {
  it('renders one cluster, user and context with embedded credentials', () => {
    const doc = parse(ours);
    expect(doc['current-context']).toBe('wheelhouse-dev');
    expect(doc.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe('CA');
    expect(Buffer.from(doc.users[0].user['client-key-data'], 'base64').toString()).toBe('KEY');
  });

  it('merges into an existing file without touching other contexts', () => {
    const file = tempFile();
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: {server: "https://prod.example:443"}\nusers:\n- name: me\n  user: {token: secret}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: me}\n',
    );
    expect(mergeKubeconfig(ours, file)).toEqual({ file, context: 'wheelhouse-dev' });
    const doc = parse(readFileSync(file, 'utf8'));
    expect(doc['current-context']).toBe('prod');
    expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'wheelhouse-dev']);
    expect(doc.users.find((u: { name: string }) => u.name === 'me').user.token).toBe('secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces its own context on a second merge instead of duplicating it', () => {
    const file = tempFile();
    mergeKubeconfig(ours, file);
    mergeKubeconfig(ours.replace('6443', '7443'), file);
    const doc = parse(readFileSync(file, 'utf8'));
    expect(doc.clusters).toHaveLength(1);
    expect(doc.clusters[0].cluster.server).toBe('https://127.0.0.1:7443');
    expect(doc['current-context']).toBe('wheelhouse-dev');
  });

  it('refuses to overwrite a file that is not a kubeconfig', () => {
    const file = tempFile();
    writeFileSync(file, '- just\n- a list\n');
    expect(() => mergeKubeconfig(ours, file)).toThrow(/not a kubeconfig file; it was left unchanged/);
    expect(readFileSync(file, 'utf8')).toBe('- just\n- a list\n');
  });
});
