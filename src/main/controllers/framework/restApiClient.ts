// The framework's ApiClient over the API server's own in-process client (and, for
// pods/binding, its REST layer): what the engine hands to the controllers and the
// scheduler. Every write goes through the same defaulting, validation and
// concurrency checks as a kubectl request.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiClient as ServerClient, type ResourceClient } from '../../apiserver/client/apiClient';
import { bindPod } from '../../apiserver/rest/podSubresources';
import type { RestApi } from '../../apiserver/rest/restApi';
import type { Caller } from '../../apiserver/rest/types';
import { ApiError } from '../../errors';
import { eventsResource, podsResource, type ApiClient, type ResourceType } from './apiClient';

/** RestApiClientOptions say who the client acts as. */
export interface RestApiClientOptions {
  /** The caller writes are made as; its userAgent names the field manager (e.g. 'default-scheduler'). */
  caller?: Caller;
}

/** restApiClient returns an ApiClient that talks to a RestApi in the same process. */
export function restApiClient(rest: RestApi, options: RestApiClientOptions = {}): ApiClient {
  const server = options.caller ? new ServerClient(rest, options.caller) : new ServerClient(rest);
  const clients = new Map<string, ResourceClient<KubeObject>>();
  const of = (r: Pick<ResourceType, 'group' | 'version' | 'resource'>): ResourceClient<KubeObject> => {
    const id = `${r.group}/${r.version}/${r.resource}`;
    let client = clients.get(id);
    if (!client) {
      client = server.resource<KubeObject>({ group: r.group, version: r.version, resource: r.resource });
      clients.set(id, client);
    }
    return client;
  };
  const withNamespace = <T extends KubeObject>(resource: ResourceType, namespace: string | undefined, obj: T): T =>
    resource.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace: namespace ?? obj.metadata.namespace } } : obj;

  return {
    async list<T extends KubeObject>(resource: ResourceType, opts: Parameters<ApiClient['list']>[1] = {}) {
      const list = await of(resource).list({ namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
      return { items: list.items as T[], resourceVersion: list.metadata.resourceVersion ?? '' };
    },
    watch(resource, opts, handler) {
      return of(resource).watch(
        {
          namespace: opts.namespace,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          resourceVersion: opts.resourceVersion,
          allowWatchBookmarks: opts.allowWatchBookmarks,
        },
        (event) => handler.event(event as Parameters<typeof handler.event>[0]),
        () => handler.end(),
      );
    },
    async get<T extends KubeObject>(resource: ResourceType, namespace: string | undefined, name: string) {
      return (await of(resource).get(namespace, name)) as T;
    },
    async create<T extends KubeObject>(resource: ResourceType, namespace: string | undefined, obj: T) {
      return (await of(resource).create(withNamespace(resource, namespace, obj))) as T;
    },
    async update<T extends KubeObject>(resource: ResourceType, obj: T) {
      return (await of(resource).update(obj)) as T;
    },
    async updateStatus<T extends KubeObject>(resource: ResourceType, obj: T) {
      return (await of(resource).updateStatus(obj)) as T;
    },
    async patch<T extends KubeObject>(resource: ResourceType, namespace: string | undefined, name: string, kind: 'merge' | 'json' | 'strategic', patch: unknown, opts: { subresource?: 'status' } = {}) {
      const client = of(resource);
      return (await (opts.subresource === 'status' ? client.patchStatus(namespace, name, patch, kind) : client.patch(namespace, name, patch, kind))) as T;
    },
    async delete(resource, namespace, name, opts) {
      await of(resource).delete(namespace, name, opts);
    },
    async bind(namespace, podName, nodeName) {
      const pods = rest.registry.lookup(podsResource.group, podsResource.version, podsResource.resource);
      if (!pods) throw new ApiError('NotFound', 'the server could not find the requested resource v1/pods');
      const binding = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: podName, namespace },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      };
      await bindPod(rest.context, pods, namespace, podName, binding, false);
    },
    async createEvent(event) {
      return of(eventsResource).create(withNamespace(eventsResource, event.metadata.namespace, event));
    },
  };
}
