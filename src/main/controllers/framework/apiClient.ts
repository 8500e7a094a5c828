// The API the controllers and the scheduler need from the cluster: the few verbs of
// an in-process Kubernetes client, over resources named by group/version/resource.
// The engine hands in an implementation backed by the API server's REST layer;
// tests hand in the in-memory fake from ./testing.
import type { KubeObject, Status, WatchEvent } from '../../../shared/api/meta';
import { ApiError } from '../../errors';

/** ResourceType names one kind of object the way the REST layer addresses it. */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. 'pods'. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** podsResource is core/v1 pods. */
export const podsResource: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
/** nodesResource is core/v1 nodes. */
export const nodesResource: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
/** eventsResource is core/v1 events. */
export const eventsResource: ResourceType = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
/** servicesResource is core/v1 services. */
export const servicesResource: ResourceType = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };
/** namespacesResource is core/v1 namespaces. */
export const namespacesResource: ResourceType = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
/** deploymentsResource is apps/v1 deployments. */
export const deploymentsResource: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
/** replicaSetsResource is apps/v1 replicasets. */
export const replicaSetsResource: ResourceType = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };

/** apiVersionOfResource returns the apiVersion string of a resource ('v1', 'apps/v1'). */
export function apiVersionOfResource(resource: Pick<ResourceType, 'group' | 'version'>): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** ClientListOptions narrow a list or a watch. */
export interface ClientListOptions {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** ClientWatchOptions start a watch after a revision seen in a list (or an earlier event). */
export interface ClientWatchOptions extends ClientListOptions {
  /** Changes after this resourceVersion are delivered; an empty value or '0' sends the current state first. */
  resourceVersion: string;
  /** Ask for periodic BOOKMARK events so a long quiet watch keeps a fresh resourceVersion. */
  allowWatchBookmarks?: boolean;
}

/** ListResult is a consistent list and the revision it reflects. */
export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
}

/**
 * WatchHandler receives a watch's events. An ERROR event carries a Status (410 Expired
 * when the requested history is gone). end is called once when the watch stops by
 * itself, with the error that stopped it if any; it is not called after stop().
 */
export interface WatchHandler<T extends KubeObject = KubeObject> {
  event(event: WatchEvent<T>): void;
  end(error?: Error): void;
}

/** WatchHandle stops a running watch. */
export interface WatchHandle {
  stop(): void;
}

/** PatchKind is the patch format: RFC 7386 merge, RFC 6902 JSON patch, or strategic merge. */
export type PatchKind = 'merge' | 'json' | 'strategic';

/** ClientDeleteOptions mirror the DeleteOptions controllers use. */
export interface ClientDeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * ApiClient is the in-process Kubernetes client controllers and the scheduler use.
 * Every failure is an ApiError carrying the Kubernetes reason (NotFound, Conflict,
 * AlreadyExists, Invalid, Expired, ...). Objects handed in are not retained; objects
 * returned belong to the caller.
 */
export interface ApiClient {
  /** list reads the selected objects and the resourceVersion to watch from. */
  list<T extends KubeObject = KubeObject>(resource: ResourceType, options?: ClientListOptions): Promise<ListResult<T>>;
  /** watch streams changes after options.resourceVersion to handler until stopped. */
  watch<T extends KubeObject = KubeObject>(resource: ResourceType, options: ClientWatchOptions, handler: WatchHandler<T>): Promise<WatchHandle>;
  /** get reads one object; NotFound when it does not exist. */
  get<T extends KubeObject = KubeObject>(resource: ResourceType, namespace: string | undefined, name: string): Promise<T>;
  /** create stores a new object in namespace (ignored for cluster-scoped resources). */
  create<T extends KubeObject = KubeObject>(resource: ResourceType, namespace: string | undefined, object: T): Promise<T>;
  /** update replaces an object's spec and metadata; a set metadata.resourceVersion is a precondition (Conflict when stale). */
  update<T extends KubeObject = KubeObject>(resource: ResourceType, object: T): Promise<T>;
  /** updateStatus replaces an object's status through the status subresource, with the same precondition. */
  updateStatus<T extends KubeObject = KubeObject>(resource: ResourceType, object: T): Promise<T>;
  /** patch applies a patch to an object, or to its status when subresource is 'status'. */
  patch<T extends KubeObject = KubeObject>(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    kind: PatchKind,
    patch: unknown,
    options?: { subresource?: 'status' },
  ): Promise<T>;
  /** delete deletes an object (or starts its graceful deletion); NotFound when already gone. */
  delete(resource: ResourceType, namespace: string | undefined, name: string, options?: ClientDeleteOptions): Promise<void>;
  /** bind assigns a pending pod to a node through the pods/binding subresource (POST a v1 Binding). */
  bind(namespace: string, podName: string, nodeName: string): Promise<void>;
  /** createEvent stores a core/v1 Event in its namespace. */
  createEvent(event: KubeObject): Promise<KubeObject>;
}

/** reasonOf returns the Kubernetes reason of an error, if it carries one. */
export function reasonOf(err: unknown): string | undefined {
  if (err instanceof ApiError) return err.reason;
  const reason = (err as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** isNotFound tells whether an error means the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return reasonOf(err) === 'NotFound';
}

/** isConflict tells whether an error means a write was based on an outdated object. */
export function isConflict(err: unknown): boolean {
  return reasonOf(err) === 'Conflict';
}

/** isAlreadyExists tells whether an error means a create found the name taken. */
export function isAlreadyExists(err: unknown): boolean {
  return reasonOf(err) === 'AlreadyExists';
}

/** isExpired tells whether an error (or an ERROR event's Status) means the requested history was compacted. */
export function isExpired(err: unknown): boolean {
  const reason = reasonOf(err);
  if (reason === 'Expired' || reason === 'Gone') return true;
  return (err as Partial<Status> | null)?.code === 410;
}
