// One informer per resource and scope, shared by every controller that asks for it,
// so the controller manager lists and watches each resource once.
import type { KubeObject } from '../../../shared/api/meta';
import type { Logger } from '../../log';
import type { ApiClient, ResourceType } from './apiClient';
import { Informer, type InformerOptions } from './informer';

/** SharedInformers hands out shared informers and starts and stops them together. */
export class SharedInformers {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: ApiClient,
    private readonly defaults: { resyncMs?: number; log?: Logger } = {},
  ) {}

  /** informerFor returns the informer of a resource and scope, creating it (started, if start() ran) on first use. */
  informerFor<T extends KubeObject = KubeObject>(
    resource: ResourceType,
    scope: Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'> = {},
  ): Informer<T> {
    const id = JSON.stringify([resource.group, resource.version, resource.resource, scope.namespace, scope.labelSelector, scope.fieldSelector]);
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new Informer<KubeObject>(this.client, resource, {
        ...scope,
        resyncMs: this.defaults.resyncMs,
        log: this.defaults.log?.child(`informer/${resource.resource}`),
      });
      this.informers.set(id, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** start starts every informer, and any created later. */
  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** waitForSync resolves once every informer created so far has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  /** stop stops every informer. */
  stop(): void {
    for (const informer of this.informers.values()) informer.stop();
  }
}
