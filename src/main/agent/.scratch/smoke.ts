import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const a = (await provider.getNode(process.env.AGENT_NODE ?? 'a'))!;
const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'wh-test-store-')), 'store.db'));
const api = createClusterApi({ store, registry: new Registry(allKinds()) });
const client = new ApiClient(api.rest);
await bootstrapCluster(client, 6443);
const t = Date.now();
const agent = await startNodeAgent({ client, node: provider.runtime(a), hostDocker: docker, log: createLogger('agent'), clusterDns: '10.96.0.10' });
console.log('agent started', Date.now() - t);
const podsApi = client.resource('v1/pods');
await podsApi.create({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    nodeName: process.env.AGENT_NODE ?? 'a',
    volumes: [{ name: 'shared', emptyDir: {} }],
    containers: [
      { name: 'writer', image: 'wh-test/busybox:1', command: ['sh', '-c', 'echo hello > /shared/index.html; echo wrote; sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
      { name: 'server', image: 'wh-test/busybox:1', command: ['httpd', '-f', '-p', '8080', '-h', '/shared'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } },
    ],
  },
} as never);
for (let i = 0; i < 20; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const pod = await podsApi.get('default', 'web') as any;
  console.log(Date.now() - t, pod.status.phase, pod.status.podIP, JSON.stringify(pod.status.containerStatuses?.map((c: any) => [c.name, c.ready, Object.keys(c.state)[0], c.state.waiting?.reason])), pod.status.conditions?.map((c: any) => `${c.type}=${c.status}`).join(','));
  if (pod.status.phase === 'Running' && pod.status.containerStatuses.every((c: any) => c.ready)) break;
}
const events = await client.resource('v1/events').list({ namespace: 'default' });
for (const e of events.items as any[]) console.log(e.reason, e.involvedObject.fieldPath ?? '', e.message, e.count);
const node = await client.resource('v1/nodes').get(undefined, process.env.AGENT_NODE ?? 'a');
console.log(JSON.stringify(node.status, null, 1).slice(0, 1500));
await agent.stop();
process.exit(0);
