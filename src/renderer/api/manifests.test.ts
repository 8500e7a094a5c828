// Applying multi-document manifests: what is sent for each mode, the results people
// see, and the API server's field complaints placed at their lines.
import { describe, expect, it } from 'vitest';
import type { KubeObject, Status } from '../../shared/api/meta';
import { applyManifests, discoveryResolver, documentSource, type KubeTransport, manifestDiagnostics, parseManifests } from './manifests';
import { lineOf } from './yamlPaths';

interface Sent {
  method: string;
  path: string;
  contentType?: string;
  body?: KubeObject;
}

/** A fake API server: answers from a function, and remembers what it was sent. */
function server(answer: (sent: Sent) => { status: number; body: unknown }): { transport: KubeTransport; sent: Sent[] } {
  const sent: Sent[] = [];
  const transport: KubeTransport = async (path, init) => {
    const request = { method: init.method, path, contentType: init.contentType, body: init.body ? (JSON.parse(init.body) as KubeObject) : undefined };
    sent.push(request);
    return answer(request);
  };
  return { transport, sent };
}

const invalidImage: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason: 'Invalid',
  code: 422,
  message: 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
  details: {
    name: 'web',
    kind: 'deployments',
    causes: [{ reason: 'FieldValueRequired', field: 'spec.template.spec.containers[0].image', message: 'Required value' }],
  },
};

const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ""
---
`;

describe('parseManifests', () => {
  it('reads each non-empty document and says what is wrong with the others', () => {
    const docs = parseManifests(`${manifest}kind: [\n---\n- a\n---\napiVersion: v1\nkind: ConfigMap\n`);
    expect(docs.map((d) => d.object?.kind ?? d.problem?.code)).toEqual(['ConfigMap', 'Deployment', 'syntax', 'notObject', 'noName']);
  });

  it('tells each document apart, so a refusal can be dropped once its document changes', () => {
    const before = parseManifests(manifest);
    const edited = manifest.replace('image: ""', 'image: busybox');
    const after = parseManifests(edited);
    expect(documentSource(edited, after[0])).toBe(documentSource(manifest, before[0]));
    expect(documentSource(edited, after[1])).not.toBe(documentSource(manifest, before[1]));
  });
});

describe('applyManifests', () => {
  it('server-side applies every document, in the namespace chosen, with strict field checks', async () => {
    const { transport, sent } = server((r) => ({ status: r.body?.kind === 'ConfigMap' ? 201 : 200, body: { ...r.body, metadata: { ...r.body?.metadata, uid: 'u' } } }));
    const results = await applyManifests(parseManifests(manifest), { cluster: 'dev', namespace: 'team', mode: 'apply', transport });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PATCH /clusters/dev/api/v1/namespaces/team/configmaps/settings?fieldValidation=Strict&fieldManager=wheelhouse-ui&force=true',
      'PATCH /clusters/dev/apis/apps/v1/namespaces/team/deployments/web?fieldValidation=Strict&fieldManager=wheelhouse-ui&force=true',
    ]);
    expect(sent[0].contentType).toBe('application/apply-patch+yaml');
    expect(sent[1].body?.metadata.namespace).toBe('team');
    expect(results.map((r) => r.ok && r.action)).toEqual(['created', 'configured']);
  });

  it('asks for a dry run, and creates with POST or replaces with PUT as the mode says', async () => {
    const { transport, sent } = server((r) => ({ status: r.method === 'POST' ? 201 : 200, body: r.body }));
    await applyManifests(parseManifests(manifest), { cluster: 'dev', namespace: 'default', mode: 'create', dryRun: true, transport });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /clusters/dev/api/v1/namespaces/default/configmaps?dryRun=All&fieldValidation=Strict',
      'POST /clusters/dev/apis/apps/v1/namespaces/default/deployments?dryRun=All&fieldValidation=Strict',
    ]);
  });

  it('saves an edited object as a merge patch of what changed, without status or resourceVersion', async () => {
    const opened = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n  resourceVersion: "7"\n  labels: {a: "1", b: "2"}\ndata:\n  x: "1"\nstatus: {}\n';
    const edited = opened.replace('b: "2"', 'c: "3"').replace('x: "1"', 'x: "2"').replace('status: {}', 'status: {changed: true}');
    const { transport, sent } = server((r) => ({ status: 200, body: r.body }));
    const original = parseManifests(opened).map((d) => d.object);
    const results = await applyManifests(parseManifests(edited), { cluster: 'dev', namespace: 'default', mode: 'replace', original, transport });
    expect(sent.map((s) => `${s.method} ${s.path} ${s.contentType}`)).toEqual([
      'PATCH /clusters/dev/api/v1/namespaces/default/configmaps/c?fieldValidation=Strict application/merge-patch+json',
    ]);
    expect(sent[0].body).toEqual({ metadata: { labels: { b: null, c: '3' } }, data: { x: '2' } });
    expect(results[0].ok && results[0].action).toBe('replaced');
  });

  it('goes on past a refused document and creates namespaces first', async () => {
    const text = `${manifest}apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n`;
    const { transport, sent } = server((r) => (r.body?.kind === 'Deployment' ? { status: 422, body: invalidImage } : { status: 201, body: r.body }));
    const results = await applyManifests(parseManifests(text), { cluster: 'dev', namespace: 'team', mode: 'apply', transport });
    expect(sent.map((s) => s.body?.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
    expect(sent[0].path).toBe('/clusters/dev/api/v1/namespaces/team?fieldValidation=Strict&fieldManager=wheelhouse-ui&force=true');
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const failed = results[1];
    expect(!failed.ok && failed.message).toBe('The deployment "web" is not valid: spec.template.spec.containers[0].image: Required value.');
  });

  it('finds kinds the UI does not list through the cluster discovery, once per group version', async () => {
    const { transport, sent } = server((r) =>
      r.method === 'GET'
        ? { status: 200, body: { resources: [{ name: 'cronjobs', kind: 'CronJob', namespaced: true }, { name: 'cronjobs/status', kind: 'CronJob', namespaced: true }] } }
        : { status: 201, body: r.body },
    );
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\n';
    const resolve = discoveryResolver('dev', transport);
    const results = await applyManifests(parseManifests(`${cron}---\n${cron.replace('tick', 'tock')}---\napiVersion: batch/v1\nkind: Nope\nmetadata: {name: x}\n`), {
      cluster: 'dev',
      namespace: 'default',
      mode: 'apply',
      transport,
      resolve,
    });
    expect(sent.filter((s) => s.method === 'GET').map((s) => s.path)).toEqual(['/clusters/dev/apis/batch/v1']);
    expect(sent[1].path).toMatch(/^\/clusters\/dev\/apis\/batch\/v1\/namespaces\/default\/cronjobs\/tick\?/);
    expect(results.map((r) => (r.ok ? r.action : r.message))).toEqual(['created', 'created', 'The cluster does not know the kind Nope of batch/v1.']);
  });
});

describe('manifestDiagnostics', () => {
  it('puts a field complaint at the line of that field in its document', async () => {
    const { transport } = server((r) => (r.body?.kind === 'Deployment' ? { status: 422, body: invalidImage } : { status: 201, body: r.body }));
    const docs = parseManifests(manifest);
    const results = await applyManifests(docs, { cluster: 'dev', namespace: 'default', mode: 'apply', transport });
    const marks = manifestDiagnostics(manifest, docs, results);
    expect(marks).toHaveLength(1);
    expect(lineOf(manifest, marks[0].from)).toBe(21);
    expect(manifest.slice(marks[0].from, marks[0].to)).toBe('image: ""');
    expect(marks[0].message).toBe('spec.template.spec.containers[0].image: Required value');
  });

  it('reads unknown fields out of a strict decoding error', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      imagee: x\n';
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: 'strict decoding error: unknown field "spec.containers[0].imagee"' };
    const { transport } = server(() => ({ status: 400, body: status }));
    const docs = parseManifests(text);
    const marks = manifestDiagnostics(text, docs, await applyManifests(docs, { cluster: 'dev', namespace: 'default', mode: 'create', transport }));
    expect(marks.map((m) => [lineOf(text, m.from), m.message])).toEqual([[8, 'spec.containers[0].imagee: unknown field']]);
  });

  it('puts other refusals at the start of their document', async () => {
    const exists: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'AlreadyExists', code: 409, details: { name: 'web', kind: 'deployments' } };
    const { transport } = server((r) => (r.body?.kind === 'Deployment' ? { status: 409, body: exists } : { status: 201, body: r.body }));
    const docs = parseManifests(manifest);
    const marks = manifestDiagnostics(manifest, docs, await applyManifests(docs, { cluster: 'dev', namespace: 'default', mode: 'create', transport }));
    expect(marks.map((m) => [lineOf(manifest, m.from), m.message])).toEqual([[8, 'A deployment named "web" already exists.']]);
  });
});
