import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { Store } from '../../store/types';
import { engineUser } from '../auth/user';
import { buildRegistry } from '../registry/buildRegistry';
import type { ResourceDefinition } from '../registry/types';
import { storeFixtures, type OpenedStore } from '../testing/storeFixtures';
import { testKinds } from '../testing/testKinds';
import { RestApi } from './restApi';
import type { Caller } from './types';

const caller: Caller = { user: engineUser, userAgent: 'restApi-test/1.0' };

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function pod(name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    ...extra,
  };
}

function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

async function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(storeFixtures)('RestApi over the %s store', (_name, open) => {
  let opened: OpenedStore;
  let store: Store;
  let api: RestApi;
  let pods: ResourceDefinition;
  let namespaces: ResourceDefinition;
  let deployments: ResourceDefinition;
  let configmaps: ResourceDefinition;

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    api = new RestApi({ store, registry: buildRegistry(testKinds()) });
    pods = api.registry.lookup('', 'v1', 'pods')!;
    namespaces = api.registry.lookup('', 'v1', 'namespaces')!;
    deployments = api.registry.lookup('apps', 'v1', 'deployments')!;
    configmaps = api.registry.lookup('', 'v1', 'configmaps')!;
    await api.create(namespaces, undefined, { metadata: { name: 'default' } }, {}, caller);
  });

  afterEach(async () => {
    await opened.dispose();
  });

  describe('create', () => {
    it('fills in server fields, defaults, and stores under the real apiserver key', async () => {
      const { object } = await api.create(pods, 'default', pod('p1'), {}, caller);
      expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(object.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(object.metadata.generation).toBe(1);
      expect(object.metadata.namespace).toBe('default');
      expect(object.spec).toMatchObject({ restartPolicy: 'Always' });
      expect(object.status).toEqual({ phase: 'Pending' });
      const kv = await store.get('/registry/pods/default/p1');
      expect(String(kv!.modRevision)).toBe(object.metadata.resourceVersion);
      expect(JSON.parse(kv!.value).metadata.resourceVersion).toBeUndefined();
      expect(object.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'restApi-test', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' }),
      ]);
      const dep = await api.create(deployments, 'default', deployment('web'), {}, caller);
      expect(await store.get('/registry/apps/deployments/default/web')).toBeDefined();
      expect(dep.object.apiVersion).toBe('apps/v1');
    });

    it('generates names from generateName', async () => {
      const { object } = await api.create(pods, 'default', { ...pod(''), metadata: { generateName: 'web-' } }, {}, caller);
      expect(object.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    });

    it('refuses a duplicate name with 409 AlreadyExists', async () => {
      await api.create(pods, 'default', pod('p1'), {}, caller);
      const err = await failure(api.create(pods, 'default', pod('p1'), {}, caller));
      expect(err.code).toBe(409);
      expect(err.reason).toBe('AlreadyExists');
      expect(err.message).toBe('pods "p1" already exists');
      const dep = await api.create(deployments, 'default', deployment('web'), {}, caller);
      expect(dep).toBeDefined();
      expect((await failure(api.create(deployments, 'default', deployment('web'), {}, caller))).message).toBe(
        'deployments.apps "web" already exists',
      );
    });

    it('validates after defaulting and reports every field as a 422 cause', async () => {
      const err = await failure(api.create(pods, 'default', { ...pod('bad'), spec: { containers: [{ name: 'c' }] } }, {}, caller));
      expect(err.code).toBe(422);
      expect(err.reason).toBe('Invalid');
      expect(err.message).toBe('Pod "bad" is invalid: spec.containers[0].image: Required value');
      expect(err.details?.causes).toEqual([{ reason: 'FieldValueRequired', field: 'spec.containers[0].image', message: 'Required value' }]);
      const noName = await failure(api.create(pods, 'default', { ...pod(''), metadata: {} }, {}, caller));
      expect(noName.message).toContain('metadata.name: Required value: name or generateName is required');
      const badLabel = await failure(api.create(pods, 'default', { ...pod('x'), metadata: { name: 'x', labels: { 'bad key!': 'v' } } }, {}, caller));
      expect(badLabel.code).toBe(422);
      expect(await store.get('/registry/pods/default/bad')).toBeUndefined();
    });

    it('treats unknown fields per fieldValidation and never stores them', async () => {
      const withUnknown = () => ({ ...pod('u'), spec: { foo: 1, containers: [{ name: 'c', image: 'x', bar: true }] } });
      const strict = await failure(api.create(pods, 'default', withUnknown(), { fieldValidation: 'Strict' }, caller));
      expect(strict.code).toBe(400);
      expect(strict.message).toBe('strict decoding error: unknown field "spec.containers[0].bar", unknown field "spec.foo"');
      const warned = await api.create(pods, 'default', withUnknown(), { fieldValidation: 'Warn' }, caller);
      expect(warned.warnings).toEqual(['unknown field "spec.containers[0].bar"', 'unknown field "spec.foo"']);
      const stored = JSON.parse((await store.get('/registry/pods/default/u'))!.value);
      expect(stored.spec.foo).toBeUndefined();
      expect(stored.spec.containers[0].bar).toBeUndefined();
      // Regions that preserve unknown fields keep them.
      const status = await api.update(pods, 'default', 'u', { ...warned.object, status: { phase: 'Running', anything: { goes: 1 } } }, { fieldValidation: 'Strict' }, caller, 'status');
      expect(status.object.status).toEqual({ phase: 'Running', anything: { goes: 1 } });
    });

    it('rejects a body of another kind or version with a 400', async () => {
      expect((await failure(api.create(pods, 'default', { ...pod('x'), kind: 'Service' }, {}, caller))).code).toBe(400);
      const version = await failure(api.create(pods, 'default', { ...pod('x'), apiVersion: 'apps/v1' }, {}, caller));
      expect(version.message).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
      const namespace = await failure(api.create(pods, 'default', { ...pod('x'), metadata: { name: 'x', namespace: 'other' } }, {}, caller));
      expect(namespace.code).toBe(400);
    });

    it('writes nothing on dry run', async () => {
      const { object } = await api.create(pods, 'default', pod('dry'), { dryRun: true }, caller);
      expect(object.metadata.uid).toBeDefined();
      expect(await store.get('/registry/pods/default/dry')).toBeUndefined();
    });

    it('requires the namespace to exist and not be terminating', async () => {
      const missing = await failure(api.create(pods, 'nope', pod('p'), {}, caller));
      expect(missing.code).toBe(404);
      expect(missing.message).toBe('namespaces "nope" not found');
      await api.create(namespaces, undefined, { metadata: { name: 'doomed' } }, {}, caller);
      const deleting = await api.delete(namespaces, undefined, 'doomed');
      expect(deleting.deleted).toBe(false);
      expect(deleting.object.status).toEqual({ phase: 'Terminating' });
      const terminating = await failure(api.create(pods, 'doomed', pod('p'), {}, caller));
      expect(terminating.code).toBe(403);
      expect(terminating.message).toBe('pods "p" is forbidden: unable to create new content in namespace doomed because it is being terminated');
      // The namespace controller finishes by clearing spec.finalizers through /finalize.
      const ns = await api.get(namespaces, undefined, 'doomed');
      const finalized = await api.update(namespaces, undefined, 'doomed', { ...ns, spec: { finalizers: [] } }, {}, caller, 'finalize');
      expect(finalized.object.metadata.deletionTimestamp).toBeDefined();
      expect(await store.get('/registry/namespaces/doomed')).toBeUndefined();
      expect((await failure(api.delete(namespaces, undefined, 'default'))).code).toBe(403);
    });
  });

  describe('update and patch', () => {
    it('refuses a stale resourceVersion with the Conflict message kubectl shows', async () => {
      const { object } = await api.create(pods, 'default', pod('p'), {}, caller);
      await api.patch(pods, 'default', 'p', 'merge', { metadata: { labels: { x: '1' } } }, {}, caller);
      const err = await failure(api.update(pods, 'default', 'p', object, {}, caller));
      expect(err.code).toBe(409);
      expect(err.reason).toBe('Conflict');
      expect(err.message).toBe(
        'Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('moves generation on spec changes only and keeps the revision on no-op writes', async () => {
      const created = await api.create(deployments, 'default', deployment('web'), {}, caller);
      const labelled = await api.patch(deployments, 'default', 'web', 'merge', { metadata: { labels: { env: 'prod' } } }, {}, caller);
      expect(labelled.object.metadata.generation).toBe(1);
      const scaled = await api.patch(deployments, 'default', 'web', 'merge', { spec: { replicas: 3 } }, {}, caller);
      expect(scaled.object.metadata.generation).toBe(2);
      const again = await api.patch(deployments, 'default', 'web', 'merge', { spec: { replicas: 3 } }, {}, caller);
      expect(again.object.metadata.resourceVersion).toBe(scaled.object.metadata.resourceVersion);
      const status = await api.patch(deployments, 'default', 'web', 'merge', { status: { replicas: 3 } }, {}, caller, 'status');
      expect(status.object.metadata.generation).toBe(2);
      expect(Number(status.object.metadata.resourceVersion)).toBeGreaterThan(Number(created.object.metadata.resourceVersion));
    });

    it('keeps status and spec apart between the main resource and /status', async () => {
      await api.create(deployments, 'default', deployment('web'), {}, caller);
      const viaMain = await api.patch(deployments, 'default', 'web', 'merge', { status: { replicas: 9 } }, {}, caller);
      expect(viaMain.object.status).toBeUndefined();
      const current = await api.get(deployments, 'default', 'web');
      const viaStatus = await api.update(deployments, 'default', 'web', { ...current, spec: { ...(current.spec as object), replicas: 7 }, status: { replicas: 1 } }, {}, caller, 'status');
      expect(viaStatus.object.status).toEqual({ replicas: 1 });
      expect((viaStatus.object.spec as { replicas: number }).replicas).toBe(1);
    });

    it('applies json, strategic and merge patches, with a resourceVersion in the patch as precondition', async () => {
      await api.create(pods, 'default', pod('p'), {}, caller);
      const json = await api.patch(pods, 'default', 'p', 'json', [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }], {}, caller);
      expect(json.object.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      const smp = await api.patch(pods, 'default', 'p', 'strategic', { spec: { containers: [{ name: 'side', image: 'envoy' }] } }, {}, caller);
      expect((smp.object.spec as { containers: unknown[] }).containers).toHaveLength(2);
      const stale = await failure(api.patch(pods, 'default', 'p', 'merge', { metadata: { resourceVersion: '1', labels: { a: 'b' } } }, {}, caller));
      expect(stale.code).toBe(409);
      const invalid = await failure(api.patch(pods, 'default', 'p', 'json', [{ op: 'remove', path: '/spec/containers/0/image' }], {}, caller));
      expect(invalid.code).toBe(422);
      expect((await failure(api.patch(pods, 'default', 'missing', 'merge', {}, {}, caller))).message).toBe('pods "missing" not found');
    });

    it('server-side apply creates when absent, merges later and reports conflicts', async () => {
      const applied = await api.patch(deployments, 'default', 'web', 'apply', deployment('web', 2), { fieldManager: 'alice' }, caller);
      expect(applied.created).toBe(true);
      expect(applied.object.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'alice', operation: 'Apply' })]);
      const conflict = await failure(api.patch(deployments, 'default', 'web', 'apply', deployment('web', 4), { fieldManager: 'bob' }, caller));
      expect(conflict.code).toBe(409);
      expect(conflict.message).toContain('conflict with "alice"');
      const forced = await api.patch(deployments, 'default', 'web', 'apply', deployment('web', 4), { fieldManager: 'bob', force: true }, caller);
      expect((forced.object.spec as { replicas: number }).replicas).toBe(4);
      expect(forced.created).toBeUndefined();
      const noManager = await failure(api.patch(deployments, 'default', 'web', 'apply', deployment('web', 4), {}, caller));
      expect(noManager.code).toBe(422);
    });
  });

  describe('delete', () => {
    it('keeps objects with finalizers until the last finalizer is removed', async () => {
      await api.create(configmaps, 'default', { metadata: { name: 'cm', finalizers: ['example.com/hold'] }, data: { a: 'b' } }, {}, caller);
      const pending = await api.delete(configmaps, 'default', 'cm');
      expect(pending.deleted).toBe(false);
      expect(pending.object.metadata.deletionTimestamp).toBeDefined();
      expect(pending.object.metadata.deletionGracePeriodSeconds).toBe(0);
      const noNew = await failure(api.patch(configmaps, 'default', 'cm', 'merge', { metadata: { finalizers: ['example.com/hold', 'x.io/y'] } }, {}, caller));
      expect(noNew.code).toBe(422);
      await api.patch(configmaps, 'default', 'cm', 'merge', { metadata: { finalizers: null } }, {}, caller);
      expect(await store.get('/registry/configmaps/default/cm')).toBeUndefined();
    });

    it('sets the garbage collector finalizers per propagation policy', async () => {
      await api.create(deployments, 'default', deployment('fg'), {}, caller);
      await api.create(deployments, 'default', deployment('orphan'), {}, caller);
      await api.create(deployments, 'default', deployment('bg'), {}, caller);
      const fg = await api.delete(deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
      expect(fg.object.metadata.finalizers).toEqual(['foregroundDeletion']);
      const orphan = await api.delete(deployments, 'default', 'orphan', { propagationPolicy: 'Orphan' });
      expect(orphan.object.metadata.finalizers).toEqual(['orphan']);
      const bg = await api.delete(deployments, 'default', 'bg', { propagationPolicy: 'Background' });
      expect(bg.deleted).toBe(true);
      expect((await failure(api.delete(deployments, 'default', 'fg', { propagationPolicy: 'Sideways' }))).code).toBe(422);
    });

    it('deletes scheduled pods gracefully and finishes on a zero grace period', async () => {
      await api.create(pods, 'default', pod('running', { spec: { nodeName: 'n1', terminationGracePeriodSeconds: 45, containers: [{ name: 'c', image: 'x' }] } }), {}, caller);
      const graceful = await api.delete(pods, 'default', 'running');
      expect(graceful.deleted).toBe(false);
      expect(graceful.object.metadata.deletionGracePeriodSeconds).toBe(45);
      expect(Date.parse(graceful.object.metadata.deletionTimestamp!)).toBeGreaterThan(Date.now() + 30_000);
      const shorter = await api.delete(pods, 'default', 'running', { gracePeriodSeconds: 10 });
      expect(shorter.object.metadata.deletionGracePeriodSeconds).toBe(10);
      const final = await api.delete(pods, 'default', 'running', { gracePeriodSeconds: 0 });
      expect(final.deleted).toBe(true);
      expect(await store.get('/registry/pods/default/running')).toBeUndefined();
      // A pod that never reached a node has nothing to stop.
      await api.create(pods, 'default', pod('unscheduled'), {}, caller);
      expect((await api.delete(pods, 'default', 'unscheduled')).deleted).toBe(true);
    });

    it('checks preconditions', async () => {
      const { object } = await api.create(pods, 'default', pod('p'), {}, caller);
      const err = await failure(api.delete(pods, 'default', 'p', { preconditions: { uid: 'other' } }));
      expect(err.code).toBe(409);
      expect(err.message).toContain('Precondition failed: UID in precondition: other');
      expect((await api.delete(pods, 'default', 'p', { preconditions: { uid: object.metadata.uid } })).deleted).toBe(true);
    });

    it('deletes a selected collection', async () => {
      for (const name of ['a', 'b', 'c']) await api.create(pods, 'default', { ...pod(name), metadata: { name, labels: { group: name === 'c' ? 'two' : 'one' } } }, {}, caller);
      const deleted = await api.deleteCollection(pods, 'default', { labelSelector: 'group=one' });
      expect(deleted.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
      expect((await api.list(pods, 'default')).items.map((i) => i.metadata.name)).toEqual(['c']);
    });
  });

  describe('scale subresource', () => {
    it('reads and writes replicas through an autoscaling/v1 Scale', async () => {
      await api.create(deployments, 'default', deployment('web', 2), {}, caller);
      const scale = await api.getScale(deployments, 'default', 'web');
      expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
      const patched = await api.patchScale(deployments, 'default', 'web', 'merge', { spec: { replicas: 5 } }, {}, caller);
      expect(patched.object.spec.replicas).toBe(5);
      const updated = await api.updateScale(deployments, 'default', 'web', { ...patched.object, spec: { replicas: 1 } }, {}, caller);
      expect(updated.object.spec.replicas).toBe(1);
      expect(((await api.get(deployments, 'default', 'web')).spec as { replicas: number }).replicas).toBe(1);
      const stale = await failure(api.updateScale(deployments, 'default', 'web', { ...scale, spec: { replicas: 3 } }, {}, caller));
      expect(stale.code).toBe(409);
      const negative = await failure(api.patchScale(deployments, 'default', 'web', 'merge', { spec: { replicas: -1 } }, {}, caller));
      expect(negative.code).toBe(422);
    });
  });

  describe('list', () => {
    it('pages with limit and continue, and across namespaces', async () => {
      await api.create(namespaces, undefined, { metadata: { name: 'other' } }, {}, caller);
      for (const name of ['a', 'b', 'c', 'd', 'e']) await api.create(pods, 'default', pod(name), {}, caller);
      await api.create(pods, 'other', pod('z'), {}, caller);
      const first = await api.list(pods, 'default', { limit: 2 });
      expect(first.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
      expect(first.metadata.continue).toBeTruthy();
      const second = await api.list(pods, 'default', { limit: 2, continue: first.metadata.continue });
      expect(second.items.map((i) => i.metadata.name)).toEqual(['c', 'd']);
      const third = await api.list(pods, 'default', { limit: 2, continue: second.metadata.continue });
      expect(third.items.map((i) => i.metadata.name)).toEqual(['e']);
      expect(third.metadata.continue).toBeUndefined();
      expect(third.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      const everywhere = await api.list(pods, undefined);
      expect(everywhere.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toContain('other/z');
      expect(everywhere.kind).toBe('PodList');
      expect((await failure(api.list(pods, 'default', { continue: 'garbage' }))).code).toBe(400);
    });

    it('serves the same list as JSON text, spliced from the stored objects', async () => {
      for (const name of ['a', 'b', 'c']) await api.create(pods, 'default', pod(name), {}, caller);
      await api.create(pods, 'default', { ...pod('empty-meta'), metadata: { name: 'empty-meta' } }, {}, caller);
      const fromObjects = await api.list(pods, 'default', { limit: 3 });
      expect(JSON.parse(await api.listAsJson(pods, 'default', { limit: 3 }))).toEqual(JSON.parse(JSON.stringify(fromObjects)));
      const all = JSON.parse(await api.listAsJson(pods, 'default'));
      expect(all.items.map((i: KubeObject) => i.metadata.resourceVersion)).toEqual(
        (await api.list(pods, 'default')).items.map((i) => i.metadata.resourceVersion),
      );
      const selected = JSON.parse(await api.listAsJson(pods, 'default', { fieldSelector: 'metadata.name=b' }));
      expect(selected.items.map((i: KubeObject) => i.metadata.name)).toEqual(['b']);
    });

    it('serves an older revision exactly, and refuses future ones', async () => {
      await api.create(pods, 'default', pod('a'), {}, caller);
      const before = (await api.list(pods, 'default')).metadata.resourceVersion!;
      await api.create(pods, 'default', pod('b'), {}, caller);
      await api.patch(pods, 'default', 'a', 'merge', { metadata: { labels: { changed: 'yes' } } }, {}, caller);
      await api.delete(pods, 'default', 'a');
      const past = await api.list(pods, 'default', { resourceVersion: before, resourceVersionMatch: 'Exact' });
      expect(past.items.map((i) => i.metadata.name)).toEqual(['a']);
      expect(past.items[0].metadata.labels).toEqual({ app: 'web' });
      const future = await failure(api.list(pods, 'default', { resourceVersion: '999999', resourceVersionMatch: 'NotOlderThan' }));
      expect(future.code).toBe(504);
      expect((await failure(api.list(pods, 'default', { resourceVersionMatch: 'Exact' }))).code).toBe(400);
    });
  });

  describe('watch', () => {
    async function watch(options: Parameters<RestApi['watch']>[2] = {}, namespace: string | undefined = 'default') {
      const events: WatchEvent[] = [];
      let ended = false;
      const handle = await api.watch(pods, namespace, options, { event: (e) => events.push(e), end: () => (ended = true) });
      return { events, handle, ended: () => ended };
    }

    it('starts with synthetic ADDED events and then streams changes, ending with a real DELETED', async () => {
      await api.create(pods, 'default', pod('old'), {}, caller);
      const w = await watch();
      expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'old']]);
      const created = await api.create(pods, 'default', pod('new'), {}, caller);
      await api.patch(pods, 'default', 'new', 'merge', { metadata: { labels: { x: 'y' } } }, {}, caller);
      await api.delete(pods, 'default', 'new');
      await waitFor(() => w.events.length >= 4, 'four events');
      expect(w.events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'old'],
        ['ADDED', 'new'],
        ['MODIFIED', 'new'],
        ['DELETED', 'new'],
      ]);
      expect(Number(w.events[3].object.metadata.resourceVersion)).toBeGreaterThan(Number(created.object.metadata.resourceVersion));
      w.handle.stop();
    });

    it('replays changes after a resourceVersion and follows selectors in and out', async () => {
      const { object } = await api.create(pods, 'default', pod('a'), {}, caller);
      await api.patch(pods, 'default', 'a', 'merge', { metadata: { labels: { app: 'db' } } }, {}, caller);
      await api.patch(pods, 'default', 'a', 'merge', { metadata: { labels: { app: 'web' } } }, {}, caller);
      const w = await watch({ resourceVersion: object.metadata.resourceVersion, labelSelector: 'app=web' });
      await waitFor(() => w.events.length >= 2, 'two events');
      expect(w.events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
      w.handle.stop();
    });

    it('sends an ERROR with 410 Expired when the revision was compacted', async () => {
      const { object } = await api.create(pods, 'default', pod('a'), {}, caller);
      await api.patch(pods, 'default', 'a', 'merge', { metadata: { labels: { v: '2' } } }, {}, caller);
      await api.patch(pods, 'default', 'a', 'merge', { metadata: { labels: { v: '3' } } }, {}, caller);
      await store.compact(store.currentRevision());
      const w = await watch({ resourceVersion: object.metadata.resourceVersion });
      await waitFor(() => w.ended(), 'the watch to end');
      expect(w.events).toHaveLength(1);
      expect(w.events[0].type).toBe('ERROR');
      expect(w.events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    });

    it('sends bookmarks when allowed, the initial-events marker for watch-list, and honours timeoutSeconds', async () => {
      await api.create(pods, 'default', pod('a'), {}, caller);
      const w = await watch({ allowWatchBookmarks: true, bookmarkIntervalMs: 20, timeoutSeconds: 1 });
      const bookmark = await waitFor(() => w.events.find((e) => e.type === 'BOOKMARK'), 'a bookmark');
      expect(bookmark.object.metadata.resourceVersion).toBe(String(store.currentRevision()));
      await waitFor(() => w.ended(), 'the timeout', 3000);
      const list = await watch({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
      expect(list.events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      expect(list.events[1].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      list.handle.stop();
    });
  });
});
