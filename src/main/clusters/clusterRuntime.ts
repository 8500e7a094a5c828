// A running local cluster: its store, API server, nodes and controllers.
import type { DockerMonitor } from '../docker/monitor';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import type { RuntimeHooks } from './clusterManager';

/** RuntimeDeps are the engine-wide parts a cluster runtime uses. */
export interface RuntimeDeps {
  docker: DockerMonitor;
  log: Logger;
}

/** createRuntimeHooks returns the hooks the cluster manager uses to run clusters. */
export function createRuntimeHooks(_deps: RuntimeDeps): RuntimeHooks {
  const unavailable = () =>
    new ApiError('ServiceUnavailable', 'Clusters are not available yet in this version of Wheelhouse.');
  return {
    start: async () => {
      throw unavailable();
    },
    removeNodes: async () => undefined,
    restoreStore: async () => {
      throw unavailable();
    },
  };
}
