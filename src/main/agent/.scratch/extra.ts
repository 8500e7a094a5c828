import './timing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
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
import { TerminalSizeQueue } from '../../streaming/terminalSize';
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
await client.resource('v1/configmaps').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'greeting.txt': 'hi from cm', MODE: 'fast' } } as never);
await client.resource('v1/secrets').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } } as never);
const mk = (name: string, spec: any) => podsApi.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { nodeName: 'a', ...spec } } as never);
await mk('init', {
  initContainers: [
    { name: 'i1', image: 'wh-test/busybox:1', command: ['sh', '-c', 'sleep 2; echo one > /work/one'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
    { name: 'i2', image: 'wh-test/busybox:1', command: ['sh', '-c', 'sleep 1; echo two >> /work/one'], volumeMounts: [{ name: 'w', mountPath: '/work' }] },
  ],
  volumes: [{ name: 'w', emptyDir: { medium: 'Memory' } }, { name: 'c', configMap: { name: 'cfg' } }, { name: 's', secret: { secretName: 'sec' } }, { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }],
  containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sleep', '3600'], envFrom: [{ configMapRef: { name: 'cfg' } }], env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } }],
    volumeMounts: [{ name: 'w', mountPath: '/work' }, { name: 'c', mountPath: '/cfg' }, { name: 's', mountPath: '/sec' }, { name: 'd', mountPath: '/meta' }] }],
});
await mk('live', { containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sh', '-c', 'touch /tmp/ok; sleep 4; rm /tmp/ok; sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 2 } }] });
await mk('tty', { containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sh'], stdin: true, tty: true }] });
await mk('nocmd', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['no-such-binary'] }] });
await mk('cfgerr', { containers: [{ name: 'app', image: 'wh-test/busybox:1', command: ['sleep', '1'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }] });
await mk('never', { containers: [{ name: 'app', image: 'wh-test/never:1', imagePullPolicy: 'Never' }] });
const show = async (name: string) => {
  const pod = await podsApi.get('default', name) as any;
  const s = pod.status;
  return `${name}: ${s.phase} init=${JSON.stringify(s.initContainerStatuses?.map((c: any) => [c.name, Object.keys(c.state)[0], c.state.waiting?.reason ?? c.state.terminated?.reason, c.ready]))} c=${JSON.stringify(s.containerStatuses?.map((c: any) => [c.name, Object.keys(c.state)[0], c.state.waiting?.reason ?? c.state.terminated?.reason, c.state.waiting?.message ?? c.state.terminated?.message, c.restartCount, c.ready]))}`;
};
for (let i = 0; i < 24; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  console.log(Date.now() - t0, await show('init'));
  console.log('   ', await show('live'));
}
for (const n of ['tty', 'nocmd', 'cfgerr', 'never']) console.log(await show(n));
const init = await podsApi.get('default', 'init') as any;
const out = (): { w: Writable; text: () => string } => { const c: Buffer[] = []; return { w: new Writable({ write(ch, _e, cb) { c.push(ch); cb(); } }), text: () => Buffer.concat(c).toString() }; };
const o = out();
let r = await agent.podRuntime.exec(init, { command: ['sh', '-c', 'cat /work/one /cfg/greeting.txt; echo; cat /sec/password; echo; echo $MODE $PW; cat /meta/labels; echo; mount | grep /work'], container: 'app', tty: false, stdout: o.w, stderr: o.w, signal: new AbortController().signal });
console.log('exec', r, o.text());
// TTY exec with resize
const tty = await podsApi.get('default', 'tty') as any;
const o2 = out();
const resize = new TerminalSizeQueue();
resize.push({ width: 100, height: 33 });
const stdin = new PassThrough();
const p2 = agent.podRuntime.exec(tty, { command: ['sh', '-c', 'stty size; read x; echo got $x'], container: 'app', tty: true, stdin, stdout: o2.w, resize, signal: new AbortController().signal });
setTimeout(() => stdin.write('hello\n'), 500);
r = await p2;
console.log('tty exec', r, JSON.stringify(o2.text()));
// attach
const o3 = out();
const stdin3 = new PassThrough();
const ac = new AbortController();
const p3 = agent.podRuntime.attach(tty, { container: 'app', tty: true, stdin: stdin3, stdout: o3.w, signal: ac.signal, resize: new TerminalSizeQueue() });
setTimeout(() => stdin3.write('echo attached $((1+2))\n'), 300);
setTimeout(() => stdin3.write('exit 4\n'), 800);
r = await p3;
console.log('attach', r, JSON.stringify(o3.text()));
await new Promise((r) => setTimeout(r, 1500));
console.log(await show('tty'));
// port-forward to closed port
const web = await podsApi.get('default', 'live') as any;
const d = await agent.podRuntime.portForward(web, 9999);
d.on('error', (e) => console.log('pf error:', e.message));
d.on('data', () => {});
d.on('end', () => console.log('pf end'));
d.write('x');
await new Promise((r) => setTimeout(r, 1500));
const ev = await client.resource('v1/events').list({ namespace: 'default' });
for (const e of ev.items as any[]) if (e.type === 'Warning' || e.reason === 'Killing') console.log(e.involvedObject.name, e.reason, e.message, e.count);
await agent.stop();
process.exit(0);
