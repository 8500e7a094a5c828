// The controller manager: starts the workload controllers (ReplicaSet, Deployment,
// Job, DaemonSet, StatefulSet), the garbage collector and the namespace controller
// over one set of shared informers, the PersistentVolume binder and the local-path
// provisioner (when given the shared volume folder), each writing as itself (its own
// field manager and event source), and stops them together.
import { engineUser } from '../apiserver/auth/user';
import type { RestApi } from '../apiserver/rest/restApi';
import { createLogger, type Logger } from '../log';
import type { ControllerContext } from './controllerContext';
import { startDaemonSetController, type DaemonSetControllerOptions } from './daemonSet';
import { startEndpointsController } from './endpoints';
import { startDeploymentController } from './deployment';
import { EventRecorder } from './framework/events';
import type { Controller } from './framework/controller';
import { restApiClient } from './framework/restApiClient';
import { SharedInformers } from './framework/sharedInformers';
import { startGarbageCollector } from './garbageCollector';
import { startJobController, type JobControllerOptions } from './job';
import { kubernetesFinalizer, startNamespaceController, type Namespace } from './namespace';
import { startReplicaSetController, type ReplicaSetControllerOptions } from './replicaSet';
import { startStatefulSetController } from './statefulSet';
import { startRootCaPublisher } from './rootCaPublisher';
import { startPersistentVolumeBinder } from './persistentVolumeBinder';
import { localPathProvisionerName, startLocalPathProvisioner, type VolumeFolders } from './localPathProvisioner';

/** ControllerName names one controller of the manager. */
export type ControllerName = 'replicaset' | 'deployment' | 'job' | 'daemonset' | 'statefulset' | 'garbagecollector' | 'namespace' | 'endpoints' | 'persistentvolume-binder' | 'local-path-provisioner';

/** allControllers lists every controller the manager can run, in start order. */
export const allControllers: readonly ControllerName[] = ['garbagecollector', 'namespace', 'replicaset', 'deployment', 'job', 'daemonset', 'statefulset', 'endpoints', 'persistentvolume-binder', 'local-path-provisioner'];

/** ControllerManagerOptions tune the controller manager; every timing has a Kubernetes-like default and tests shorten them. */
export interface ControllerManagerOptions {
  log?: Logger;
  now?: () => Date;
  /** Which controllers to run (default all). */
  controllers?: readonly ControllerName[];
  /** Informers to share (e.g. with the scheduler); the manager makes its own when absent and then also stops them. */
  informers?: SharedInformers;
  /** Per-key retry backoff of every work queue (default 5 ms doubling to 1000 s). */
  backoff?: { baseMs: number; maxMs: number };
  /** Keys each controller reconciles at once (default 2). */
  workers?: number;
  /** The cluster CA (PEM); with it the root CA publisher keeps kube-root-ca.crt in every namespace. */
  rootCaPem?: string;
  replicaSet?: ReplicaSetControllerOptions;
  job?: JobControllerOptions;
  daemonSet?: DaemonSetControllerOptions;
  /** How often an owner waiting for its dependents to go is looked at again (default 5 s). */
  garbageCollectorRecheckMs?: number;
  /** How often a terminating namespace with content left is looked at again (default 2 s). */
  namespaceRecheckMs?: number;
  /** The shared volume folder; without it the local-path provisioner does not run. */
  volumeFolders?: VolumeFolders;
}

/** ControllerManager is the running set of controllers. */
export interface ControllerManager {
  /** synced resolves once every controller's caches are filled and its workers run. */
  readonly synced: Promise<void>;
  /** stop stops every controller (after the keys in hand) and the informers the manager made. */
  stop(): Promise<void>;
}

/** startControllers starts the controller manager of one cluster over its REST layer. */
export function startControllers(rest: RestApi, options: ControllerManagerOptions = {}): ControllerManager {
  const log = options.log ?? createLogger('controller-manager');
  const now = options.now ?? (() => new Date());
  const ownInformers = !options.informers;
  const informers =
    options.informers ??
    new SharedInformers(restApiClient(rest, { caller: { user: engineUser, userAgent: 'kube-controller-manager' } }), { log: log.child('informers') });
  const wanted = new Set(options.controllers ?? allControllers);

  const contextFor = (component: string): ControllerContext => {
    const client = restApiClient(rest, { caller: { user: engineUser, userAgent: component } });
    const componentLog = log.child(component);
    return {
      client,
      informers,
      recorder: new EventRecorder(client, { component, now, log: componentLog.child('events') }),
      now,
      log: componentLog,
      backoff: options.backoff,
      workers: options.workers,
    };
  };

  const namespaceDef = rest.registry.lookup('', 'v1', 'namespaces');
  const finalizeCaller = { user: engineUser, userAgent: 'namespace-controller' };
  const finalize = async (ns: Namespace) => {
    if (!namespaceDef) return;
    const body = { ...structuredClone(ns), spec: { ...(ns.spec ?? {}), finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer) } };
    await rest.update(namespaceDef, undefined, ns.metadata.name ?? '', body, { fieldManager: 'namespace-controller' }, finalizeCaller, 'finalize');
  };

  const controllers: Controller[] = [];
  for (const name of allControllers) {
    if (!wanted.has(name)) continue;
    switch (name) {
      case 'garbagecollector':
        controllers.push(startGarbageCollector(contextFor('garbage-collector-controller'), { registry: rest.registry, recheckMs: options.garbageCollectorRecheckMs }));
        break;
      case 'namespace':
        if (namespaceDef) {
          controllers.push(startNamespaceController(contextFor('namespace-controller'), { registry: rest.registry, finalize, recheckMs: options.namespaceRecheckMs }));
        }
        break;
      case 'replicaset':
        controllers.push(startReplicaSetController(contextFor('replicaset-controller'), options.replicaSet));
        break;
      case 'deployment':
        controllers.push(startDeploymentController(contextFor('deployment-controller')));
        break;
      case 'job':
        controllers.push(startJobController(contextFor('job-controller'), options.job));
        break;
      case 'daemonset':
        controllers.push(startDaemonSetController(contextFor('daemonset-controller'), options.daemonSet));
        break;
      case 'statefulset':
        controllers.push(startStatefulSetController(contextFor('statefulset-controller')));
        break;
      case 'endpoints':
        controllers.push(startEndpointsController(contextFor('endpoint-controller')));
        break;
      case 'persistentvolume-binder':
        controllers.push(
          startPersistentVolumeBinder(contextFor('persistentvolume-controller'), {
            localProvisioners: options.volumeFolders ? [localPathProvisionerName] : [],
          }),
        );
        break;
      case 'local-path-provisioner':
        if (options.volumeFolders) {
          controllers.push(startLocalPathProvisioner(contextFor(localPathProvisionerName), { folders: options.volumeFolders }));
        }
        break;
    }
  }
  if (options.rootCaPem) controllers.push(startRootCaPublisher(contextFor('root-ca-cert-publisher'), options.rootCaPem));
  informers.start();
  const synced = Promise.all(controllers.map((c) => c.synced)).then(() => {
    log.info('controllers started', { controllers: [...wanted].filter((n) => (n !== 'namespace' || namespaceDef) && (n !== 'local-path-provisioner' || options.volumeFolders)) });
  });

  let stopping: Promise<void> | undefined;
  return {
    synced,
    stop() {
      stopping ??= (async () => {
        await Promise.all(controllers.map((c) => c.stop()));
        if (ownInformers) informers.stop();
      })();
      return stopping;
    },
  };
}
