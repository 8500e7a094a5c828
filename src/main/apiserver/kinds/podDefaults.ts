// Defaults of a pod spec, applied to pods and to the pod templates of workloads the
// way the API server's defaulting does (restart policy, DNS policy, grace period,
// image pull policy, probe timings, volume modes, ...).
import { compareQuantities, isQuantity } from '../../../shared/quantity';
import type { Container, PodSpec, Probe, Volume } from './types';

/** defaultVolumeMode is the file mode (0644) given to projected keys. */
export const defaultVolumeMode = 0o644;

/** imagePullPolicyFor returns the default pull policy for an image reference. */
export function imagePullPolicyFor(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  // A digest pins the image; otherwise the tag is what follows the last ':' after the last '/'.
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tail = image.slice(lastSlash + 1);
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return tail.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

function defaultHandlerHttp(handler: { httpGet?: Probe['httpGet'] } | undefined): void {
  if (handler?.httpGet) {
    handler.httpGet.path ??= '/';
    handler.httpGet.scheme ??= 'HTTP';
  }
}

/** defaultContainer fills a container's defaults in place. */
export function defaultContainer(c: Container, hostNetwork: boolean): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= imagePullPolicyFor(c.image);
  for (const p of c.ports ?? []) {
    p.protocol ??= 'TCP';
    if (hostNetwork && p.hostPort === undefined && p.containerPort !== undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandlerHttp(c.lifecycle?.postStart);
  defaultHandlerHttp(c.lifecycle?.preStop);
  // Limits without requests mean the limits are also what is requested.
  const limits = c.resources?.limits;
  if (c.resources && limits && Object.keys(limits).length > 0) {
    const requests = (c.resources.requests ??= {});
    for (const [name, q] of Object.entries(limits)) {
      // An unreadable limit is reported once, on limits; copying it would report it twice.
      if (requests[name] === undefined && isQuantity(q)) requests[name] = q;
    }
  }
}

/** defaultVolume fills a volume's defaults; a volume without a source becomes an emptyDir. */
export function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
  if (sources.length === 0) v.emptyDir = {};
  if (v.secret) v.secret.defaultMode ??= defaultVolumeMode;
  if (v.configMap) v.configMap.defaultMode ??= defaultVolumeMode;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= defaultVolumeMode;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= defaultVolumeMode;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.ephemeral?.volumeClaimTemplate?.spec) v.ephemeral.volumeClaimTemplate.spec.volumeMode ??= 'Filesystem';
}

/** defaultPodSpec fills a pod spec's defaults in place (shared by pods and pod templates). */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  // The deprecated serviceAccount field mirrors serviceAccountName both ways.
  if (spec.serviceAccountName === undefined && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c, hostNetwork);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/**
 * desktopTolerationSeconds is how long pods stay on a not-ready or unreachable node
 * by default. Kubernetes uses 300 s; on a desktop a dead node is rarely coming back
 * soon, so Wheelhouse replaces its pods after 30 s (configurable per cluster).
 */
export const desktopTolerationSeconds = 30;

/** defaultNodeTolerations are the NoExecute tolerations every pod gets, so it survives short node outages. */
export function defaultNodeTolerations(seconds = desktopTolerationSeconds) {
  return [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
  ];
}

/**
 * admitPodSpec applies what admission adds to a new pod in a real cluster: the
 * default service account, priority 0 and the not-ready/unreachable tolerations.
 */
export function admitPodSpec(spec: PodSpec, tolerationSeconds = desktopTolerationSeconds): void {
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations = (spec.tolerations ??= []);
  for (const t of defaultNodeTolerations(tolerationSeconds)) {
    const present = tolerations.some(
      (x) =>
        (x.key === t.key || (x.key === undefined && x.operator === 'Exists')) && (!x.effect || x.effect === t.effect),
    );
    if (!present) tolerations.push({ ...t });
  }
}

/** qosClassOf computes a pod's quality of service class from its containers' resources. */
export function qosClassOf(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const name of ['cpu', 'memory']) {
      if (requests[name] !== undefined || limits[name] !== undefined) anySet = true;
      if (limits[name] === undefined) guaranteed = false;
      else if (requests[name] !== undefined && !sameQuantity(requests[name], limits[name])) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function sameQuantity(a: string | number, b: string | number): boolean {
  try {
    return compareQuantities(a, b) === 0;
  } catch {
    return String(a) === String(b);
  }
}
