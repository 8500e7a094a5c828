// ApiClient: a small typed client over the generic REST layer, without HTTP, for the
// controllers, node agents and the cluster bootstrap that run in the engine. It runs
// every write through the same defaulting, validation and concurrency rules as
// kubectl's requests.
import type { KubeList, KubeObject, WatchEvent } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import { engineUser } from '../auth/user';
import { apiVersionOf, splitApiVersion } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';
import type { RestApi } from '../rest/restApi';
import type { Scale } from '../rest/scale';
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
} from '../rest/types';

/** ResourceRef names a kind by group, version and plural resource. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

/** ClientListOptions are ListOptions with the namespace (absent: all namespaces). */
export interface ClientListOptions extends ListOptions {
  namespace?: string;
}

/** ClientWatchOptions are WatchOptions with the namespace (absent: all namespaces). */
export interface ClientWatchOptions extends WatchOptions {
  namespace?: string;
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** isNotFound tells whether an error is a 404 NotFound. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'NotFound';
}

/** isConflict tells whether an error is a 409 Conflict (stale resourceVersion). */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'Conflict';
}

/** isAlreadyExists tells whether an error is a 409 AlreadyExists. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'AlreadyExists';
}

/** ResourceClient reads and writes one kind. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly rest: RestApi,
    readonly definition: ResourceDefinition,
    private readonly caller: Caller,
    private readonly defaults: WriteOptions,
  ) {}

  private ns(namespace: string | undefined): string | undefined {
    if (!this.definition.namespaced) return undefined;
    if (!namespace) throw new ApiError('BadRequest', `${this.definition.resource} is namespaced: give a namespace`);
    return namespace;
  }

  private options<O extends WriteOptions>(options?: O): O {
    return { ...this.defaults, ...(options ?? {}) } as O;
  }

  /** get reads one object; NotFound is thrown as an ApiError. */
  async get(namespace: string | undefined, name: string): Promise<T> {
    return (await this.rest.get(this.definition, this.ns(namespace), name)) as T;
  }

  /** tryGet reads one object, or returns undefined when it does not exist. */
  async tryGet(namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get(namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** list lists objects in a namespace, or in all namespaces when none is given. */
  async list(options: ClientListOptions = {}): Promise<KubeList<T>> {
    const { namespace, ...rest } = options;
    return (await this.rest.list(this.definition, this.definition.namespaced ? namespace : undefined, rest)) as KubeList<T>;
  }

  /** create stores a new object; its namespace comes from metadata.namespace. */
  async create(obj: T, options?: WriteOptions): Promise<T> {
    const result = await this.rest.create(this.definition, this.ns(obj.metadata.namespace), copy(obj), this.options(options), this.caller);
    return result.object as T;
  }

  /** update replaces an object; a resourceVersion in it must still be current. */
  async update(obj: T, options?: WriteOptions): Promise<T> {
    const result = await this.rest.update(this.definition, this.ns(obj.metadata.namespace), obj.metadata.name ?? '', copy(obj), this.options(options), this.caller);
    return result.object as T;
  }

  /** updateStatus replaces an object's status (the rest of it is ignored). */
  async updateStatus(obj: T, options?: WriteOptions): Promise<T> {
    const result = await this.rest.update(this.definition, this.ns(obj.metadata.namespace), obj.metadata.name ?? '', copy(obj), this.options(options), this.caller, 'status');
    return result.object as T;
  }

  /** finalize replaces a namespace's spec.finalizers (the namespace controller's last step). */
  async finalize(obj: T, options?: WriteOptions): Promise<T> {
    const result = await this.rest.update(this.definition, undefined, obj.metadata.name ?? '', copy(obj), this.options(options), this.caller, 'finalize');
    return result.object as T;
  }

  /** patch patches an object (JSON merge patch unless another type is given). */
  async patch(namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', options?: PatchOptions): Promise<T> {
    const result = await this.rest.patch(this.definition, this.ns(namespace), name, type, copy(patch), this.options(options), this.caller);
    return result.object as T;
  }

  /** patchStatus patches an object's status. */
  async patchStatus(namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', options?: PatchOptions): Promise<T> {
    const result = await this.rest.patch(this.definition, this.ns(namespace), name, type, copy(patch), this.options(options), this.caller, 'status');
    return result.object as T;
  }

  /** apply is server-side apply: it creates or merges, owning the given fields for fieldManager. */
  async apply(obj: T, options: PatchOptions & { fieldManager: string }): Promise<T> {
    const full = { ...copy(obj), apiVersion: apiVersionOf(this.definition), kind: this.definition.kind };
    const result = await this.rest.patch(this.definition, this.ns(obj.metadata.namespace), obj.metadata.name ?? '', 'apply', full, this.options(options), this.caller);
    return result.object as T;
  }

  /** delete deletes an object (or starts its deletion when finalizers or a grace period apply). */
  async delete(namespace: string | undefined, name: string, options?: DeleteOptions): Promise<DeleteResult<T>> {
    return (await this.rest.delete(this.definition, this.ns(namespace), name, options)) as DeleteResult<T>;
  }

  /** deleteCollection deletes every selected object. */
  async deleteCollection(options: ClientListOptions = {}, deleteOptions?: DeleteOptions): Promise<KubeList<T>> {
    const { namespace, ...rest } = options;
    return (await this.rest.deleteCollection(this.definition, this.definition.namespaced ? namespace : undefined, rest, deleteOptions)) as KubeList<T>;
  }

  /** watch delivers events until the handle is stopped; onEnd runs when the watch ends by itself. */
  watch(options: ClientWatchOptions, onEvent: (event: WatchEvent<T>) => void, onEnd: () => void = () => {}): Promise<WatchHandle> {
    const { namespace, ...rest } = options;
    return this.rest.watch(this.definition, this.definition.namespaced ? namespace : undefined, rest, {
      event: (event) => onEvent(event as WatchEvent<T>),
      end: onEnd,
    });
  }

  /** getScale reads the autoscaling/v1 Scale of an object. */
  getScale(namespace: string | undefined, name: string): Promise<Scale> {
    return this.rest.getScale(this.definition, this.ns(namespace), name);
  }

  /** setReplicas changes an object's replicas through its scale subresource. */
  async setReplicas(namespace: string | undefined, name: string, replicas: number): Promise<Scale> {
    const result = await this.rest.patchScale(this.definition, this.ns(namespace), name, 'merge', { spec: { replicas } }, this.options(), this.caller);
    return result.object;
  }
}

/** ApiClient hands out ResourceClients for the kinds of one cluster. */
export class ApiClient {
  private readonly defaults: WriteOptions;

  /**
   * ApiClient acts as caller (the engine itself by default). Writes default to Strict
   * field validation, so a controller that writes an undeclared field fails loudly.
   */
  constructor(
    private readonly rest: RestApi,
    private readonly caller: Caller = { user: engineUser, userAgent: 'wheelhouse-engine' },
    defaults: WriteOptions = {},
  ) {
    this.defaults = { fieldManager: caller.userAgent?.split('/')[0] ?? 'wheelhouse-engine', fieldValidation: 'Strict', ...defaults };
  }

  /** as returns a client acting as another caller, e.g. a node agent with its own field manager. */
  as(caller: Caller, defaults: WriteOptions = {}): ApiClient {
    return new ApiClient(this.rest, caller, defaults);
  }

  /** resource returns the client of a kind named by group/version/resource or 'apps/v1/deployments' / 'v1/pods'. */
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef | string): ResourceClient<T> {
    const { group, version, resource } = typeof ref === 'string' ? parseRef(ref) : ref;
    const def = this.rest.registry.lookup(group, version, resource);
    if (!def) throw new ApiError('NotFound', `the server could not find the requested resource ${group ? `${group}/` : ''}${version}/${resource}`);
    return new ResourceClient<T>(this.rest, def, this.caller, this.defaults);
  }

  /** forKind returns the client of a kind named by apiVersion and kind ('apps/v1', 'Deployment'). */
  forKind<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClient<T> {
    const def = this.rest.registry.byApiVersionKind(apiVersion, kind);
    if (!def) throw new ApiError('NotFound', `no kind "${kind}" is registered in version "${apiVersion}"`);
    return new ResourceClient<T>(this.rest, def, this.caller, this.defaults);
  }
}

function parseRef(ref: string): ResourceRef {
  const parts = ref.split('/');
  if (parts.length === 2) return { group: '', version: parts[0], resource: parts[1] };
  if (parts.length === 3) return { group: parts[0], version: parts[1], resource: parts[2] };
  const { group, version } = splitApiVersion(ref);
  return { group, version, resource: '' };
}
