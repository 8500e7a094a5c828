// What the tray's cluster items do: start and stop through the engine, copy the
// kubeconfig to the clipboard or merge it into the user's kubeconfig (with the same
// merge as `wheelhouse kubeconfig --merge`). The tray gives no other feedback, so
// results and failures are told in a notification.
import { clipboard } from 'electron';
import type { ClusterAction } from '../gateway/backend';
import { contextName, defaultKubeconfigPath, mergeKubeconfig } from '../clusters/kubeconfigFile';
import type { TrayActions } from './trayMenu';

/** TrayEngine is the part of the engine the tray uses. */
export interface TrayEngine {
  clusterAction(name: string, action: ClusterAction, body: Record<string, unknown>): Promise<unknown>;
}

/** TrayActionDeps are what the tray actions need from the app. */
export interface TrayActionDeps {
  engine: TrayEngine;
  openWindow(link?: string): void;
  openInBrowser(): void;
  quit(): void;
  /** tell shows people a short message; a click opens the link when there is one. */
  tell(title: string, body: string, link?: string): void;
  /** The kubeconfig file to merge into (default: the first of $KUBECONFIG, or ~/.kube/config). */
  kubeconfigFile?(): string;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function kubeconfigOf(engine: TrayEngine, name: string): Promise<string> {
  const answer = (await engine.clusterAction(name, 'kubeconfig', {})) as { kubeconfig?: unknown };
  if (typeof answer?.kubeconfig !== 'string') throw new Error(`Cluster "${name}" gave no kubeconfig.`);
  return answer.kubeconfig;
}

/**
 * createTrayActions returns the tray's actions. Each returns at once (a menu click
 * cannot wait); the returned promise of the underlying work is tracked in `pending`
 * for tests.
 */
export function createTrayActions(deps: TrayActionDeps): TrayActions & { pending: Set<Promise<void>> } {
  const pending = new Set<Promise<void>>();
  const run = (failure: string, work: () => Promise<void>) => {
    const task = work()
      .catch((err: unknown) => deps.tell(failure, messageOf(err)))
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  return {
    pending,
    openWindow: (link) => deps.openWindow(link),
    openInBrowser: () => deps.openInBrowser(),
    quit: () => deps.quit(),
    startCluster: (name) =>
      run(`Could not start cluster ${name}`, async () => {
        await deps.engine.clusterAction(name, 'start', {});
      }),
    stopCluster: (name) =>
      run(`Could not stop cluster ${name}`, async () => {
        await deps.engine.clusterAction(name, 'stop', {});
      }),
    copyKubeconfig: (name) =>
      run(`Could not copy the kubeconfig of ${name}`, async () => {
        clipboard.writeText(await kubeconfigOf(deps.engine, name));
        deps.tell('Kubeconfig copied', `The kubeconfig of cluster ${name} is on the clipboard. It holds admin credentials.`);
      }),
    mergeKubeconfig: (name) =>
      run(`Could not merge the kubeconfig of ${name}`, async () => {
        const target = deps.kubeconfigFile?.() ?? defaultKubeconfigPath();
        const { file, context } = mergeKubeconfig(await kubeconfigOf(deps.engine, name), target);
        deps.tell('Kubeconfig merged', `Context ${context || contextName(name)} is in ${file}. Try: kubectl --context ${context || contextName(name)} get nodes`);
      }),
  };
}
