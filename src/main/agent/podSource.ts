// The pods bound to this node, kept in step with the API server by list + watch on
// the field selector spec.nodeName=<node>. A watch that ends (or whose history is
// gone) is followed by a fresh list, and pods missing from it count as deleted.
// Listeners get uids only; they read the current pod from the source.
import type { KubeObject, WatchEvent } from '../../shared/api/meta';
import type { ApiClient } from '../apiserver/client/apiClient';
import type { Pod } from '../apiserver/kinds/types';
import type { WatchHandle } from '../apiserver/rest/types';
import type { Logger } from '../log';

/** PodSourceOptions configure a PodSource. */
export interface PodSourceOptions {
  client: ApiClient;
  nodeName: string;
  /** Called with the uid of each pod that was added, changed or deleted. */
  onChange(uid: string): void;
  log: Logger;
}

/** PodSource is the node's view of its pods, by uid. */
export class PodSource {
  private readonly pods = new Map<string, Pod>();
  private watch: WatchHandle | undefined;
  private stopped = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private retryMs = 200;
  private retryTimer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly options: PodSourceOptions) {}

  /** start lists and watches; it resolves after the first list. */
  async start(): Promise<void> {
    void this.listAndWatch();
    await this.waitForSync();
  }

  /** hasSynced tells whether the first list has completed. */
  get hasSynced(): boolean {
    return this.synced;
  }

  /** get returns the current pod with this uid, if it is bound to the node. */
  get(uid: string): Pod | undefined {
    return this.pods.get(uid);
  }

  /** list returns every pod bound to the node. */
  list(): Pod[] {
    return [...this.pods.values()];
  }

  /** findByName finds a pod by namespace and name. */
  findByName(namespace: string, name: string): Pod | undefined {
    for (const pod of this.pods.values()) {
      if (pod.metadata.namespace === namespace && pod.metadata.name === name) return pod;
    }
    return undefined;
  }

  /** stop ends the watch. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.watch?.stop();
    this.watch = undefined;
  }

  private waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  private fieldSelector(): string {
    return `spec.nodeName=${this.options.nodeName}`;
  }

  private async listAndWatch(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    try {
      const list = await this.options.client.resource<Pod>('v1/pods').list({ fieldSelector: this.fieldSelector() });
      if (this.stopped || generation !== this.generation) return;
      const seen = new Set<string>();
      for (const pod of list.items) {
        const uid = pod.metadata.uid ?? '';
        seen.add(uid);
        this.apply({ type: 'MODIFIED', object: pod });
      }
      for (const uid of [...this.pods.keys()]) {
        if (!seen.has(uid)) {
          this.pods.delete(uid);
          this.options.onChange(uid);
        }
      }
      if (!this.synced) {
        this.synced = true;
        for (const resolve of this.syncWaiters.splice(0)) resolve();
      }
      const rv = list.metadata.resourceVersion ?? '';
      this.watch = await this.options.client.resource<Pod>('v1/pods').watch(
        { fieldSelector: this.fieldSelector(), resourceVersion: rv, allowWatchBookmarks: true },
        (event) => {
          if (generation !== this.generation) return;
          if (event.type === 'ERROR') {
            // History is gone (410): list again.
            this.restart(generation);
            return;
          }
          this.apply(event);
        },
        () => this.restart(generation),
      );
      this.retryMs = 200;
    } catch (err) {
      if (this.stopped) return;
      this.options.log.warn('could not list pods; trying again', { error: err });
      this.retryTimer = setTimeout(() => void this.listAndWatch(), this.retryMs);
      this.retryTimer.unref?.();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    }
  }

  private restart(generation: number): void {
    if (this.stopped || generation !== this.generation) return;
    this.watch?.stop();
    this.watch = undefined;
    this.retryTimer = setTimeout(() => void this.listAndWatch(), 50);
    this.retryTimer.unref?.();
  }

  private apply(event: WatchEvent<KubeObject>): void {
    if (event.type === 'BOOKMARK') return;
    const pod = event.object as Pod;
    const uid = pod.metadata.uid ?? '';
    if (!uid) return;
    if (event.type === 'DELETED' || pod.spec?.nodeName !== this.options.nodeName) {
      if (this.pods.delete(uid)) this.options.onChange(uid);
      return;
    }
    const before = this.pods.get(uid);
    if (before && before.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    this.pods.set(uid, pod);
    this.options.onChange(uid);
  }
}
