// The endpoints controllers (Kubernetes' endpoint and endpointslice controllers in
// one): for every Service with a selector it keeps EndpointSlices (one per distinct
// set of resolved ports, at most 100 endpoints each) and the legacy core/v1 Endpoints
// object in line with the pods the selector matches. It is informer-driven: a pod
// turning unready reaches the slices as soon as its status change is seen. Desired
// objects are computed by pure functions, so the rules (readiness, terminating pods,
// publishNotReadyAddresses, named target ports, hostnames) are testable on their own.
import type { KubeObject, OwnerReference } from '../../shared/api/meta';
import { matchesSelector, selectorFromMatchLabels, type Selector } from '../../shared/labels';
import type { EndpointSlice } from '../apiserver/kinds/endpointSlice';
import type { Endpoints } from '../apiserver/kinds/endpoints';
import type { ObjectReference, Pod, Service, ServicePort } from '../apiserver/kinds/types';
import { newQueue, type ControllerContext } from './controllerContext';
import { isAlreadyExists, isNotFound, podsResource, servicesResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';
import { keyOf, splitKey } from './framework/keys';
import { canonicalJSON, computeHash } from './templateHash';

/** endpointSlicesResource is discovery.k8s.io/v1 endpointslices. */
export const endpointSlicesResource: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
};

/** endpointsResource is core/v1 endpoints. */
export const endpointsResource: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
};

/** serviceNameLabel ties an EndpointSlice to its service (kubectl describe and kube-proxy read it). */
export const serviceNameLabel = 'kubernetes.io/service-name';
/** managedByLabel names the controller that owns an EndpointSlice. */
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
/** endpointSliceManager is the managed-by value of the slices this controller writes (the one Kubernetes uses, which tools recognise). */
export const endpointSliceManager = 'endpointslice-controller.k8s.io';
/** endpointsManagedByLabel marks the core/v1 Endpoints this controller writes (the label Kubernetes 1.33 added). */
export const endpointsManagedByLabel = 'endpoints.kubernetes.io/managed-by';
/** endpointsManager is the value of endpointsManagedByLabel on Endpoints this controller writes. */
export const endpointsManager = 'endpoint-controller';
/** headlessLabel marks the endpoints of a headless service, as Kubernetes does. */
export const headlessLabel = 'service.kubernetes.io/headless';
/** maxEndpointsPerSlice is Kubernetes' default slice size. */
export const maxEndpointsPerSlice = 100;

/** SlicePort is one port of an EndpointSlice, in its defaulted form. */
export interface SlicePort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

/** SliceEndpoint is one endpoint of an EndpointSlice. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: ObjectReference;
}

/** DesiredEndpoints is what a service's endpoints should look like. */
export interface DesiredEndpoints {
  slices: EndpointSlice[];
  endpoints: Endpoints;
}

/** serviceSelector returns the service's selector, or null when it has none (its endpoints are managed by hand). */
export function serviceSelector(svc: Service): Selector | null {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return null;
  return selectorFromMatchLabels(selector);
}

/** managesEndpoints tells whether the controller keeps this service's endpoints (it has a selector and is not ExternalName). */
export function managesEndpoints(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && serviceSelector(svc) !== null;
}

/**
 * resolveTargetPort finds the pod port a service port sends traffic to: a number is
 * used as is; a name is looked up among the pod's container ports with the same protocol.
 */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (target === undefined) return undefined;
  if (typeof target === 'number') return target > 0 ? target : undefined;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol || 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol || 'TCP') === protocol && p.containerPort) return p.containerPort;
    }
  }
  return undefined;
}

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function podIsReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podIp(pod: Pod): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

/** podIsEndpoint tells whether a pod can serve at all: it has an address and has not finished. */
function podIsEndpoint(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!podIp(pod) && phase !== 'Succeeded' && phase !== 'Failed';
}

function serviceRef(svc: Service): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: svc.metadata.name ?? '',
    uid: svc.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function podRef(pod: Pod): ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

function endpointHostname(svc: Service, pod: Pod): string | undefined {
  const { hostname, subdomain } = pod.spec ?? {};
  return hostname && subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace
    ? hostname
    : undefined;
}

function byPodName(a: Pod, b: Pod): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
}

/** slicePortsFor resolves the service's ports for one pod; ports whose named target the pod lacks are left out, as in Kubernetes. */
function slicePortsFor(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const p of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, p);
    if (port === undefined) continue;
    const entry: SlicePort = { name: p.name ?? '', protocol: p.protocol || 'TCP', port };
    if (p.appProtocol) entry.appProtocol = p.appProtocol;
    out.push(entry);
  }
  return out;
}

function objectLabels(svc: Service, extra: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), ...extra };
  if (isHeadless(svc)) labels[headlessLabel] = '';
  return labels;
}

/**
 * desiredEndpoints computes the EndpointSlices and the Endpoints object a service
 * should have, given the pods its selector matches (in its namespace). Slices group
 * pods by their resolved ports and hold at most maxEndpointsPerSlice endpoints each;
 * a service without pods keeps one empty slice. Slice names are derived from the
 * service name and the port set, so the same state always gives the same objects.
 */
export function desiredEndpoints(svc: Service, pods: readonly Pod[]): DesiredEndpoints {
  const name = svc.metadata.name ?? '';
  const namespace = svc.metadata.namespace ?? 'default';
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const hasPorts = (svc.spec?.ports ?? []).length > 0;

  const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  const subsets = new Map<
    string,
    { ports: SlicePort[]; ready: Record<string, unknown>[]; notReady: Record<string, unknown>[] }
  >();
  for (const pod of [...pods].sort(byPodName)) {
    if (!podIsEndpoint(pod)) continue;
    const ports = slicePortsFor(svc, pod);
    if (hasPorts && ports.length === 0) continue;
    const key = canonicalJSON(ports);
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = podIsReady(pod);
    const ready = publishNotReady || (serving && !terminating);
    const hostname = endpointHostname(svc, pod);
    const ip = podIp(pod)!;

    const endpoint: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready, serving: publishNotReady || serving, terminating },
      targetRef: podRef(pod),
    };
    if (hostname) endpoint.hostname = hostname;
    if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpoint);

    // The legacy object leaves terminating pods out unless not-ready ones are published.
    if (terminating && !publishNotReady) continue;
    const address: Record<string, unknown> = { ip, targetRef: podRef(pod) };
    if (hostname) address.hostname = hostname;
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    let subset = subsets.get(key);
    if (!subset) subsets.set(key, (subset = { ports, ready: [], notReady: [] }));
    (ready ? subset.ready : subset.notReady).push(address);
  }

  const sliceLabels = objectLabels(svc, { [serviceNameLabel]: name, [managedByLabel]: endpointSliceManager });
  const slice = (suffixOf: unknown, ports: SlicePort[], endpoints: SliceEndpoint[]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${computeHash(suffixOf)}`,
      namespace,
      labels: sliceLabels,
      ownerReferences: [serviceRef(svc)],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  });

  const slices: EndpointSlice[] = [];
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = group.endpoints.sort((a, b) => compareIp(a.addresses[0], b.addresses[0]));
    for (let i = 0; i < sorted.length; i += maxEndpointsPerSlice) {
      slices.push(slice([key, i / maxEndpointsPerSlice], group.ports, sorted.slice(i, i + maxEndpointsPerSlice)));
    }
  }
  // An empty slice says "this service has no endpoints", rather than "not reconciled yet".
  if (slices.length === 0) slices.push(slice('empty', [], []));

  const byIp = (a: Record<string, unknown>, b: Record<string, unknown>) => compareIp(String(a.ip), String(b.ip));
  const endpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace, labels: objectLabels(svc, { [endpointsManagedByLabel]: endpointsManager }) },
    subsets: [...subsets]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, s]) => {
        const subset: Record<string, unknown> = {};
        if (s.ready.length) subset.addresses = s.ready.sort(byIp);
        if (s.notReady.length) subset.notReadyAddresses = s.notReady.sort(byIp);
        if (s.ports.length) {
          subset.ports = s.ports.map((p) => {
            const port: Record<string, unknown> = { port: p.port, protocol: p.protocol };
            if (p.name) port.name = p.name;
            if (p.appProtocol) port.appProtocol = p.appProtocol;
            return port;
          });
        }
        return subset;
      }),
  };
  if (endpoints.subsets!.length === 0) delete endpoints.subsets;
  return { slices, endpoints };
}

/** sameSlice tells whether a stored slice already says what the desired one says. */
function sameSlice(stored: EndpointSlice, wanted: EndpointSlice): boolean {
  const view = (s: EndpointSlice) =>
    canonicalJSON({
      labels: s.metadata.labels ?? {},
      owners: (s.metadata.ownerReferences ?? []).map((o) => o.uid),
      addressType: s.addressType,
      endpoints: s.endpoints ?? [],
      ports: s.ports ?? [],
    });
  return view(stored) === view(wanted);
}

function sameEndpoints(stored: Endpoints, wanted: Endpoints): boolean {
  const view = (e: Endpoints) => canonicalJSON({ labels: e.metadata.labels ?? {}, subsets: e.subsets ?? [] });
  return view(stored) === view(wanted);
}

/** podMatters tells whether a pod change can change any service's endpoints. */
function podMatters(oldPod: Pod, pod: Pod): boolean {
  const view = (p: Pod) =>
    canonicalJSON({
      labels: p.metadata.labels,
      deleting: !!p.metadata.deletionTimestamp,
      ip: podIp(p),
      phase: p.status?.phase,
      ready: podIsReady(p),
      node: p.spec?.nodeName,
      hostname: p.spec?.hostname,
      subdomain: p.spec?.subdomain,
      ports: (p.spec?.containers ?? []).map((c) => c.ports ?? []),
    });
  return view(oldPod) !== view(pod);
}

/** startEndpointsController runs the endpoints controller until stop(). */
export function startEndpointsController(ctx: ControllerContext): Controller {
  const { client, log } = ctx;
  const services = ctx.informers.informerFor<Service>(servicesResource);
  const pods = ctx.informers.informerFor<Pod>(podsResource);
  const slices = ctx.informers.informerFor<EndpointSlice>(endpointSlicesResource);
  const endpointsInformer = ctx.informers.informerFor<Endpoints>(endpointsResource);
  const queue = newQueue(ctx);

  const servicesSelecting = (pod: Pod): string[] => {
    const keys: string[] = [];
    for (const svc of services.list(undefined, pod.metadata.namespace)) {
      const selector = serviceSelector(svc);
      if (selector && svc.spec?.type !== 'ExternalName' && matchesSelector(selector, pod.metadata.labels))
        keys.push(keyOf(svc));
    }
    return keys;
  };

  const ownedSlices = (namespace: string, name: string) =>
    slices.list(`${serviceNameLabel}=${name},${managedByLabel}=${endpointSliceManager}`, namespace);

  const deleteQuietly = async (resource: ResourceType, namespace: string, name: string, uid?: string) => {
    try {
      await client.delete(resource, namespace, name, uid ? { preconditions: { uid } } : undefined);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const syncSlices = async (svc: Service, wanted: EndpointSlice[]) => {
    const namespace = svc.metadata.namespace ?? 'default';
    const existing = new Map(ownedSlices(namespace, svc.metadata.name ?? '').map((s) => [s.metadata.name ?? '', s]));
    // Create and update before deleting, so a port change never leaves a moment with no endpoints.
    for (const slice of wanted) {
      const stored = existing.get(slice.metadata.name ?? '');
      existing.delete(slice.metadata.name ?? '');
      if (!stored) {
        try {
          await client.create(endpointSlicesResource, namespace, slice);
        } catch (err) {
          // The cache lags behind a create of ours: the next pass updates it.
          if (isAlreadyExists(err))
            throw Object.assign(new Error('endpoint slice exists already; retrying'), { reason: 'Conflict' });
          throw err;
        }
      } else if (!sameSlice(stored, slice)) {
        await client.update(endpointSlicesResource, {
          ...slice,
          metadata: { ...slice.metadata, resourceVersion: stored.metadata.resourceVersion, uid: stored.metadata.uid },
        });
      }
    }
    for (const stale of existing.values())
      await deleteQuietly(endpointSlicesResource, namespace, stale.metadata.name ?? '', stale.metadata.uid);
  };

  const syncEndpoints = async (svc: Service, wanted: Endpoints) => {
    const namespace = svc.metadata.namespace ?? 'default';
    const stored = endpointsInformer.get(keyOf(svc));
    if (!stored) {
      try {
        await client.create(endpointsResource, namespace, wanted);
      } catch (err) {
        if (isAlreadyExists(err))
          throw Object.assign(new Error('endpoints exist already; retrying'), { reason: 'Conflict' });
        throw err;
      }
      return;
    }
    if (sameEndpoints(stored, wanted)) return;
    await client.update(endpointsResource, {
      ...stored,
      metadata: { ...stored.metadata, labels: wanted.metadata.labels },
      subsets: wanted.subsets,
    } as Endpoints);
  };

  const reconcile = async (key: string) => {
    const { namespace = 'default', name } = splitKey(key);
    const svc = services.get(key);
    if (!svc) {
      // Slices go with their owner through the garbage collector too; deleting them here makes it immediate.
      for (const slice of ownedSlices(namespace, name)) {
        await deleteQuietly(endpointSlicesResource, namespace, slice.metadata.name ?? '', slice.metadata.uid);
      }
      // Endpoints written by hand for a service that never existed are left alone.
      const stored = endpointsInformer.get(key);
      if (stored?.metadata.labels?.[endpointsManagedByLabel] === endpointsManager) {
        await deleteQuietly(endpointsResource, namespace, name, stored.metadata.uid);
      }
      return;
    }
    if (!managesEndpoints(svc)) {
      // Hand-managed endpoints stay; slices this controller wrote earlier are stale.
      for (const slice of ownedSlices(namespace, name)) {
        await deleteQuietly(endpointSlicesResource, namespace, slice.metadata.name ?? '', slice.metadata.uid);
      }
      return;
    }
    const selector = serviceSelector(svc)!;
    const matching = pods.list(selector, namespace);
    const wanted = desiredEndpoints(svc, matching);
    await syncSlices(svc, wanted.slices);
    await syncEndpoints(svc, wanted.endpoints);
  };

  const controller = runController({
    name: 'endpoints-controller',
    log,
    queue,
    recorder: ctx.recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [
      services,
      { informer: pods, keysOf: servicesSelecting, shouldEnqueueUpdate: podMatters },
      {
        informer: slices,
        keysOf: (slice: KubeObject) => {
          const labels = slice.metadata.labels ?? {};
          const service = labels[serviceNameLabel];
          if (!service || labels[managedByLabel] !== endpointSliceManager) return undefined;
          return `${slice.metadata.namespace}/${service}`;
        },
      },
      endpointsInformer,
    ],
  });
  return controller;
}
