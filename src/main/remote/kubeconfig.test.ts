// Kubeconfigs as people have them: inline data, files beside the kubeconfig, tokens,
// passwords, and contexts Wheelhouse cannot use, each saying why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ApiError } from '../errors';
import { listContexts, parseKubeconfig, resolveContext, suggestClusterName } from './kubeconfig';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const certPem = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const keyPem = '-----BEGIN EC PRIVATE KEY-----\nMHckey\n-----END EC PRIVATE KEY-----\n';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'wh-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'ca.crt'), caPem);
writeFileSync(join(dir, 'client.crt'), certPem);
writeFileSync(join(dir, 'client.key'), keyPem);
writeFileSync(join(dir, 'token'), 'token-from-file\n');

const kubeconfig = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'prod',
  clusters: [
    { name: 'prod-cluster', cluster: { server: 'https://10.0.0.1:6443/', 'certificate-authority-data': b64(caPem), 'tls-server-name': 'api.prod' } },
    { name: 'lab', cluster: { server: 'https://lab.example:443', 'certificate-authority': 'ca.crt' } },
    { name: 'dev', cluster: { server: 'https://dev.example', 'insecure-skip-tls-verify': true } },
    { name: 'no-server', cluster: {} },
  ],
  users: [
    { name: 'admin', user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } },
    { name: 'files', user: { 'client-certificate': 'client.crt', 'client-key': join(dir, 'client.key') } },
    { name: 'bearer', user: { token: 'inline-token' } },
    { name: 'token-file', user: { token: 'ignored', tokenFile: 'token' } },
    { name: 'basic', user: { username: 'ann', password: 's3cret' } },
    { name: 'eks', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token'] } } },
    { name: 'gke', user: { 'auth-provider': { name: 'gcp' } } },
    { name: 'half', user: { 'client-certificate-data': b64(certPem) } },
  ],
  contexts: [
    { name: 'prod', context: { cluster: 'prod-cluster', user: 'admin', namespace: 'shop' } },
    { name: 'lab', context: { cluster: 'lab', user: 'files' } },
    { name: 'dev-token', context: { cluster: 'dev', user: 'bearer' } },
    { name: 'dev-token-file', context: { cluster: 'dev', user: 'token-file' } },
    { name: 'dev-basic', context: { cluster: 'dev', user: 'basic' } },
    { name: 'arn:aws:eks:eu-west-1:123:cluster/Shop', context: { cluster: 'dev', user: 'eks' } },
    { name: 'gke', context: { cluster: 'dev', user: 'gke' } },
    { name: 'broken', context: { cluster: 'missing', user: 'admin' } },
    { name: 'serverless', context: { cluster: 'no-server', user: 'admin' } },
    { name: 'half', context: { cluster: 'dev', user: 'half' } },
  ],
});

const config = parseKubeconfig(kubeconfig, dir);

function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('listContexts', () => {
  it('lists every context with its cluster, server, namespace and whether it is current', () => {
    const contexts = listContexts(config);
    expect(contexts.map((c) => c.name)).toHaveLength(10);
    expect(contexts[0]).toEqual({
      name: 'prod',
      cluster: 'prod-cluster',
      user: 'admin',
      namespace: 'shop',
      server: 'https://10.0.0.1:6443/',
      current: true,
      suggestedName: 'prod',
    });
    expect(contexts.filter((c) => c.current).map((c) => c.name)).toEqual(['prod']);
  });

  it('says in a sentence why a context cannot be imported', () => {
    const problems = Object.fromEntries(listContexts(config).map((c) => [c.name, c.problem]));
    expect(problems['arn:aws:eks:eu-west-1:123:cluster/Shop']).toMatch(/exec plugin "aws".*cannot run/);
    expect(problems.gke).toMatch(/auth provider "gcp"/);
    expect(problems.broken).toMatch(/cluster "missing", which the kubeconfig does not define/);
    expect(problems.serverless).toMatch(/no server address/);
    expect(problems.prod).toBeUndefined();
    expect(problems['dev-token']).toBeUndefined();
  });

  it('suggests a valid cluster name for any context name', () => {
    expect(suggestClusterName('arn:aws:eks:eu-west-1:123:cluster/Shop')).toBe('arn-aws-eks-eu-west-1-123-cluste');
    expect(suggestClusterName('gke_project_zone_Cluster')).toBe('gke-project-zone-cluster');
    expect(suggestClusterName('___')).toBe('remote');
  });
});

describe('resolveContext', () => {
  it('decodes inline CA, client certificate and key, and keeps the namespace', () => {
    const prod = resolveContext(config, 'prod');
    expect(prod.namespace).toBe('shop');
    expect(prod.credentials).toEqual({
      server: 'https://10.0.0.1:6443',
      caPem,
      tlsServerName: 'api.prod',
      clientCertPem: certPem,
      clientKeyPem: keyPem,
    });
  });

  it('reads CA and client files relative to the kubeconfig folder, and absolute ones as they are', () => {
    const lab = resolveContext(config, 'lab').credentials;
    expect(lab.caPem).toBe(caPem);
    expect(lab.clientCertPem).toBe(certPem);
    expect(lab.clientKeyPem).toBe(keyPem);
  });

  it('takes bearer tokens inline or from a token file, and basic auth', () => {
    expect(resolveContext(config, 'dev-token').credentials).toEqual({ server: 'https://dev.example', insecureSkipTlsVerify: true, token: 'inline-token' });
    expect(resolveContext(config, 'dev-token-file').credentials.token).toBe('token-from-file');
    expect(resolveContext(config, 'dev-basic').credentials).toMatchObject({ username: 'ann', password: 's3cret' });
  });

  it('refuses exec plugins, half a key pair, unknown contexts and unreadable files with a sentence', () => {
    expect(failure(() => resolveContext(config, 'arn:aws:eks:eu-west-1:123:cluster/Shop')).message).toMatch(/exec plugin/);
    expect(failure(() => resolveContext(config, 'half')).message).toMatch(/client certificate without its key/);
    const unknown = failure(() => resolveContext(config, 'nope'));
    expect(unknown.reason).toBe('NotFound');
    expect(unknown.hint).toMatch(/prod, lab/);
    const elsewhere = parseKubeconfig(kubeconfig, join(dir, 'elsewhere'));
    expect(failure(() => resolveContext(elsewhere, 'lab')).message).toMatch(/certificate authority file .*ca\.crt cannot be read/);
  });
});

describe('parseKubeconfig', () => {
  it('refuses text that is not a kubeconfig, plainly', () => {
    expect(failure(() => parseKubeconfig('a: [1, 2', dir)).message).toMatch(/not valid YAML/);
    expect(failure(() => parseKubeconfig('just words', dir)).message).toMatch(/not a kubeconfig/);
    expect(failure(() => parseKubeconfig('kind: Pod\napiVersion: v1\n', dir)).message).toMatch(/a Pod, not a kubeconfig/);
    expect(failure(() => parseKubeconfig('apiVersion: v1\nkind: Config\nclusters: []\n', dir)).message).toMatch(/no contexts/);
  });
});
