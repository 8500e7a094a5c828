import './timing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiClient } from '../../apiserver/client/apiClient';
import { createClusterApi } from '../../apiserver/http/apiServer';
import { allKinds } from '../../apiserver/kinds';
import { Registry } from '../../apiserver/registry/registry';
import { bootstrapCluster } from '../../clusters/bootstrap';
import { connectDocker } from '../../docker/connect';
import { createLogger } from '../../log';
import { NodeProvider } from '../../nodes/nodeContainer';
import { loadClusterPki } from '../../nodes/tls';
import { openSqliteStore } from '../../store';
import { startNodeAgent } from '../agent';

const docker = connectDocker();
const pki = await loadClusterPki('/tmp/wh-agent-scratch/pki');
const provider = new NodeProvider({ docker, cluster: 'scratch', pki, prefix: 'wh-test' });
const a = (await provider.getNode('a'))!;
const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'wh-test-store-')), 'store.db'));
const api = createClusterApi({ store, registry: new Registry(allKinds()) });
const client = new ApiClient(api.rest);
await bootstrapCluster(client, 6443);
const t0 = Date.now();
const agent = await startNodeAgent({ client, node: provider.runtime(a), hostDocker: docker, log: createLogger('agent'), clusterDns: '10.96.0.10' });
const podsApi = client.resource('v1/pods');
const mk = (name: string, spec: any) => podsApi.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { nodeName: 'a', ...spec } } as never);
await mk('live', { containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sh', '-c', 'touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 2 } }] });
await mk('img', { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sleep', '3600'] }] });
await mk('hostnet', { hostNetwork: true, containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sleep', '3600'], env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] });
const show = async (name: string) => {
  const pod = await podsApi.get('default', name) as any;
  const s = pod.status;
  return `${name}: ${s.phase} ip=${s.podIP} c=${JSON.stringify(s.containerStatuses?.map((c: any) => [c.name, c.image, Object.keys(c.state)[0], c.state.waiting?.reason ?? c.state.terminated?.reason, c.restartCount, c.ready, c.lastState?.terminated?.exitCode]))}`;
};
let patched = false;
for (let i = 0; i < 22; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  console.log(Date.now() - t0, await show('live'));
  console.log('   ', await show('img'));
  const img = await podsApi.get('default', 'img') as any;
  if (!patched && img.status.phase === 'Running') {
    patched = true;
    await podsApi.patch('default', 'img', { spec: { containers: [{ name: 'app', image: 'wh-test/busybox:2' }] } }, 'strategic');
    console.log('patched image');
  }
}
console.log(await show('hostnet'));
const hn = await podsApi.get('default', 'hostnet') as any;
const chunks: Buffer[] = [];
const w = new Writable({ write(c, _e, cb) { chunks.push(c); cb(); } });
console.log(await agent.podRuntime.exec(hn, { command: ['sh', '-c', 'echo $IP; env | grep KUBERNETES_SERVICE; hostname'], tty: false, stdout: w, stderr: w, signal: new AbortController().signal }), Buffer.concat(chunks).toString());
const ev = await client.resource('v1/events').list({ namespace: 'default' });
for (const e of ev.items as any[]) if (e.involvedObject.name !== 'hostnet') console.log(e.involvedObject.name, e.reason, e.message, e.count);
await agent.stop();
process.exit(0);
