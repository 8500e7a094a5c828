// RestApi is the generic REST layer over the store: one object with every verb the
// API server serves, used by the HTTP handlers and, without HTTP, by the in-process
// ApiClient of controllers and the cluster bootstrap.
import type { KubeList, KubeObject } from '../../../shared/api/meta';
import type { Store } from '../../store/types';
import { allowAllAuthorizer, type Authorizer } from '../auth/authorizer';
import { Registry, apiVersionOf } from '../registry/registry';
import type { JSONSchema, ResourceDefinition } from '../registry/types';
import { SchemaResolver } from '../schema/schemaResolver';
import type { AdmissionPlugin } from '../admission/types';
import type { RestContext, VirtualHandler } from './context';
import { deleteObject } from './deletion';
import { getObject, listObjects, listObjectsAsJson } from './reads';
import { getScale, patchScale, updateScale, type Scale } from './scale';
import type {
  Caller,
  DeleteOptions,
  DeleteResult,
  ListOptions,
  PatchOptions,
  PatchType,
  WatchHandle,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from './types';
import { watchObjects, type WatchSink } from './watch';
import { createObject, patchObject, updateObject, type UpdateScope } from './writes';

/** RestApiOptions configure a RestApi. */
export interface RestApiOptions {
  store: Store;
  registry: Registry;
  authorizer?: Authorizer;
  /** The clock; tests may pin it. */
  now?: () => Date;
  /** Extra named schemas (e.g. shared ones) besides the kinds' own definitions. */
  schemas?: Record<string, JSONSchema>;
  /** Handlers for virtual kinds, keyed by 'group/kind'. */
  virtualHandlers?: Map<string, VirtualHandler>;
  /** Admission plugins run on every create and update of a stored kind. */
  admission?: AdmissionPlugin[];
}

/** RestApi serves every generic verb for every kind in the registry. */
export class RestApi {
  readonly context: RestContext;

  constructor(options: RestApiOptions) {
    const definitions: Record<string, JSONSchema> = { ...(options.schemas ?? {}) };
    // The first definition of a name wins, so the kinds' full schemas are not replaced by simpler copies.
    for (const def of options.registry.all()) {
      for (const [name, schema] of Object.entries(def.definitions)) if (!(name in definitions)) definitions[name] = schema;
    }
    this.context = {
      store: options.store,
      registry: options.registry,
      resolver: new SchemaResolver(definitions),
      authorizer: options.authorizer ?? allowAllAuthorizer,
      now: options.now ?? (() => new Date()),
      virtualHandlers: options.virtualHandlers ?? new Map(),
      admission: options.admission ?? [],
    };
  }

  get registry(): Registry {
    return this.context.registry;
  }

  get store(): Store {
    return this.context.store;
  }

  /** get reads one object; 404 when it does not exist. */
  get(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<KubeObject> {
    return getObject(this.context, def, namespace, name);
  }

  /** list lists objects of a kind in a namespace, or in all namespaces when namespace is undefined. */
  list(def: ResourceDefinition, namespace: string | undefined, options?: ListOptions): Promise<KubeList> {
    return listObjects(this.context, def, namespace, options);
  }

  /** listAsJson lists like list but returns the response body as JSON text (the fast path for HTTP). */
  listAsJson(def: ResourceDefinition, namespace: string | undefined, options?: ListOptions): Promise<string> {
    return listObjectsAsJson(this.context, def, namespace, options);
  }

  /** watch streams changes to a sink until stopped (or timeoutSeconds passes). */
  watch(def: ResourceDefinition, namespace: string | undefined, options: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    return watchObjects(this.context, def, namespace, options, sink);
  }

  /** create stores a new object (POST). */
  create(def: ResourceDefinition, namespace: string | undefined, body: unknown, options: WriteOptions, caller: Caller): Promise<WriteResult> {
    return createObject(this.context, def, namespace, body, options, caller);
  }

  /** update replaces an object, its status or (namespaces) its finalizers. */
  update(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions,
    caller: Caller,
    scope: UpdateScope = 'main',
  ): Promise<WriteResult> {
    return updateObject(this.context, def, namespace, name, body, options, caller, scope);
  }

  /** patch applies a json, merge, strategic or apply patch to an object or its status. */
  patch(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions,
    caller: Caller,
    scope: UpdateScope = 'main',
  ): Promise<WriteResult> {
    return patchObject(this.context, def, namespace, name, type, patch, options, caller, scope);
  }

  /** delete deletes an object, or marks it for deletion while finalizers or a grace period run. */
  delete(def: ResourceDefinition, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<DeleteResult> {
    return deleteObject(this.context, def, namespace, name, options);
  }

  /** deleteCollection deletes every selected object and returns them as a list. */
  async deleteCollection(
    def: ResourceDefinition,
    namespace: string | undefined,
    listOptions: ListOptions,
    options: DeleteOptions = {},
  ): Promise<KubeList> {
    const list = await this.list(def, namespace, { ...listOptions, limit: undefined, continue: undefined });
    const items: KubeObject[] = [];
    for (const item of list.items) {
      try {
        const result = await this.delete(def, item.metadata.namespace, item.metadata.name!, options);
        items.push(result.object);
      } catch (err) {
        // Deleted by someone else meanwhile: it is gone either way.
        if ((err as { reason?: string }).reason !== 'NotFound') throw err;
      }
    }
    return { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: { resourceVersion: String(this.store.currentRevision()) }, items };
  }

  /** getScale reads the autoscaling/v1 Scale of an object. */
  getScale(def: ResourceDefinition, namespace: string | undefined, name: string): Promise<Scale> {
    return getScale(this.context, def, namespace, name);
  }

  /** updateScale replaces the Scale of an object. */
  updateScale(def: ResourceDefinition, namespace: string | undefined, name: string, body: unknown, options: WriteOptions, caller: Caller): Promise<WriteResult<Scale>> {
    return updateScale(this.context, def, namespace, name, body, options, caller);
  }

  /** patchScale patches the Scale of an object. */
  patchScale(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions,
    caller: Caller,
  ): Promise<WriteResult<Scale>> {
    return patchScale(this.context, def, namespace, name, type, patch, options, caller);
  }
}
