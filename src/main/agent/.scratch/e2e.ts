import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiClient } from '../../apiserver/client/apiClient';
import { createClusterPki } from '../../apiserver/http/pki';
import { startApiServer } from '../../apiserver/http/apiServer';
import { allKinds } from '../../apiserver/kinds';
import type { Pod } from '../../apiserver/kinds/types';
import { Registry } from '../../apiserver/registry/registry';
import { bootstrapCluster } from '../../clusters/bootstrap';
import { renderKubeconfig } from '../../clusters/kubeconfigFile';
import { connectDocker } from '../../docker/connect';
import { createLogger } from '../../log';
import { NodeProvider } from '../../nodes/nodeContainer';
import { loadClusterPki } from '../../nodes/tls';
import { openSqliteStore } from '../../store';
import { handleAttachUpgrade, handleExecUpgrade, handlePortForwardUpgrade } from '../../streaming';
import { startNodeAgent, type NodeAgent } from '../agent';
const run = promisify(execFile);

const docker = connectDocker();
const npki = await loadClusterPki('/tmp/wh-agent-scratch/pki');
const provider = new NodeProvider({ docker, cluster: 'scratch', pki: npki, prefix: 'wh-test' });
const dir = mkdtempSync(join(tmpdir(), 'wh-test-store-'));
const store = await openSqliteStore(join(dir, 'store.db'));
const pki = await createClusterPki(join(dir, 'pki'));
const agents = new Map<string, NodeAgent>();
const agentOf = (pod: Pod) => agents.get(pod.spec?.nodeName ?? '')!;
const server = await startApiServer({
  store, registry: new Registry(allKinds()), pki, port: 0, log: createLogger('api'),
  connect: {
    log: async ({ object, query, res }) => {
      const pod = object as Pod;
      const num = (k: string) => (query.get(k) ? Number(query.get(k)) : undefined);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      await agentOf(pod).podRuntime.logs(pod, query.get('container') ?? undefined, { follow: query.get('follow') === 'true', previous: query.get('previous') === 'true', tailLines: num('tailLines'), timestamps: query.get('timestamps') === 'true', limitBytes: num('limitBytes'), sinceSeconds: num('sinceSeconds'), signal: abort.signal }, res);
      res.end();
    },
  },
  upgrade: ({ req, socket, head, object, subresource }) => {
    const pod = object as Pod;
    const agent = agentOf(pod);
    if (subresource === 'exec') handleExecUpgrade(req, socket, head, { backend: (r) => agent.podRuntime.exec(pod, r) });
    else if (subresource === 'attach') handleAttachUpgrade(req, socket, head, { backend: (r) => agent.podRuntime.attach(pod, r) });
    else handlePortForwardUpgrade(req, socket, head, { backend: (port, signal) => agent.podRuntime.portForward(pod, port, signal), target: `pod ${pod.metadata.name}` });
  },
});
const client = new ApiClient(server.rest);
await bootstrapCluster(client, server.port);
const kc = join(dir, 'kubeconfig');
writeFileSync(kc, renderKubeconfig({ cluster: 'scratch', server: server.url, caPem: pki.caCert, clientCertPem: pki.adminCert, clientKeyPem: pki.adminKey, user: 'admin' }));
for (const n of ['a', 'b']) agents.set(n, await startNodeAgent({ client, node: provider.runtime((await provider.getNode(n))!), hostDocker: docker, log: createLogger(`agent-${n}`), clusterDns: '10.96.0.10' }));
const k = async (bin: string, ...args: string[]) => { try { const r = await run(bin, ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), ...args], { encoding: 'utf8', timeout: 60000 }); return r.stdout + r.stderr; } catch (e: any) { return `ERR(${e.code}) ${e.stdout}${e.stderr}`; } };
const K = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', OLD = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
console.log(await k(K, 'run', 'web', '--image=wh-test/busybox:1', '--overrides={"spec":{"nodeName":"b"}}', '--', 'sh', '-c', 'echo started; httpd -f -p 8080 -h /www'));
for (let i = 0; i < 40; i++) { const p = await client.resource<Pod>('v1/pods').get('default', 'web'); if (p.status?.phase === 'Running') break; await new Promise((r) => setTimeout(r, 500)); }
for (const bin of [K, OLD]) {
  console.log(bin.slice(-4), 'logs:', await k(bin, 'logs', 'web'));
  console.log(bin.slice(-4), 'exec:', await k(bin, 'exec', 'web', '--', 'sh', '-c', 'echo in $(hostname); exit 5'));
  console.log(bin.slice(-4), 'exec -i:', await k(bin, 'exec', '-i', 'web', '--', 'cat', '/www/index.html'));
}
// port-forward
for (const bin of [K, OLD]) {
  const pf = spawn(bin, ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), 'port-forward', 'pod/web', '18081:8080']);
  let pfOut = '';
  pf.stdout.on('data', (d) => (pfOut += d));
  pf.stderr.on('data', (d) => (pfOut += d));
  await new Promise((r) => setTimeout(r, 2500));
  const res = await fetch('http://127.0.0.1:18081/').then((r) => r.text()).catch((e) => `fetch error ${e}`);
  console.log(bin.slice(-4), 'port-forward:', res.trim(), '|', pfOut.trim());
  pf.kill();
  await new Promise((r) => setTimeout(r, 500));
}
// run -i --rm style (attach, no tty since no terminal here)
console.log('run -i:', await k(K, 'run', 'once', '-i', '--rm', '--restart=Never', '--image=wh-test/busybox:1', '--overrides={"spec":{"nodeName":"a"}}', '--', 'sh', '-c', 'echo from run; exit 0'));
console.log('run Never exit 3:', await k(K, 'run', 'three', '-i', '--restart=Never', '--image=wh-test/busybox:1', '--overrides={"spec":{"nodeName":"a"}}', '--', 'sh', '-c', 'echo three; exit 3'));
console.log(await k(K, 'get', 'pods', '-o', 'wide'));
console.log(await k(K, 'delete', 'pod', 'web', '--wait=true', '--timeout=60s'));
console.log(await k(K, 'get', 'pods'));
for (const a of agents.values()) await a.stop();
await server.close();
process.exit(0);
