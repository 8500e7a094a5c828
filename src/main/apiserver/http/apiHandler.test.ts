import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineUser } from '../auth/user';
import { buildRegistry } from '../registry/buildRegistry';
import { MemoryStore } from '../testing/memoryStore';
import { testKinds } from '../testing/testKinds';
import { createClusterApi, type ClusterApi } from './apiServer';
import { maxBodyBytes } from './body';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let server: Server;
let base: string;
let api: ClusterApi;

function call(method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { ...(options.headers ?? {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const json = (body: unknown, contentType = 'application/json') => ({ body: JSON.stringify(body), headers: { 'Content-Type': contentType } });
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

beforeAll(async () => {
  api = createClusterApi({ store: new MemoryStore(), registry: buildRegistry(testKinds()) });
  server = createServer((req, res) => void api.handleApiRequest(req, res, engineUser));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expect((await call('POST', '/api/v1/namespaces', json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }))).status).toBe(201);
});

afterAll(async () => {
  api.closeWatches();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('request bodies', () => {
  it('refuses bodies over 3 MiB with 413', async () => {
    const big = { ...pod('big'), metadata: { name: 'big', annotations: { a: 'x'.repeat(maxBodyBytes) } } };
    const reply = await call('POST', '/api/v1/namespaces/default/pods', json(big));
    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('answers malformed JSON and YAML with a 400 that says what is wrong', async () => {
    const bad = await call('POST', '/api/v1/namespaces/default/pods', { body: '{"metadata": ', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json().message).toMatch(/^the request body is not valid JSON: /);
    const yaml = await call('POST', '/api/v1/namespaces/default/pods', { body: 'a: [1, 2\n', headers: { 'Content-Type': 'application/yaml' } });
    expect(yaml.status).toBe(400);
    expect(yaml.json().message).toMatch(/^the request body is not valid YAML: /);
  });

  it('accepts YAML bodies and rejects a wrong apiVersion or kind', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-yaml\nspec:\n  containers:\n  - name: c\n    image: busybox\n';
    expect((await call('POST', '/api/v1/namespaces/default/pods', { body: yaml, headers: { 'Content-Type': 'application/yaml' } })).status).toBe(201);
    const wrong = await call('POST', '/api/v1/namespaces/default/pods', json({ ...pod('x'), apiVersion: 'v2' }));
    expect(wrong.status).toBe(400);
    expect(wrong.json().message).toBe('the API version in the data (v2) does not match the expected API version (v1)');
    expect((await call('POST', '/api/v1/namespaces/default/pods', json({ ...pod('x'), kind: 'Node' }))).status).toBe(400);
  });

  it('rejects unknown patch types with 415 and protobuf-only Accept with 406', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('p415')));
    const patch = await call('PATCH', '/api/v1/namespaces/default/pods/p415', json({}, 'application/xml'));
    expect(patch.status).toBe(415);
    expect(patch.json().reason).toBe('UnsupportedMediaType');
    const accept = await call('GET', '/api/v1/namespaces/default/pods/p415', { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    expect(accept.status).toBe(406);
  });

  it('warns about unknown fields by default and fails under Strict', async () => {
    const warned = await call('POST', '/api/v1/namespaces/default/pods', json({ ...pod('warned'), spec: { ...pod('').spec, foo: 1 } }));
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
    const strict = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', json({ ...pod('strict'), spec: { ...pod('').spec, foo: 1 } }));
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe('strict decoding error: unknown field "spec.foo"');
  });
});

describe('errors', () => {
  it('are Status objects', async () => {
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    expect((await call('GET', '/apis/nothing.io/v1/things')).status).toBe(404);
    expect((await call('PUT', '/api/v1/namespaces/default/pods')).status).toBe(405);
  });

  it('answers the streaming subresources with a clear Status until they are implemented', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('logs')));
    const logs = await call('GET', '/api/v1/namespaces/default/pods/logs/log');
    expect(logs.status).toBe(400);
    expect(logs.json().message).toContain('pods/log is not available yet');
    expect((await call('GET', '/api/v1/namespaces/default/pods/nope/log')).status).toBe(404);
  });
});

describe('discovery', () => {
  it('serves the legacy documents with subresources', async () => {
    expect((await call('GET', '/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call('GET', '/apis')).json();
    expect(groups.groups.map((g: { name: string }) => g.name)).toContain('apps');
    const apps = (await call('GET', '/apis/apps/v1')).json();
    const names = apps.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['deployments', 'deployments/status', 'deployments/scale']));
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const core = (await call('GET', '/api/v1')).json();
    expect(core.resources.find((r: { name: string }) => r.name === 'pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['pods/log', 'pods/exec', 'pods/portforward', 'pods/eviction']));
  });

  it('serves aggregated discovery only to clients that ask, echoing the media type', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const v2 = await call('GET', '/apis', { headers: { Accept: accept } });
    expect(v2.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = v2.json();
    expect(body.kind).toBe('APIGroupDiscoveryList');
    const deploymentsEntry = body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'apps').versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deploymentsEntry.subresources).toEqual(expect.arrayContaining([expect.objectContaining({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } })]));
    const beta = await call('GET', '/api', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' } });
    expect(beta.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    const legacy = await call('GET', '/apis', { headers: { Accept: 'application/json, */*' } });
    expect(legacy.headers['content-type']).toBe('application/json');
    expect(legacy.json().kind).toBe('APIGroupList');
  });

  it('serves version and health checks', async () => {
    const version = (await call('GET', '/version')).json();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(version.major).toBe('1');
    for (const path of ['/healthz', '/livez', '/readyz']) expect((await call('GET', path)).text).toBe('ok');
  });
});

describe('OpenAPI', () => {
  it('lists group versions in the v3 root and describes PATCH with fieldValidation', async () => {
    const root = (await call('GET', '/openapi/v3')).json();
    expect(Object.keys(root.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1']));
    const url = root.paths['apis/apps/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await call('GET', url)).json();
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(item.patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(doc.components.schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind'].kind).toBe('Scale');
  });

  it('serves v2 as JSON to JSON clients, never echoing a media type with @', async () => {
    const v2 = await call('GET', '/openapi/v2', { headers: { Accept: 'application/json' } });
    expect(v2.json().swagger).toBe('2.0');
    const proto = await call('GET', '/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(proto.status).toBe(200);
    expect(proto.headers['content-type']).not.toContain('@');
  });
});

describe('tables and watches over HTTP', () => {
  it('lists as a Table with the list resourceVersion', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('tabled')));
    const reply = await call('GET', '/api/v1/namespaces/default/pods?labelSelector=', { headers: { Accept: tableAccept } });
    const table = reply.json();
    expect(table.kind).toBe('Table');
    expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
    const row = table.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'tabled');
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'tabled', namespace: 'default' } });
  });

  it('streams watch frames one by one, as one-row Tables when asked', async () => {
    const frames: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const req = request(`${base}/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dwatched`, { headers: { Accept: tableAccept } });
    const done = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            frames.push(JSON.parse(buffer.slice(0, nl)));
            buffer = buffer.slice(nl + 1);
            if (frames.length === 2) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (err) => (frames.length >= 2 ? resolve() : reject(err)));
    });
    req.end();
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('watched')));
    await call('DELETE', '/api/v1/namespaces/default/pods/watched');
    await done;
    expect(frames.map((f) => f.type)).toEqual(['ADDED', 'DELETED']);
    expect(frames[0].object.kind).toBe('Table');
    expect(frames[0].object.columnDefinitions.length).toBeGreaterThan(0);
    expect(frames[1].object.columnDefinitions).toEqual([]);
    expect(frames[1].object.rows[0].cells[0]).toBe('watched');
  });
});

describe('pod binding and eviction', () => {
  it('binds a pod to a node once, through pods/<name>/binding', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('bound')));
    const bind = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: 'node-1' } };
    expect((await call('POST', '/api/v1/namespaces/default/pods/bound/binding', json(bind))).status).toBe(201);
    const bound = (await call('GET', '/api/v1/namespaces/default/pods/bound')).json();
    expect(bound.spec.nodeName).toBe('node-1');
    expect(bound.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    const again = await call('POST', '/api/v1/namespaces/default/pods/bound/binding', json({ ...bind, target: { kind: 'Node', name: 'node-2' } }));
    expect(again.status).toBe(409);
    expect(again.json().message).toContain('is already assigned to node "node-1"');
  });

  it('evicts a pod by deleting it', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', json(pod('evicted')));
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evicted', namespace: 'default' } };
    expect((await call('POST', '/api/v1/namespaces/default/pods/evicted/eviction', json(eviction))).status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/pods/evicted')).status).toBe(404);
  });
});
