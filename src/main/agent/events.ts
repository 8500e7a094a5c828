// Events the node agent reports about pods (Pulling, Pulled, Created, Started,
// Killing, BackOff, Unhealthy, Failed, ...), as kubelet does: source kubelet on this
// host, involvedObject the pod with fieldPath spec.containers{name}. A repeat of an
// event bumps its count and lastTimestamp instead of adding another one.
import type { ApiClient } from '../apiserver/client/apiClient';
import { isNotFound } from '../apiserver/client/apiClient';
import type { Event } from '../apiserver/kinds/event';
import type { Pod } from '../apiserver/kinds/types';
import type { Logger } from '../log';
import { rfc3339 } from './podStatus';

/** EventType is Normal or Warning. */
export type EventType = 'Normal' | 'Warning';

/** containerFieldPath is the fieldPath of a container in its pod: spec.containers{name} or spec.initContainers{name}. */
export function containerFieldPath(kind: 'init' | 'app', name: string): string {
  return kind === 'init' ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

interface Remembered {
  namespace: string;
  name: string;
  count: number;
}

/** PodEvents records events about pods and the node for one node agent. */
export class PodEvents {
  private readonly remembered = new Map<string, Remembered>();
  private readonly chains = new Map<string, Promise<void>>();
  private sequence = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly host: string,
    private readonly log: Logger,
    private readonly maxRemembered = 2048,
  ) {}

  /** pod records an event about a pod, or about one of its containers when fieldPath is given. */
  pod(pod: Pod, type: EventType, reason: string, message: string, fieldPath?: string): Promise<void> {
    return this.record(
      {
        kind: 'Pod',
        apiVersion: 'v1',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        ...(fieldPath ? { fieldPath } : {}),
      },
      type,
      reason,
      message,
    );
  }

  /**
   * node records an event about the node itself, in the default namespace. As kubelet
   * does, the node's name stands in for its uid, which is what `kubectl describe node` searches.
   */
  node(type: EventType, reason: string, message: string): Promise<void> {
    return this.record({ kind: 'Node', apiVersion: 'v1', name: this.host, uid: this.host }, type, reason, message);
  }

  private record(involved: NonNullable<Event['involvedObject']>, type: EventType, reason: string, message: string): Promise<void> {
    const key = JSON.stringify([involved.kind, involved.namespace, involved.name, involved.uid, involved.fieldPath, type, reason, message]);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(key, involved, type, reason, message))
      .catch((err) => this.log.debug('could not record an event', { reason, object: involved.name, error: err }));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async write(key: string, involved: NonNullable<Event['involvedObject']>, type: EventType, reason: string, message: string): Promise<void> {
    const now = rfc3339(new Date());
    const events = this.client.resource<Event>('v1/events');
    const known = this.remembered.get(key);
    if (known) {
      try {
        await events.patch(known.namespace, known.name, { count: known.count + 1, lastTimestamp: now });
        known.count++;
        this.remembered.delete(key);
        this.remembered.set(key, known);
        return;
      } catch (err) {
        // Events expire; write it anew.
        if (!isNotFound(err)) throw err;
        this.remembered.delete(key);
      }
    }
    const namespace = involved.namespace || 'default';
    const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const created = await events.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.name ?? 'event'}.${nanos.toString(16)}`, namespace },
      involvedObject: involved,
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubelet', host: this.host },
      reportingComponent: 'kubelet',
      reportingInstance: this.host,
    });
    this.remembered.set(key, { namespace, name: created.metadata.name ?? '', count: 1 });
    if (this.remembered.size > this.maxRemembered) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }

  /** flush waits for events being written. */
  async flush(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }
}
