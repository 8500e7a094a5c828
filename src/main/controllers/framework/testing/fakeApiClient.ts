// An in-memory ApiClient for tests of controllers and the scheduler. It keeps the
// promises that matter to them: one global revision per write, handed out as
// resourceVersion; optimistic concurrency on update; list + watch from a revision
// with selectors (an object leaving a watch's selector is reported DELETED); events
// delivered asynchronously in commit order; 410 Expired once history is compacted;
// status subresources; finalizers; pods/binding. Tests can also inject failures,
// end or expire running watches, and read the log of writes.
import { randomUUID } from 'node:crypto';
import type { KubeObject, WatchEvent } from '../../../../shared/api/meta';
import { matchesFields, matchesSelector, parseFieldSelector, parseSelector, SelectorError } from '../../../../shared/labels';
import { ApiError } from '../../../errors';
import { alreadyExists, conflict, notFound } from '../../../apiserver/rest/errors';
import {
  apiVersionOfResource,
  type ApiClient,
  type ClientDeleteOptions,
  type ClientListOptions,
  type ClientWatchOptions,
  type ListResult,
  type PatchKind,
  type ResourceType,
  type WatchHandle,
  type WatchHandler,
} from '../apiClient';
import { eventsResource, podsResource } from '../apiClient';

/** FakeVerb names the client calls a test can fail on purpose or find in the write log. */
export type FakeVerb = 'list' | 'watch' | 'get' | 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'bind';

/** FakeAction is one write the fake accepted, for assertions. */
export interface FakeAction {
  verb: FakeVerb;
  resource: string;
  namespace?: string;
  name: string;
  /** For bind, the node; for patch, the patch; for others, the object written. */
  body?: unknown;
}

interface Change {
  revision: number;
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  prev?: KubeObject;
}

interface Subscriber {
  resource: string;
  matches: (obj: KubeObject) => boolean;
  handler: WatchHandler<KubeObject>;
  queue: (() => void)[];
  scheduled: boolean;
  stopped: boolean;
}

/** resourcesWithStatus have a status subresource: update keeps status, updateStatus keeps the rest. */
const resourcesWithStatus = new Set([
  'pods',
  'nodes',
  'services',
  'namespaces',
  'persistentvolumeclaims',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
]);

/** resourcesWithGeneration bump metadata.generation when their spec changes. */
const resourcesWithGeneration = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs']);

const clone = <T>(value: T): T => structuredClone(value);

function fieldsOf(resource: string, obj: KubeObject): Record<string, string | undefined> {
  const o = obj as Record<string, unknown> & { spec?: Record<string, unknown>; status?: Record<string, unknown> };
  const fields: Record<string, string | undefined> = { 'metadata.name': obj.metadata.name, 'metadata.namespace': obj.metadata.namespace ?? '' };
  if (resource === 'pods') {
    fields['spec.nodeName'] = (o.spec?.nodeName as string | undefined) ?? '';
    fields['spec.schedulerName'] = (o.spec?.schedulerName as string | undefined) ?? '';
    fields['spec.restartPolicy'] = (o.spec?.restartPolicy as string | undefined) ?? '';
    fields['status.phase'] = (o.status?.phase as string | undefined) ?? '';
  }
  if (resource === 'events') {
    const involved = (o.involvedObject ?? {}) as Record<string, string | undefined>;
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${k}`] = involved[k] ?? '';
    fields.reason = o.reason as string | undefined;
    fields.type = o.type as string | undefined;
    fields.source = ((o.source as { component?: string } | undefined)?.component as string | undefined) ?? '';
  }
  return fields;
}

/** mergePatch applies an RFC 7386 JSON merge patch to a copy of target. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** jsonPatch applies RFC 6902 add, remove, replace and test operations to a copy of target. */
export function jsonPatch(target: unknown, ops: { op: string; path: string; value?: unknown }[]): unknown {
  const doc = { root: clone(target) } as Record<string, unknown>;
  for (const op of ops) {
    const parts = ['root', ...pointer(op.path)];
    const last = parts.pop()!;
    let parent: unknown = doc;
    for (const p of parts) {
      parent = (parent as Record<string, unknown>)?.[p];
      if (parent === undefined || parent === null) throw new ApiError('Invalid', `the server rejected our request due to an error in our request: path ${op.path} does not exist`);
    }
    const container = parent as Record<string, unknown> | unknown[];
    const index = Array.isArray(container) ? (last === '-' ? container.length : Number(last)) : -1;
    switch (op.op) {
      case 'add':
        if (Array.isArray(container)) container.splice(index, 0, clone(op.value));
        else container[last] = clone(op.value);
        break;
      case 'replace':
        if (Array.isArray(container)) container[index] = clone(op.value);
        else container[last] = clone(op.value);
        break;
      case 'remove':
        if (Array.isArray(container)) container.splice(index, 1);
        else delete container[last];
        break;
      case 'test': {
        const actual = Array.isArray(container) ? container[index] : container[last];
        if (JSON.stringify(actual) !== JSON.stringify(op.value)) throw new ApiError('Invalid', `the server rejected our request due to an error in our request: test failed at ${op.path}`);
        break;
      }
      default:
        throw new ApiError('BadRequest', `unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc.root;
}

/** FakeApiClient is an ApiClient kept in memory; see the file header for what it honours. */
export class FakeApiClient implements ApiClient {
  /** actions logs every accepted write, oldest first. */
  readonly actions: FakeAction[] = [];
  private revision = 0;
  private compacted = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: Change[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly failures: { verb: FakeVerb; resource?: string; error: Error }[] = [];
  private readonly now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  // ---------------------------------------------------------------------------
  // Test helpers.

  /** currentRevision is the revision of the last write. */
  currentRevision(): number {
    return this.revision;
  }

  /** compact drops all history up to now: a watch from an older revision gets 410 Expired. */
  compact(): void {
    this.compacted = this.revision;
    this.history = [];
  }

  /** expireWatches sends every running watch an ERROR 410 Expired and ends it, as a server losing history would. */
  expireWatches(): void {
    this.compact();
    for (const sub of [...this.subscribers]) {
      this.deliver(sub, () => {
        sub.handler.event({ type: 'ERROR', object: new ApiError('Expired', 'too old resource version').toStatus() as unknown as KubeObject });
      });
      this.endSubscriber(sub);
    }
  }

  /** endWatches ends every running watch normally, as a server-side timeout would. */
  endWatches(): void {
    for (const sub of [...this.subscribers]) this.endSubscriber(sub);
  }

  /** activeWatches is the number of running watches. */
  activeWatches(): number {
    return this.subscribers.size;
  }

  /** failNext makes the next call of verb (optionally on one resource) throw error instead. */
  failNext(verb: FakeVerb, error: Error, resource?: string): void {
    this.failures.push({ verb, resource, error });
  }

  /** stored returns copies of the stored objects of a resource. */
  stored<T extends KubeObject = KubeObject>(resource: ResourceType): T[] {
    return [...this.table(resource.resource).values()].map((o) => clone(o) as T);
  }

  /** flush waits until every queued watch event has been delivered. */
  async flush(): Promise<void> {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  // ---------------------------------------------------------------------------
  // ApiClient.

  async list<T extends KubeObject = KubeObject>(resource: ResourceType, options: ClientListOptions = {}): Promise<ListResult<T>> {
    this.maybeFail('list', resource);
    const matches = this.predicate(resource, options);
    const items = [...this.table(resource.resource).values()].filter(matches).map((o) => clone(o) as T);
    items.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    return { items, resourceVersion: String(this.revision) };
  }

  async watch<T extends KubeObject = KubeObject>(resource: ResourceType, options: ClientWatchOptions, handler: WatchHandler<T>): Promise<WatchHandle> {
    this.maybeFail('watch', resource);
    const matches = this.predicate(resource, options);
    const sub: Subscriber = {
      resource: resource.resource,
      matches,
      handler: handler as unknown as WatchHandler<KubeObject>,
      queue: [],
      scheduled: false,
      stopped: false,
    };
    const rv = options.resourceVersion === '' || options.resourceVersion === '0' ? undefined : Number(options.resourceVersion);
    if (rv !== undefined && rv < this.compacted) {
      this.deliver(sub, () =>
        sub.handler.event({
          type: 'ERROR',
          object: new ApiError('Expired', `too old resource version: ${rv} (${this.compacted})`).toStatus() as unknown as KubeObject,
        }),
      );
      this.deliver(sub, () => sub.handler.end());
      return { stop: () => (sub.stopped = true) };
    }
    this.subscribers.add(sub);
    if (rv === undefined) {
      for (const obj of this.table(resource.resource).values()) {
        if (matches(obj)) {
          const copy = clone(obj);
          this.deliver(sub, () => sub.handler.event({ type: 'ADDED', object: copy }));
        }
      }
    } else {
      for (const change of this.history) {
        if (change.revision > rv && change.resource === resource.resource) this.offer(sub, change);
      }
    }
    return {
      stop: () => {
        sub.stopped = true;
        this.subscribers.delete(sub);
      },
    };
  }

  async get<T extends KubeObject = KubeObject>(resource: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    this.maybeFail('get', resource);
    const obj = this.table(resource.resource).get(this.key(resource, namespace, name));
    if (!obj) throw notFound(resource, name);
    return clone(obj) as T;
  }

  async create<T extends KubeObject = KubeObject>(resource: ResourceType, namespace: string | undefined, object: T): Promise<T> {
    this.maybeFail('create', resource);
    const obj = clone(object) as KubeObject;
    obj.metadata = { ...obj.metadata };
    if (resource.namespaced) obj.metadata.namespace = namespace ?? obj.metadata.namespace ?? 'default';
    else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = obj.metadata.generateName + Math.random().toString(36).slice(2, 7);
    }
    if (!obj.metadata.name) throw new ApiError('Invalid', `${resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const key = this.key(resource, obj.metadata.namespace, obj.metadata.name);
    const table = this.table(resource.resource);
    if (table.has(key)) throw alreadyExists(resource, obj.metadata.name);
    obj.apiVersion = apiVersionOfResource(resource);
    obj.kind = resource.kind;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    delete obj.metadata.deletionTimestamp;
    if (resourcesWithGeneration.has(resource.resource)) obj.metadata.generation = 1;
    if (resource.resource === 'pods') {
      const status = (obj.status ?? {}) as Record<string, unknown>;
      obj.status = { phase: 'Pending', ...status };
    }
    this.commit(resource, key, obj, undefined);
    this.actions.push({ verb: 'create', resource: resource.resource, namespace: obj.metadata.namespace, name: obj.metadata.name, body: clone(obj) });
    return clone(obj) as T;
  }

  async update<T extends KubeObject = KubeObject>(resource: ResourceType, object: T): Promise<T> {
    this.maybeFail('update', resource);
    return this.replace(resource, object, 'update') as Promise<T>;
  }

  async updateStatus<T extends KubeObject = KubeObject>(resource: ResourceType, object: T): Promise<T> {
    this.maybeFail('updateStatus', resource);
    return this.replace(resource, object, 'updateStatus') as Promise<T>;
  }

  async patch<T extends KubeObject = KubeObject>(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    kind: PatchKind,
    patch: unknown,
    options: { subresource?: 'status' } = {},
  ): Promise<T> {
    this.maybeFail('patch', resource);
    const key = this.key(resource, namespace, name);
    const old = this.table(resource.resource).get(key);
    if (!old) throw notFound(resource, name);
    // Strategic merge is treated as a plain merge patch: lists are replaced whole.
    const patched = (kind === 'json' ? jsonPatch(old, patch as { op: string; path: string }[]) : mergePatch(old, patch)) as KubeObject;
    const wanted = patched.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== old.metadata.resourceVersion) throw conflict(resource, name);
    patched.metadata = { ...patched.metadata, resourceVersion: old.metadata.resourceVersion };
    const result = await this.replace(resource, patched, options.subresource === 'status' ? 'updateStatus' : 'update', true);
    this.actions.push({ verb: 'patch', resource: resource.resource, namespace, name, body: clone(patch) });
    return result as T;
  }

  async delete(resource: ResourceType, namespace: string | undefined, name: string, options: ClientDeleteOptions = {}): Promise<void> {
    this.maybeFail('delete', resource);
    const key = this.key(resource, namespace, name);
    const old = this.table(resource.resource).get(key);
    if (!old) throw notFound(resource, name);
    if (options.preconditions?.uid && options.preconditions.uid !== old.metadata.uid) {
      throw conflict(resource, name, `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (options.preconditions?.resourceVersion && options.preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(resource, name);
    }
    this.actions.push({ verb: 'delete', resource: resource.resource, namespace, name });
    if ((old.metadata.finalizers ?? []).length > 0) {
      if (old.metadata.deletionTimestamp) return;
      const marked = clone(old);
      marked.metadata.deletionTimestamp = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      this.commit(resource, key, marked, old);
      return;
    }
    this.remove(resource, key, old);
  }

  async bind(namespace: string, podName: string, nodeName: string): Promise<void> {
    this.maybeFail('bind', podsResource);
    const key = this.key(podsResource, namespace, podName);
    const old = this.table('pods').get(key) as (KubeObject & { spec?: { nodeName?: string }; status?: { conditions?: unknown[] } }) | undefined;
    if (!old) throw notFound(podsResource, podName);
    const bindingResource = { group: '', resource: 'pods/binding', kind: 'Binding' };
    if (old.metadata.deletionTimestamp) throw conflict(bindingResource, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
    if (old.spec?.nodeName) throw conflict(bindingResource, podName, `pod ${podName} is already assigned to node "${old.spec.nodeName}"`);
    const pod = clone(old);
    pod.spec = { ...(pod.spec ?? {}), nodeName };
    // The binding also records PodScheduled=True, as the real pods/binding does.
    const conditions = ((pod.status?.conditions ?? []) as { type?: string }[]).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z') } as { type: string });
    pod.status = { ...(pod.status ?? {}), conditions };
    this.commit(podsResource, key, pod, old);
    this.actions.push({ verb: 'bind', resource: 'pods', namespace, name: podName, body: nodeName });
  }

  createEvent(event: KubeObject): Promise<KubeObject> {
    return this.create(eventsResource, event.metadata.namespace, event);
  }

  // ---------------------------------------------------------------------------
  // Internals.

  private table(resource: string): Map<string, KubeObject> {
    let table = this.objects.get(resource);
    if (!table) {
      table = new Map();
      this.objects.set(resource, table);
    }
    return table;
  }

  private key(resource: ResourceType, namespace: string | undefined, name: string): string {
    return resource.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  private maybeFail(verb: FakeVerb, resource: ResourceType): void {
    const i = this.failures.findIndex((f) => f.verb === verb && (f.resource === undefined || f.resource === resource.resource));
    if (i < 0) return;
    const [failure] = this.failures.splice(i, 1);
    throw failure.error;
  }

  private predicate(resource: ResourceType, options: ClientListOptions): (obj: KubeObject) => boolean {
    let labels;
    let fields;
    try {
      labels = parseSelector(options.labelSelector ?? '');
      fields = parseFieldSelector(options.fieldSelector ?? '');
    } catch (err) {
      if (err instanceof SelectorError) throw new ApiError('BadRequest', err.message);
      throw err;
    }
    const probe = fieldsOf(resource.resource, { metadata: {} });
    for (const f of fields) if (!(f.field in probe)) throw new ApiError('BadRequest', `field label not supported: ${f.field}`);
    const namespace = resource.namespaced ? options.namespace : undefined;
    return (obj) =>
      (namespace === undefined || obj.metadata.namespace === namespace) &&
      matchesSelector(labels, obj.metadata.labels) &&
      matchesFields(fields, fieldsOf(resource.resource, obj));
  }

  private async replace(resource: ResourceType, object: KubeObject, scope: 'update' | 'updateStatus', fromPatch = false): Promise<KubeObject> {
    const name = object.metadata?.name ?? '';
    const key = this.key(resource, object.metadata?.namespace, name);
    const old = this.table(resource.resource).get(key);
    if (!old) throw notFound(resource, name);
    const wanted = object.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) throw conflict(resource, name);
    let next: KubeObject;
    if (scope === 'updateStatus') {
      next = clone(old);
      next.status = clone(object.status);
    } else {
      next = clone(object);
      next.metadata = {
        ...next.metadata,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        deletionTimestamp: old.metadata.deletionTimestamp,
        namespace: old.metadata.namespace,
      };
      next.apiVersion = old.apiVersion;
      next.kind = old.kind;
      if (resourcesWithStatus.has(resource.resource)) {
        if (old.status === undefined) delete next.status;
        else next.status = clone(old.status);
      }
      if (resourcesWithGeneration.has(resource.resource) && JSON.stringify(next.spec) !== JSON.stringify(old.spec)) {
        next.metadata.generation = (old.metadata.generation ?? 1) + 1;
      }
    }
    if (JSON.stringify(next) === JSON.stringify(old)) return clone(old);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.remove(resource, key, old);
      return clone(next);
    }
    this.commit(resource, key, next, old);
    if (!fromPatch) this.actions.push({ verb: scope, resource: resource.resource, namespace: next.metadata.namespace, name, body: clone(next) });
    return clone(next);
  }

  private commit(resource: ResourceType, key: string, obj: KubeObject, prev: KubeObject | undefined): void {
    obj.metadata.resourceVersion = String(++this.revision);
    this.table(resource.resource).set(key, obj);
    this.publish({ revision: this.revision, resource: resource.resource, type: prev ? 'MODIFIED' : 'ADDED', object: clone(obj), prev: prev && clone(prev) });
  }

  private remove(resource: ResourceType, key: string, old: KubeObject): void {
    this.table(resource.resource).delete(key);
    const last = clone(old);
    last.metadata.resourceVersion = String(++this.revision);
    this.publish({ revision: this.revision, resource: resource.resource, type: 'DELETED', object: last });
  }

  private publish(change: Change): void {
    this.history.push(change);
    for (const sub of this.subscribers) if (sub.resource === change.resource) this.offer(sub, change);
  }

  /** offer turns a change into what this watch sees, given its selectors. */
  private offer(sub: Subscriber, change: Change): void {
    const now = sub.matches(change.object);
    let event: WatchEvent<KubeObject> | undefined;
    if (change.type === 'DELETED') event = now ? { type: 'DELETED', object: change.object } : undefined;
    else if (change.type === 'ADDED' || !change.prev) event = now ? { type: 'ADDED', object: change.object } : undefined;
    else {
      const before = sub.matches(change.prev);
      if (now && before) event = { type: 'MODIFIED', object: change.object };
      else if (now) event = { type: 'ADDED', object: change.object };
      else if (before) event = { type: 'DELETED', object: change.object };
    }
    if (!event) return;
    const copy = clone(event);
    this.deliver(sub, () => sub.handler.event(copy));
  }

  private deliver(sub: Subscriber, fn: () => void): void {
    sub.queue.push(fn);
    if (sub.scheduled) return;
    sub.scheduled = true;
    queueMicrotask(() => {
      sub.scheduled = false;
      const batch = sub.queue;
      sub.queue = [];
      for (const f of batch) if (!sub.stopped) f();
    });
  }

  private endSubscriber(sub: Subscriber): void {
    this.subscribers.delete(sub);
    this.deliver(sub, () => {
      sub.handler.end();
      sub.stopped = true;
    });
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
