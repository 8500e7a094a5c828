// What running clusters tell the engine between operations: their health changed, or
// a pod went into CrashLoopBackOff. The runtimes publish here; the engine listens.
import type { PodAlert } from '../../shared/gateway';

/** ClusterActivityEvent is one thing a running cluster reports. */
export type ClusterActivityEvent = { type: 'health'; cluster: string } | { type: 'podAlert'; alert: PodAlert };

/** ClusterActivity passes cluster reports to whoever listens. */
export class ClusterActivity {
  private readonly listeners = new Set<(event: ClusterActivityEvent) => void>();

  /** publish tells every listener. */
  publish(event: ClusterActivityEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** subscribe adds a listener and returns a function that removes it. */
  subscribe(listener: (event: ClusterActivityEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
