// The built-in kinds as real kubectl (1.27 and 1.33) sees them through the API server:
// every manifest of testManifests applies with strict validation, tables have the
// real columns and words, explain reads our schemas, and errors carry Kubernetes'
// messages. Needs no Docker, but starts a server and many kubectl processes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../store/sqliteStore';
import { ApiClient } from '../client/apiClient';
import { startApiServer, type ApiServer } from '../http/apiServer';
import { createClusterPki } from '../http/pki';
import { buildRegistry } from '../registry/buildRegistry';
import { allKinds } from './index';
import { manifests } from './testManifests';

const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.33'];
const kubectlPath = (version: string) => join(kubectlDir, `kubectl.${version}`);

function prerequisites(): boolean {
  const missing = versions.filter((v) => !existsSync(kubectlPath(v)));
  if (missing.length === 0) return true;
  const reason = `kind tests with kubectl: kubectl ${missing.join(', ')} not found in ${kubectlDir} (see PLATFORM.md)`;
  if (process.env.CI) throw new Error(`${reason}. CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

const ready = prerequisites();

let dir: string;
let store: SqliteStore;
let server: ApiServer;
let kubeconfig: string;

function kubectl(version: string) {
  const env = { ...process.env, HOME: join(dir, `home-${version}`), KUBECONFIG: kubeconfig };
  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(
        kubectlPath(version),
        [...args, '--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${version}`)],
        { env },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  return {
    async ok(args: string[]): Promise<string> {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async fails(args: string[]): Promise<string> {
      const r = await run(args);
      if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} succeeded but should have failed: ${r.stdout}`);
      return r.stderr;
    },
  };
}

/** nodePortFor gives each kubectl version's copy of the NodePort service its own port. */
function nodePortFor(ns: string): number {
  return ns.endsWith('1-27') ? 30080 : 30081;
}

/** inNamespace moves a namespaced manifest into the namespace of one kubectl version. */
function inNamespace(ns: string) {
  return manifests.map((m) => {
    const copy = structuredClone(m);
    if (copy.metadata.namespace !== undefined) copy.metadata.namespace = ns;
    if (copy.kind === 'Event') (copy.involvedObject as { namespace: string }).namespace = ns;
    // Cluster-scoped names must differ between the two kubectl versions.
    if (copy.metadata.namespace === undefined) copy.metadata.name = `${copy.metadata.name}-${ns}`;
    if (copy.kind === 'ClusterRoleBinding') (copy.roleRef as { name: string }).name = `metrics-${ns}`;
    // A claim names its StorageClass, which was renamed with the other cluster-scoped objects.
    const claimSpec = copy.kind === 'PersistentVolumeClaim' ? (copy.spec as { storageClassName?: string }) : undefined;
    if (claimSpec?.storageClassName === 'standard') claimSpec.storageClassName = `standard-${ns}`;
    // Node ports are unique across the cluster, like cluster-scoped names.
    for (const port of (copy.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []) {
      if (port.nodePort) port.nodePort = nodePortFor(ns);
    }
    return copy;
  });
}

describe.skipIf(!ready)('built-in kinds through kubectl', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-kinds-'));
    store = await openSqliteStore(join(dir, 'cluster.db'));
    const pki = await createClusterPki(join(dir, 'pki'));
    server = await startApiServer({ store, registry: buildRegistry(allKinds()), pki });
    const client = new ApiClient(server.rest);
    for (const name of ['default', ...versions.map((v) => `kinds-${v.replace('.', '-')}`)]) {
      await client.resource('v1/namespaces').create({ metadata: { name } });
    }
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: wheelhouse',
        '  cluster:',
        `    server: ${server.url}`,
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
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(versions)('kubectl %s', (version) => {
    const ns = `kinds-${version.replace('.', '-')}`;
    const k = () => kubectl(version);

    it('applies every manifest of every kind with strict validation', async () => {
      const file = join(dir, `${version}-all.json`);
      await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: inNamespace(ns) }));
      const out = await k().ok(['apply', '--validate=strict', '-f', file]);
      expect(out.trim().split('\n')).toHaveLength(manifests.length);
      expect(out).not.toMatch(/unchanged|configured/);
      // Applying again changes nothing. (The pod is left out: like in Kubernetes, its explicit
      // tolerations would replace the ones admission added, which a pod update may not remove.)
      const again = join(dir, `${version}-again.json`);
      await writeFile(
        again,
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: inNamespace(ns).filter((m) => m.kind !== 'Pod') }),
      );
      // As in Kubernetes, atomic lists that defaulting filled in, and write-only stringData,
      // make a re-apply report "configured"; everything else is unchanged.
      const configured = (await k().ok(['apply', '--validate=strict', '-f', again]))
        .split('\n')
        .filter((l) => l.endsWith(' configured'));
      expect(configured).toEqual([
        'endpoints/manual configured',
        'secret/db configured',
        'statefulset.apps/db configured',
      ]);
    });

    it('stores defaults and folds secret stringData into data', async () => {
      const pod = JSON.parse(await k().ok(['get', 'pod', 'full', '-n', ns, '-o', 'json']));
      expect(pod.spec).toMatchObject({ schedulerName: 'default-scheduler', priority: 0 });
      expect(pod.spec.containers[0]).toMatchObject({ terminationMessagePath: '/dev/termination-log' });
      expect(pod.status).toMatchObject({ phase: 'Pending', qosClass: 'Burstable' });
      expect(await k().ok(['get', 'secret', 'db', '-n', ns, '-o', 'jsonpath={.data.user}'])).toBe(
        Buffer.from('admin').toString('base64'),
      );
      const deploy = JSON.parse(await k().ok(['get', 'deploy', 'web', '-n', ns, '-o', 'json']));
      expect(deploy.spec).toMatchObject({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
      expect(deploy.metadata.generation).toBe(1);
    });

    it('prints the real table columns and pod status words', async () => {
      await k().ok([
        'patch',
        'pod',
        'full',
        '-n',
        ns,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({
          status: {
            phase: 'Running',
            podIP: '10.244.1.7',
            containerStatuses: [
              {
                name: 'app',
                ready: false,
                restartCount: 3,
                image: 'app',
                imageID: '',
                state: { waiting: { reason: 'CrashLoopBackOff' } },
              },
            ],
          },
        }),
      ]);
      const pods = await k().ok(['get', 'pods', '-n', ns, '-o', 'wide']);
      expect(pods.split('\n')[0]).toMatch(
        /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
      );
      expect(pods).toMatch(/^full\s+0\/2\s+CrashLoopBackOff\s+3\s+\S+\s+10\.244\.1\.7\s+<none>\s+<none>\s+0\/1$/m);
      const svc = await k().ok(['get', 'svc', 'web', '-n', ns, '-o', 'wide']);
      expect(svc.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/);
      // Cluster IPs and node ports are allocated by the REST layer, not by the kind.
      expect(svc).toMatch(new RegExp(`^web\\s+NodePort\\s+10\\.96\\.\\d+\\.\\d+\\s+<none>\\s+80:${nodePortFor(ns)}/TCP,53:3\\d{4}/UDP\\s+\\S+\\s+app=web$`, 'm'));
      const nodes = await k().ok(['get', 'nodes', '-o', 'wide']);
      expect(nodes.split('\n')[0]).toMatch(
        /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/,
      );
      expect(nodes).toMatch(
        new RegExp(
          `^worker-1-${ns}\\s+Ready\\s+worker\\s+\\S+\\s+v1\\.31\\.0\\s+172\\.18\\.0\\.2\\s+<none>\\s+Debian GNU/Linux 12\\s+6\\.1\\.0\\s+docker://20\\.10\\.24$`,
          'm',
        ),
      );
      const events = await k().ok(['get', 'events', '-n', ns]);
      expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
      expect(events).toMatch(/Normal\s+Pulled\s+pod\/web\s+Successfully pulled image/);
      expect(await k().ok(['get', 'secrets', '-n', ns])).toMatch(/^regcred\s+kubernetes\.io\/dockerconfigjson\s+1\s+/m);
      expect(await k().ok(['get', 'sc'])).toMatch(
        new RegExp(
          `^standard-${ns} \\(default\\)\\s+wheelhouse\\.io/host-path\\s+Delete\\s+WaitForFirstConsumer\\s+true`,
          'm',
        ),
      );
      expect(await k().ok(['get', 'jobs', '-n', ns])).toMatch(/^NAME\s+(STATUS\s+)?COMPLETIONS\s+DURATION\s+AGE/);
      expect(await k().ok(['get', 'sts', '-n', ns])).toMatch(/^db\s+0\/3\s+/m);
    });

    it('filters with kind-specific field selectors', async () => {
      expect(
        await k().ok([
          'get',
          'events',
          '-n',
          ns,
          '--field-selector',
          'involvedObject.name=web,type=Normal',
          '-o',
          'name',
        ]),
      ).toMatch(/^event\/web\.17a\n$/);
      expect(await k().ok(['get', 'pods', '-n', ns, '--field-selector', 'status.phase=Running', '-o', 'name'])).toBe(
        'pod/full\n',
      );
      expect(await k().ok(['get', 'secrets', '-n', ns, '--field-selector', 'type=Opaque', '-o', 'name'])).toBe(
        'secret/db\n',
      );
    });

    it('explains fields with our descriptions', async () => {
      const out = await k().ok(['explain', 'deployment.spec.strategy']);
      expect(out).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
      expect(out).toContain('How old pods are replaced by new ones.');
      expect(out).toMatch(/^\s+rollingUpdate\s+<RollingUpdateDeployment>/m);
      const ports = await k().ok(['explain', 'pod.spec.containers.ports']);
      expect(ports).toMatch(/^\s+containerPort\s+<integer> -required-/m);
    });

    it('rejects bad objects with Kubernetes messages', async () => {
      const bad = join(dir, `${version}-bad.json`);
      await writeFile(
        bad,
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'mismatch', namespace: ns },
          spec: {
            selector: { matchLabels: { app: 'a' } },
            template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
          },
        }),
      );
      expect(await k().fails(['create', '-f', bad])).toContain(
        'The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`',
      );
      const tls = join(dir, `${version}-tls.json`);
      await writeFile(
        tls,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'cert', namespace: ns },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': 'eA==' },
        }),
      );
      expect(await k().fails(['create', '-f', tls])).toContain(
        'The Secret "cert" is invalid: data[tls.key]: Required value',
      );
      expect(await k().fails(['scale', 'deployment', 'web', '--replicas=-1', '-n', ns])).toMatch(
        /replicas|negative|greater than or equal to 0/,
      );
      expect(await k().fails(['create', 'namespace', 'Bad_Name'])).toContain(
        'a lowercase RFC 1123 label must consist of lower case alphanumeric characters',
      );
    });
  });
});
