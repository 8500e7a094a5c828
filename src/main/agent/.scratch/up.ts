import { mkdirSync } from 'node:fs';
import { connectDocker } from '../../docker/connect';
import { NodeProvider } from '../../nodes/nodeContainer';
import { buildNodeImage } from '../../nodes/nodeImage';
import { ensureBusyboxImage } from '../../nodes/testImages';
import { loadClusterPki } from '../../nodes/tls';

const docker = connectDocker();
await buildNodeImage(docker, { source: 'host' });
await ensureBusyboxImage(docker);
const dir = '/tmp/wh-agent-scratch/pki';
mkdirSync(dir, { recursive: true });
const pki = await loadClusterPki(dir);
const provider = new NodeProvider({ docker, cluster: 'scratch', pki, prefix: 'wh-test' });
const t = Date.now();
const nodes = await provider.startNodes([{ name: 'a' }, { name: 'b' }]);
console.log(Date.now() - t, nodes.map((n) => [n.name, n.containerName, n.enginePort, n.ip]));
