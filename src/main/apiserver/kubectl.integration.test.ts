// The API server as real kubectl binaries (1.27 and 1.33) see it: an HTTPS server on a
// random 127.0.0.1 port over a real SQLite store, a kubeconfig with the cluster CA and
// the admin client certificate, a fresh discovery cache per version, and validation
// left on. Needs no Docker; it is slow, hence an integration test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore';
import { ApiClient } from './client/apiClient';
import { startApiServer, type ApiServer } from './http/apiServer';
import { createClusterPki } from './http/pki';
import { allKinds } from './kinds';
import { buildRegistry } from './registry/buildRegistry';

// PLATFORM.md: versioned kubectl binaries live here on the build machines.
const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.33'];
const kubectlPath = (version: string) => join(kubectlDir, `kubectl.${version}`);

function prerequisites(): boolean {
  const missing = versions.filter((v) => !existsSync(kubectlPath(v)));
  if (missing.length === 0) return true;
  const reason = `kubectl API server tests: kubectl ${missing.join(', ')} not found in ${kubectlDir} (see PLATFORM.md)`;
  if (process.env.CI) throw new Error(`${reason}. CI is set, so this is a failure, not a skip.`);
  console.warn(`SKIPPED ${reason}`);
  return false;
}

const ready = prerequisites();

let dir: string;
let store: SqliteStore;
let server: ApiServer;
let kubeconfig: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kubectlFor(version: string) {
  const cacheDir = join(dir, `cache-${version}`);
  const base = (args: string[]) => [...args, '--kubeconfig', kubeconfig, '--cache-dir', cacheDir];
  const env = { ...process.env, HOME: join(dir, `home-${version}`), KUBECONFIG: kubeconfig };
  const run = (args: string[], input?: string): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(kubectlPath(version), base(args), { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  const ok = async (args: string[], input?: string): Promise<string> => {
    const result = await run(args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  };
  const fails = async (args: string[], input?: string): Promise<string> => {
    const result = await run(args, input);
    if (result.code === 0) throw new Error(`kubectl ${args.join(' ')} succeeded but should have failed: ${result.stdout}`);
    return result.stderr;
  };
  const start = (args: string[]): ChildProcess => spawn(kubectlPath(version), base(args), { env });
  return { run, ok, fails, start };
}

function podYaml(name: string, labels: Record<string, string>, image = 'busybox'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    ...Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`),
    'spec:',
    '  containers:',
    '  - name: main',
    ...(image ? [`    image: ${image}`] : []),
    '',
  ].join('\n');
}

function deploymentYaml(name: string, extraLabel?: string, replicas = 2): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    ...(extraLabel ? [`    ${extraLabel}: "yes"`] : []),
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        ports:',
    '        - containerPort: 80',
    '',
  ].join('\n');
}

async function waitForLine(child: ChildProcess, pattern: RegExp, seen: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!seen.some((line) => pattern.test(line))) {
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in: ${seen.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  void child;
}

describe.skipIf(!ready)('kubectl against the API server', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-kubectl-'));
    store = await openSqliteStore(join(dir, 'cluster.db'));
    const pki = await createClusterPki(join(dir, 'pki'));
    server = await startApiServer({ store, registry: buildRegistry(allKinds()), pki });
    const client = new ApiClient(server.rest);
    for (const name of ['default', 'kube-system', ...versions.map((v) => `kc-${v.replace('.', '-')}`)]) {
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
    const ns = `kc-${version.replace('.', '-')}`;
    const k = () => kubectlFor(version);
    const file = (name: string) => join(dir, `${version}-${name}`);

    it('lists API resources with groups, short names and namespacing', async () => {
      const out = await k().ok(['api-resources']);
      expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      expect(out).toMatch(/^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m);
    });

    it('creates from a file with validation on, and explains AlreadyExists and Invalid errors', async () => {
      await writeFile(file('web.yaml'), podYaml('web', { app: 'web', tier: 'front' }));
      expect(await k().ok(['create', '-f', file('web.yaml'), '-n', ns])).toBe('pod/web created\n');
      expect(await k().fails(['create', '-f', file('web.yaml'), '-n', ns])).toContain(
        `Error from server (AlreadyExists): error when creating "${file('web.yaml')}": pods "web" already exists`,
      );
      await writeFile(file('bad.yaml'), podYaml('bad', { app: 'bad' }, ''));
      expect(await k().fails(['create', '-f', file('bad.yaml'), '-n', ns])).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required value');
      await writeFile(file('unknown.yaml'), podYaml('unknown', { app: 'x' }).replace('spec:\n', 'spec:\n  bogus: 1\n'));
      expect(await k().fails(['create', '-f', file('unknown.yaml'), '-n', ns])).toContain('unknown field "spec.bogus"');
    });

    it('gets objects as tables (wide, all namespaces, labels) and as yaml, json and names', async () => {
      await writeFile(file('db.yaml'), podYaml('db', { app: 'db', tier: 'back' }));
      await k().ok(['create', '-f', file('db.yaml'), '-n', ns]);
      const wide = await k().ok(['get', 'pods', '-o', 'wide', '-n', ns]);
      expect(wide.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
      expect(wide).toMatch(/^web\s+0\/1\s+Pending\s+0\s+/m);
      const all = await k().ok(['get', 'pods', '-A']);
      expect(all.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY/);
      expect(all).toMatch(new RegExp(`^${ns}\\s+db\\s+`, 'm'));
      const labels = await k().ok(['get', 'pods', '--show-labels', '-n', ns]);
      expect(labels).toMatch(/^web\s+.*app=web,tier=front$/m);
      const yaml = await k().ok(['get', 'pod', 'web', '-o', 'yaml', '-n', ns]);
      expect(yaml).toContain('kind: Pod');
      expect(yaml).toMatch(/resourceVersion: "\d+"/);
      const json = JSON.parse(await k().ok(['get', 'pod', 'web', '-o', 'json', '-n', ns]));
      expect(json.metadata).toMatchObject({ name: 'web', namespace: ns, labels: { app: 'web', tier: 'front' } });
      expect(await k().ok(['get', 'pods', '-o', 'name', '-n', ns])).toBe('pod/db\npod/web\n');
    });

    it('filters with set-based label selectors and field selectors', async () => {
      expect(await k().ok(['get', 'pods', '-l', 'tier in (front,middle),!canary', '-o', 'name', '-n', ns])).toBe('pod/web\n');
      expect(await k().ok(['get', 'pods', '-l', 'tier notin (front)', '-o', 'name', '-n', ns])).toBe('pod/db\n');
      expect(await k().ok(['get', 'pods', '-l', 'app', '-o', 'name', '-n', ns])).toBe('pod/db\npod/web\n');
      expect(await k().ok(['get', 'pods', '--field-selector', 'metadata.name=db', '-o', 'name', '-n', ns])).toBe('pod/db\n');
      expect(await k().ok(['get', 'pods', '--field-selector', 'status.phase!=Pending', '-n', ns])).toBe('');
      expect(await k().fails(['get', 'pods', '--field-selector', 'spec.bogus=1', '-n', ns])).toContain('field label not supported: spec.bogus');
    });

    it('watches: lists first, then prints changes as they happen', async () => {
      const child = k().start(['get', 'pods', '-w', '-n', ns]);
      const lines: string[] = [];
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts);
      });
      try {
        await waitForLine(child, /^web\s+0\/1\s+Pending/, lines);
        await writeFile(file('watched.yaml'), podYaml('watched', { app: 'watched' }));
        await k().ok(['create', '-f', file('watched.yaml'), '-n', ns]);
        await waitForLine(child, /^watched\s+0\/1\s+Pending/, lines);
        await k().ok(['label', 'pod', 'watched', 'seen=yes', '-n', ns]);
        await waitForLine(child, /^watched\s+/, lines.filter((l) => /^watched/.test(l)).slice(1));
      } finally {
        child.kill();
      }
      expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS/);
    });

    it('applies client-side: creates, says unchanged, and removes a field dropped from the file', async () => {
      await writeFile(file('deploy.yaml'), deploymentYaml('site', 'canary'));
      expect(await k().ok(['apply', '-f', file('deploy.yaml'), '-n', ns])).toBe('deployment.apps/site created\n');
      expect(await k().ok(['apply', '-f', file('deploy.yaml'), '-n', ns])).toBe('deployment.apps/site unchanged\n');
      await writeFile(file('deploy.yaml'), deploymentYaml('site'));
      expect(await k().ok(['apply', '-f', file('deploy.yaml'), '-n', ns])).toBe('deployment.apps/site configured\n');
      const labels = JSON.parse(await k().ok(['get', 'deployment', 'site', '-o', 'jsonpath={.metadata.labels}', '-n', ns]));
      expect(labels).toEqual({ app: 'site' });
      const wide = await k().ok(['get', 'deployments', '-o', 'wide', '-n', ns]);
      expect(wide.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
      expect(wide).toMatch(/^site\s+0\/2\s+.*nginx:1\.27\s+app=site$/m);
    });

    it('applies server-side, creating when absent and updating after', async () => {
      await writeFile(file('ssa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
      expect(await k().ok(['apply', '--server-side', '-f', file('ssa.yaml'), '-n', ns])).toBe('configmap/settings serverside-applied\n');
      await writeFile(file('ssa.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: slow\n');
      expect(await k().ok(['apply', '--server-side', '-f', file('ssa.yaml'), '-n', ns])).toBe('configmap/settings serverside-applied\n');
      expect(await k().ok(['get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}', '-n', ns])).toBe('slow');
      const managed = JSON.parse(await k().ok(['get', 'configmap', 'settings', '-o', 'json', '--show-managed-fields', '-n', ns]));
      expect(managed.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply' })]);
    });

    it('labels, annotates, scales and patches', async () => {
      const generation = async () => Number(await k().ok(['get', 'deployment', 'site', '-o', 'jsonpath={.metadata.generation}', '-n', ns]));
      const before = await generation();
      expect(await k().ok(['label', 'deployment', 'site', 'env=prod', '-n', ns])).toBe('deployment.apps/site labeled\n');
      expect(await generation()).toBe(before);
      expect(await k().ok(['annotate', 'deployment', 'site', 'owner=team-a', '-n', ns])).toMatch(/^deployment\.apps\/site annotated?\n$/);
      const annotated = await generation();
      expect(await k().ok(['scale', 'deployment', 'site', '--replicas=5', '-n', ns])).toBe('deployment.apps/site scaled\n');
      expect(await generation()).toBe(annotated + 1);
      const spec = await k().ok(['get', 'deployment', 'site', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.env} {.metadata.annotations.owner}', '-n', ns]);
      expect(spec).toBe('5 prod team-a');
      await k().ok(['patch', 'deployment', 'site', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}', '-n', ns]);
      await k().ok(['patch', 'deployment', 'site', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]', '-n', ns]);
      expect(await k().ok(['get', 'deployment', 'site', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}', '-n', ns])).toBe(
        '3 nginx:1.28 80',
      );
    });

    it('creates with the generators (protobuf bodies from kubectl 1.32 on)', async () => {
      expect(await k().ok(['create', 'configmap', 'generated', '--from-literal=a=b', '-n', ns])).toBe('configmap/generated created\n');
      expect(await k().ok(['get', 'configmap', 'generated', '-o', 'jsonpath={.data.a}', '-n', ns])).toBe('b');
      expect(await k().ok(['create', 'deployment', 'gen', '--image=nginx', '--replicas=0', '-n', ns])).toBe('deployment.apps/gen created\n');
      expect(await k().ok(['get', 'deployment', 'gen', '-o', 'jsonpath={.spec.replicas}', '-n', ns])).toBe('0');
    });

    it('deletes in the background, and leaves foreground and orphan deletions to the garbage collector', async () => {
      for (const name of ['bg', 'fg', 'orphan']) {
        await writeFile(file(`${name}.yaml`), deploymentYaml(name));
        await k().ok(['apply', '-f', file(`${name}.yaml`), '-n', ns]);
      }
      expect(await k().ok(['delete', 'deployment', 'bg', '--cascade=background', '-n', ns])).toBe('deployment.apps "bg" deleted\n');
      expect(await k().run(['get', 'deployment', 'bg', '-n', ns])).toMatchObject({ code: 1 });
      await k().ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false', '-n', ns]);
      await k().ok(['delete', 'deployment', 'orphan', '--cascade=orphan', '--wait=false', '-n', ns]);
      const fg = JSON.parse(await k().ok(['get', 'deployment', 'fg', '-o', 'json', '-n', ns]));
      expect(fg.metadata.finalizers).toEqual(['foregroundDeletion']);
      expect(fg.metadata.deletionTimestamp).toBeDefined();
      const orphan = JSON.parse(await k().ok(['get', 'deployment', 'orphan', '-o', 'json', '-n', ns]));
      expect(orphan.metadata.finalizers).toEqual(['orphan']);
      // Playing the garbage collector: once the finalizer goes, so does the object, and `delete --wait` sees it.
      const waiting = k().run(['delete', 'deployment', 'fg', '--cascade=foreground', '-n', ns]);
      await new Promise((r) => setTimeout(r, 300));
      await k().ok(['patch', 'deployment', 'fg', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}', '-n', ns]);
      const waited = await waiting;
      expect(waited.code).toBe(0);
      expect(waited.stdout).toBe('deployment.apps "fg" deleted\n');
      expect(await k().run(['get', 'deployment', 'fg', '-n', ns])).toMatchObject({ code: 1 });
    });

    it('explains fields from the OpenAPI v3 documents, and from the v2 protobuf document', async () => {
      const out = await k().ok(['explain', 'pod.spec.containers']);
      expect(out).toMatch(/FIELD:\s+containers <\[\]Container>/);
      expect(out).toMatch(/^\s+image\s+<string>/m);
      const v2 = await k().ok(['explain', '--output', 'plaintext-openapiv2', 'deployment.spec.replicas']);
      expect(v2).toMatch(/FIELD:\s+replicas <integer>/);
    });

    it('does server-side dry runs and diffs, replaces, and reads lists in chunks', async () => {
      await writeFile(file('dry.yaml'), deploymentYaml('dry'));
      expect(await k().ok(['apply', '-f', file('dry.yaml'), '--dry-run=server', '-n', ns])).toBe('deployment.apps/dry created (server dry run)\n');
      expect(await k().run(['get', 'deployment', 'dry', '-n', ns])).toMatchObject({ code: 1 });
      await k().ok(['apply', '-f', file('dry.yaml'), '-n', ns]);
      expect(await k().run(['diff', '-f', file('dry.yaml'), '-n', ns])).toMatchObject({ code: 0, stdout: '' });
      await writeFile(file('dry.yaml'), deploymentYaml('dry', undefined, 4));
      const diff = await k().run(['diff', '-f', file('dry.yaml'), '-n', ns]);
      expect(diff.code).toBe(1);
      expect(diff.stdout).toMatch(/^-\s+replicas: 2$/m);
      expect(diff.stdout).toMatch(/^\+\s+replicas: 4$/m);
      expect(await k().ok(['replace', '-f', file('dry.yaml'), '-n', ns])).toBe('deployment.apps/dry replaced\n');
      expect(await k().ok(['get', 'deployment', 'dry', '-o', 'jsonpath={.spec.replicas}', '-n', ns])).toBe('4');
      const chunked = await k().ok(['get', 'pods', '--chunk-size=1', '-o', 'name', '-n', ns]);
      expect(chunked.trim().split('\n').length).toBeGreaterThanOrEqual(3);
    });

    it('answers auth can-i truthfully', async () => {
      expect(await k().ok(['auth', 'can-i', 'create', 'pods', '-n', ns])).toBe('yes\n');
      expect(await k().ok(['auth', 'can-i', '--list', '-n', ns])).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    });
  });
});
