// The controllers as real kubectl binaries (1.27 and 1.33) drive them: create, roll
// out, undo, restart and scale a Deployment and wait with `kubectl rollout status`,
// run a Job with `kubectl wait`, and delete a Deployment and a namespace with the
// default cascading deletion. The API is served over HTTPS from a SQLite store; the
// test kubelet stands in for the node agents, so no Docker is needed, only kubectl.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './testing/testCluster';

// PLATFORM.md: versioned kubectl binaries live here on the build machines.
const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.33'];
const kubectlPath = (version: string) => join(kubectlDir, `kubectl.${version}`);

function prerequisites(): boolean {
  const missing = versions.filter((v) => !existsSync(kubectlPath(v)));
  if (missing.length === 0) return true;
  const reason = `kubectl workload tests: kubectl ${missing.join(', ')} not found in ${kubectlDir} (see PLATFORM.md)`;
  if (process.env.CI) throw new Error(`${reason}. CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

const ready = prerequisites();
let cluster: TestCluster;
let dir: string;
let kubeconfig: string;

/** runKubectl runs one kubectl command with the test kubeconfig and its own cache, resolving its stdout. */
function runKubectl(version: string, args: string[], input = ''): Promise<string> {
  const env = { ...process.env, HOME: join(dir, `home-${version}`), KUBECONFIG: kubeconfig };
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(version), [...args, '--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${version}`)], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${args.join(' ')} failed (${code}): ${stderr}`))));
    child.stdin.end(input);
  });
}

function kubectl(version: string) {
  return (...args: string[]): Promise<string> => runKubectl(version, args);
}

function kubectlApply(version: string) {
  return (namespace: string, manifest: string): Promise<string> => runKubectl(version, ['-n', namespace, 'apply', '-f', '-'], manifest);
}

const daemonSetAndStatefulSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: agent:1
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 2
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: db:1
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

describe.skipIf(!ready)('workloads driven by kubectl', () => {
  beforeAll(async () => {
    cluster = await startTestCluster({
      serve: true,
      // Job pods finish; everything else runs.
      kubelet: { outcome: (pod) => (pod.metadata.labels?.['job-name'] ? 'succeed' : 'run'), readyDelayMs: 20 },
    });
    dir = await mkdtemp(join(tmpdir(), 'wh-kubectl-workloads-'));
    kubeconfig = join(dir, 'kubeconfig');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const { url, pki } = cluster.server!;
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: wheelhouse',
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${b64(pki.caCert)}`,
        'users:',
        '- name: admin',
        '  user:',
        `    client-certificate-data: ${b64(pki.adminCert)}`,
        `    client-key-data: ${b64(pki.adminKey)}`,
        'contexts:',
        '- name: wheelhouse',
        '  context:',
        '    cluster: wheelhouse',
        '    user: admin',
        'current-context: wheelhouse',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const version of versions) {
    it(`rolls out, undoes, restarts and scales a Deployment with kubectl ${version}`, async () => {
      const k = kubectl(version);
      const ns = `kc-${version.replace('.', '-')}`;
      await k('create', 'namespace', ns);
      await k('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3');
      expect(await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('deployment "web" successfully rolled out');

      await k('-n', ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.26');
      expect(await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      const history = await k('-n', ns, 'rollout', 'history', 'deployment/web');
      expect(history).toMatch(/^1\s/m);
      expect(history).toMatch(/^2\s/m);

      expect(await k('-n', ns, 'rollout', 'undo', 'deployment/web')).toContain('rolled back');
      expect(await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect(await k('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:1.25');
      expect((await k('-n', ns, 'get', 'rs', '-o', 'name')).trim().split('\n')).toHaveLength(2);
      expect(await k('-n', ns, 'get', 'deployment', 'web', '-o', "jsonpath={.metadata.annotations['deployment\\.kubernetes\\.io/revision']}")).toBe('3');

      await k('-n', ns, 'rollout', 'restart', 'deployment/web');
      expect(await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect((await k('-n', ns, 'get', 'rs', '-o', 'name')).trim().split('\n')).toHaveLength(3);

      await k('-n', ns, 'scale', 'deployment/web', '--replicas=5');
      expect(await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect(await k('-n', ns, 'get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}/{.status.availableReplicas}')).toBe('5/5/5');

      await k('-n', ns, 'delete', 'deployment', 'web');
      await k('-n', ns, 'wait', '--for=delete', 'pod', '-l', 'app=web', '--timeout=60s');
      expect((await k('-n', ns, 'get', 'rs,pods', '-o', 'name')).trim()).toBe('');
    });

    it(`runs a Job to completion and deletes a namespace with kubectl ${version}`, async () => {
      const k = kubectl(version);
      const ns = `jobs-${version.replace('.', '-')}`;
      await k('create', 'namespace', ns);
      await k('-n', ns, 'create', 'job', 'pi', '--image=busybox', '--', 'echo', 'done');
      await k('-n', ns, 'wait', '--for=condition=complete', 'job/pi', '--timeout=60s');
      expect(await k('-n', ns, 'get', 'job', 'pi', '-o', 'jsonpath={.status.succeeded}')).toBe('1');
      await k('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2');
      await k('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');

      // `kubectl delete namespace` waits until the namespace is gone.
      await k('delete', 'namespace', ns, '--timeout=60s');
      await expect(k('get', 'namespace', ns)).rejects.toThrow(/NotFound|not found/);
    });

    it(`waits for DaemonSet and StatefulSet rollouts with kubectl ${version}`, async () => {
      const k = kubectl(version);
      const ns = `sets-${version.replace('.', '-')}`;
      await k('create', 'namespace', ns);
      await kubectlApply(version)(ns, daemonSetAndStatefulSet);
      expect(await k('-n', ns, 'rollout', 'status', 'daemonset/agent', '--timeout=60s')).toContain('daemon set "agent" successfully rolled out');
      expect(await k('-n', ns, 'rollout', 'status', 'statefulset/db', '--timeout=60s')).toContain('partitioned roll out complete: 2 new pods have been updated');
      expect((await k('-n', ns, 'get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.nodeName}')).split(' ').sort()).toEqual(['worker-1', 'worker-2']);
      expect(await k('-n', ns, 'get', 'pvc', '-o', 'name')).toBe('persistentvolumeclaim/data-db-0\npersistentvolumeclaim/data-db-1\n');

      await k('-n', ns, 'rollout', 'restart', 'daemonset/agent');
      await k('-n', ns, 'rollout', 'restart', 'statefulset/db');
      expect(await k('-n', ns, 'rollout', 'status', 'daemonset/agent', '--timeout=60s')).toContain('successfully rolled out');
      expect(await k('-n', ns, 'rollout', 'status', 'statefulset/db', '--timeout=60s')).toContain('2 new pods have been updated');
      expect(await k('-n', ns, 'get', 'statefulset', 'db', '-o', 'jsonpath={.status.currentRevision}={.status.updateRevision}')).toMatch(/^(db-\w+)=\1$/);
    });
  }
});
