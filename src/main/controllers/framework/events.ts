// Recording core/v1 Events about objects, as `kubectl describe` shows them. A repeat
// of the same event (same object, type, reason, message and source) bumps the stored
// event's count and lastTimestamp instead of adding another one.
import type { KubeObject } from '../../../shared/api/meta';
import { createLogger, type Logger } from '../../log';
import { apiVersionOfResource, eventsResource, isNotFound, type ApiClient, type ResourceType } from './apiClient';

/** EventType is the severity of an event. */
export type EventType = 'Normal' | 'Warning';

/** KubeEvent is the core/v1 Event shape the recorder writes. */
export interface KubeEvent extends KubeObject {
  involvedObject: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiVersion?: string;
    resourceVersion?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string; host?: string };
  reportingComponent: string;
  reportingInstance: string;
}

/** EventRecorderOptions name the component that reports events. */
export interface EventRecorderOptions {
  /** source.component, e.g. 'default-scheduler' or 'replicaset-controller'. */
  component: string;
  /** source.host, when the reporter runs on a node. */
  host?: string;
  now?: () => Date;
  log?: Logger;
  /** How many distinct events to remember for aggregation (default 4096). */
  maxRemembered?: number;
}

interface Remembered {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

/** timestamp renders a time the way metav1.Time does: RFC 3339 in whole seconds. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** EventRecorder writes Events for one component; it never throws and never blocks a caller's reconcile for long. */
export class EventRecorder {
  private readonly remembered = new Map<string, Remembered>();
  /** Writes of one aggregate key run one after another, so a burst counts up instead of creating twins. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly max: number;
  private sequence = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: EventRecorderOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? createLogger(`events/${options.component}`);
    this.max = options.maxRemembered ?? 4096;
  }

  /**
   * record writes an event about obj. resource supplies kind and apiVersion when the
   * object does not carry them (list items may not). Resolves once written or given up.
   */
  record(obj: KubeObject, type: EventType, reason: string, message: string, resource?: ResourceType): Promise<void> {
    const involvedObject = {
      kind: obj.kind ?? resource?.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion ?? (resource ? apiVersionOfResource(resource) : undefined),
      resourceVersion: obj.metadata.resourceVersion,
    };
    const aggregateKey = JSON.stringify([
      involvedObject.kind,
      involvedObject.namespace,
      involvedObject.name,
      involvedObject.uid,
      type,
      reason,
      message,
      this.options.component,
      this.options.host,
    ]);
    const previous = this.chains.get(aggregateKey) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(aggregateKey, involvedObject, type, reason, message))
      .catch((err) => this.log.warn('could not record event', { reason, object: involvedObject.name, error: err }));
    this.chains.set(aggregateKey, next);
    void next.then(() => {
      if (this.chains.get(aggregateKey) === next) this.chains.delete(aggregateKey);
    });
    return next;
  }

  private async write(
    aggregateKey: string,
    involvedObject: KubeEvent['involvedObject'],
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = timestamp(this.now());
    const known = this.remembered.get(aggregateKey);
    if (known) {
      const count = known.count + 1;
      try {
        await this.client.patch(eventsResource, known.namespace, known.name, 'merge', { count, lastTimestamp: now });
        known.count = count;
        this.remember(aggregateKey, known);
        return;
      } catch (err) {
        // The event was deleted (events expire): write it anew, keeping its history.
        if (!isNotFound(err)) throw err;
        await this.create(aggregateKey, involvedObject, type, reason, message, count, known.firstTimestamp, now);
        return;
      }
    }
    await this.create(aggregateKey, involvedObject, type, reason, message, 1, now, now);
  }

  private async create(
    aggregateKey: string,
    involvedObject: KubeEvent['involvedObject'],
    type: EventType,
    reason: string,
    message: string,
    count: number,
    firstTimestamp: string,
    lastTimestamp: string,
  ): Promise<void> {
    // Events about cluster-scoped objects (nodes) live in the default namespace, as in Kubernetes.
    const namespace = involvedObject.namespace || 'default';
    const event: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.eventName(involvedObject.name ?? 'event'), namespace },
      involvedObject,
      reason,
      message,
      type,
      count,
      firstTimestamp,
      lastTimestamp,
      source: this.options.host ? { component: this.options.component, host: this.options.host } : { component: this.options.component },
      reportingComponent: this.options.component,
      reportingInstance: this.options.host ?? '',
    };
    const created = await this.client.createEvent(event);
    this.remember(aggregateKey, {
      namespace,
      name: created.metadata.name ?? event.metadata.name!,
      count,
      firstTimestamp,
    });
  }

  /** eventName is "<object>.<hex nanoseconds>", unique even for events within one millisecond. */
  private eventName(objectName: string): string {
    const nanos = BigInt(this.now().getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }

  private remember(key: string, value: Remembered): void {
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    this.remembered.delete(key);
    this.remembered.set(key, value);
    if (this.remembered.size > this.max) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}
