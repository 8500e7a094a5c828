import { connectDocker } from '../../docker/connect';
import { NodeProvider } from '../../nodes/nodeContainer';
import { loadClusterPki } from '../../nodes/tls';
const docker = connectDocker();
const pki = await loadClusterPki('/tmp/wh-agent-scratch/pki');
const provider = new NodeProvider({ docker, cluster: 'scratch', pki, prefix: 'wh-test' });
const a = (await provider.getNode('a'))!;
const inner = provider.runtime(a).docker;
const ac = new AbortController();
const stream = (await (inner.getEvents as (o: unknown) => Promise<unknown>)({
  filters: { type: ['container'], event: ['die', 'oom', 'start'], label: ['io.wheelhouse.managed=true'] },
  abortSignal: ac.signal,
})) as NodeJS.ReadableStream;
stream.on('data', (c: Buffer) => console.log('EVENT', c.toString().slice(0, 200)));
const c = await inner.createContainer({ Image: 'wheelhouse/pause:0.1.0', Labels: { 'io.wheelhouse.managed': 'true' }, Entrypoint: ['sh', '-c', 'sleep 1'] });
await c.start();
await new Promise((r) => setTimeout(r, 4000));
await c.remove({ force: true });
ac.abort();
process.exit(0);
