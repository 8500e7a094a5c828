// Validation of a pod spec, shared by pods and the pod templates of workloads:
// containers (names, images, ports, env, resources, mounts, probes), volumes,
// tolerations, affinity and DNS settings, plus the rules for updating a pod.
import type { FieldError } from '../registry/types';
import {
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateLabelValue,
  validateQualifiedName,
} from '../../../shared/labels';
import { compareQuantities, isQuantity } from '../../../shared/quantity';
import { Path, duplicate, forbidden, invalid, invalidEach, notFound, notSupported, required } from './fieldErrors';
import type {
  Container,
  EnvVar,
  KeyToPath,
  LifecycleHandler,
  PodAffinityTerm,
  PodSpec,
  Probe,
  Toleration,
  Volume,
} from './types';
import {
  clone,
  configKeyProblems,
  envVarNameProblems,
  isIP,
  nonNegative,
  oneOf,
  portNameProblems,
  portRangeMessage,
  positive,
  semanticEqual,
  validateLabelSelector,
  validateLabels,
  validatePortNameOrNumber,
  validatePortNumber,
  validateQuantity,
  validateResourceList,
} from './validation';
import { podVolumeSources } from './volumeSchemas';

/** restartPolicies are the pod restart policies. */
export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const volumeFieldPaths = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];
const resourceFieldNames = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const hostPathTypes = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];
const nodeSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** PodSpecOptions tunes pod spec validation for templates. */
export interface PodSpecOptions {
  /** Restart policies the owner allows (Deployments: Always only; Jobs: OnFailure or Never). */
  restartPolicies?: string[];
  /** Names mounts may refer to besides spec.volumes (StatefulSet volumeClaimTemplates). */
  extraVolumes?: string[];
}

function fieldPathProblem(fieldPath: string | undefined, allowed: string[], path: Path): FieldError[] {
  if (!fieldPath) return [required(path.child('fieldPath'))];
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) {
    const problems = m[1] === 'labels' ? validateQualifiedName(m[2]) : validateQualifiedName(m[2].toLowerCase());
    return invalidEach(path.child('fieldPath'), fieldPath, problems);
  }
  if (!allowed.includes(fieldPath)) return [notSupported(path.child('fieldPath'), fieldPath, allowed)];
  return [];
}

function validateEnv(env: EnvVar[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const p = path.index(i);
    if (!e.name) errs.push(required(p.child('name')));
    else errs.push(...invalidEach(p.child('name'), e.name, envVarNameProblems(e.name)));
    const from = e.valueFrom;
    if (!from) return;
    const vp = p.child('valueFrom');
    const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'] as const).filter(
      (k) => from[k] !== undefined && from[k] !== null,
    );
    if (e.value) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    if (sources.length === 0) {
      errs.push(
        invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
      );
    } else if (sources.length > 1) {
      errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
    }
    if (from.fieldRef) {
      const fp = vp.child('fieldRef');
      if (from.fieldRef.apiVersion && from.fieldRef.apiVersion !== 'v1') {
        errs.push(notSupported(fp.child('apiVersion'), from.fieldRef.apiVersion, ['v1']));
      }
      errs.push(...fieldPathProblem(from.fieldRef.fieldPath, envFieldPaths, fp));
    }
    if (from.resourceFieldRef) {
      const rp = vp.child('resourceFieldRef');
      const r = from.resourceFieldRef.resource;
      if (!r) errs.push(required(rp.child('resource')));
      else if (!resourceFieldNames.includes(r) && !/^(limits|requests)\.hugepages-/.test(r)) {
        errs.push(notSupported(rp.child('resource'), r, resourceFieldNames));
      }
      if (from.resourceFieldRef.divisor !== undefined)
        errs.push(...validateQuantity(from.resourceFieldRef.divisor, rp.child('divisor')));
    }
    for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const ref = from[kind];
      if (!ref) continue;
      const rp = vp.child(kind);
      if (!ref.name) errs.push(required(rp.child('name')));
      if (!ref.key) errs.push(required(rp.child('key')));
      else errs.push(...invalidEach(rp.child('key'), ref.key, configKeyProblems(ref.key)));
    }
  });
  return errs;
}

function validateEnvFrom(envFrom: Container['envFrom'], path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((src, i) => {
    const p = path.index(i);
    if (src.prefix) errs.push(...invalidEach(p.child('prefix'), src.prefix, envVarNameProblems(src.prefix)));
    const set = [src.configMapRef, src.secretRef].filter((x) => x !== undefined && x !== null).length;
    if (set === 0) errs.push(invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (set > 1) errs.push(invalid(p, '', 'may not have more than one field specified at a time'));
    if (src.configMapRef && !src.configMapRef.name) errs.push(required(p.child('configMapRef', 'name')));
    if (src.secretRef && !src.secretRef.name) errs.push(required(p.child('secretRef', 'name')));
  });
  return errs;
}

function validateResources(res: Container['resources'], path: Path): FieldError[] {
  if (!res) return [];
  const errs = [
    ...validateResourceList(res.limits, path.child('limits')),
    ...validateResourceList(res.requests, path.child('requests')),
  ];
  for (const [name, req] of Object.entries(res.requests ?? {})) {
    const limit = res.limits?.[name];
    if (limit === undefined || !isQuantity(limit) || !isQuantity(req)) continue;
    if (compareQuantities(req, limit) > 0) {
      errs.push(
        invalid(
          path.child('requests').key(name),
          String(req),
          `must be less than or equal to ${name} limit of ${String(limit)}`,
        ),
      );
    }
  }
  return errs;
}

function handlerCount(h: Probe | LifecycleHandler): number {
  const keys: string[] = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];
  return keys.filter(
    (k) => (h as Record<string, unknown>)[k] !== undefined && (h as Record<string, unknown>)[k] !== null,
  ).length;
}

function validateHandler(h: Probe | LifecycleHandler, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const n = handlerCount(h);
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  if (n > 1) errs.push(forbidden(path, 'may not specify more than 1 handler type'));
  if (h.exec && (h.exec.command ?? []).length === 0) errs.push(required(path.child('exec', 'command')));
  if (h.httpGet) {
    errs.push(...validatePortNameOrNumber(h.httpGet.port, path.child('httpGet', 'port')));
    errs.push(...oneOf(h.httpGet.scheme, ['HTTP', 'HTTPS'], path.child('httpGet', 'scheme')));
  }
  if (h.tcpSocket) errs.push(...validatePortNameOrNumber(h.tcpSocket.port, path.child('tcpSocket', 'port')));
  const grpc = (h as Probe).grpc;
  if (grpc) errs.push(...validatePortNumber(grpc.port, path.child('grpc', 'port')));
  const sleep = (h as LifecycleHandler).sleep;
  if (sleep) {
    if (sleep.seconds === undefined || sleep.seconds === null) errs.push(required(path.child('sleep', 'seconds')));
    else errs.push(...nonNegative(sleep.seconds, path.child('sleep', 'seconds')));
  }
  return errs;
}

function validateProbe(probe: Probe | undefined, path: Path, mustSucceedOnce: boolean): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, path);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    errs.push(...nonNegative(probe[f], path.child(f)));
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(invalid(path.child('successThreshold'), probe.successThreshold, 'must be 1'));
  }
  if (probe.terminationGracePeriodSeconds !== undefined)
    errs.push(...positive(probe.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  return errs;
}

type ContainerRole = 'container' | 'init' | 'ephemeral';

function validateContainer(c: Container, path: Path, volumes: Map<string, Volume>, role: ContainerRole): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), c.name, validateDNS1123Label(c.name)));
  if (!c.image) errs.push(required(path.child('image')));
  else if (c.image.trim() !== c.image)
    errs.push(invalid(path.child('image'), c.image, 'must not have leading or trailing whitespace'));
  errs.push(...oneOf(c.imagePullPolicy, pullPolicies, path.child('imagePullPolicy')));
  errs.push(...oneOf(c.terminationMessagePolicy, terminationMessagePolicies, path.child('terminationMessagePolicy')));
  const sidecar = role === 'init' && c.restartPolicy === 'Always';
  if (c.restartPolicy !== undefined) {
    if (role === 'init') errs.push(...oneOf(c.restartPolicy, ['Always'], path.child('restartPolicy')));
    else errs.push(forbidden(path.child('restartPolicy'), 'may not be set for non-init containers'));
  }

  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = path.child('ports').index(i);
    if (role === 'ephemeral') errs.push(forbidden(p, 'cannot be set on an Ephemeral Container'));
    if (port.containerPort === undefined) errs.push(required(p.child('containerPort')));
    else errs.push(...validatePortNumber(port.containerPort, p.child('containerPort')));
    if (port.hostPort !== undefined && port.hostPort !== 0) {
      if (typeof port.hostPort !== 'number' || port.hostPort < 1 || port.hostPort > 65535) {
        errs.push(invalid(p.child('hostPort'), port.hostPort, portRangeMessage));
      }
    }
    errs.push(...oneOf(port.protocol, protocols, p.child('protocol')));
    if (port.name) {
      errs.push(...invalidEach(p.child('name'), port.name, portNameProblems(port.name)));
      if (portNames.has(port.name)) errs.push(duplicate(p.child('name'), port.name));
      portNames.add(port.name);
    }
    if (port.hostIP && !isIP(port.hostIP))
      errs.push(invalid(p.child('hostIP'), port.hostIP, 'must be a valid IP address'));
  });

  errs.push(...validateEnv(c.env, path.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom')));
  errs.push(...validateResources(c.resources, path.child('resources')));

  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = path.child('volumeMounts').index(i);
    if (!m.name) errs.push(required(p.child('name')));
    else if (!volumes.has(m.name)) errs.push(notFound(p.child('name'), m.name));
    if (!m.mountPath) errs.push(required(p.child('mountPath')));
    else {
      if (mountPaths.has(m.mountPath)) errs.push(invalid(p.child('mountPath'), m.mountPath, 'must be unique'));
      mountPaths.add(m.mountPath);
    }
    if (m.subPath) errs.push(...relativePathProblems(m.subPath, p.child('subPath')));
    if (m.subPath && m.subPathExpr)
      errs.push(invalid(p.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    errs.push(...oneOf(m.mountPropagation, ['None', 'HostToContainer', 'Bidirectional'], p.child('mountPropagation')));
  });
  (c.volumeDevices ?? []).forEach((d, i) => {
    const p = path.child('volumeDevices').index(i);
    if (!d.name) errs.push(required(p.child('name')));
    else if (!volumes.has(d.name)) errs.push(notFound(p.child('name'), d.name));
    if (!d.devicePath) errs.push(required(p.child('devicePath')));
  });

  const probesAllowed = role === 'container' || sidecar;
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (!c[probe]) continue;
    if (!probesAllowed) {
      const why =
        role === 'init'
          ? 'may not be set for init containers without restartPolicy=Always'
          : 'cannot be set for an Ephemeral Container';
      errs.push(forbidden(path.child(probe), why));
      continue;
    }
    errs.push(...validateProbe(c[probe], path.child(probe), probe !== 'readinessProbe'));
  }
  if (c.lifecycle) {
    if (role === 'ephemeral') errs.push(forbidden(path.child('lifecycle'), 'cannot be set for an Ephemeral Container'));
    if (role === 'init' && !sidecar)
      errs.push(forbidden(path.child('lifecycle'), 'may not be set for init containers without restartPolicy=Always'));
    if (c.lifecycle.postStart)
      errs.push(...validateHandler(c.lifecycle.postStart, path.child('lifecycle', 'postStart')));
    if (c.lifecycle.preStop) errs.push(...validateHandler(c.lifecycle.preStop, path.child('lifecycle', 'preStop')));
  }
  return errs;
}

function relativePathProblems(value: string, path: Path): FieldError[] {
  if (value.startsWith('/')) return [invalid(path, value, 'must be a relative path')];
  if (value.split('/').includes('..')) return [invalid(path, value, "must not contain '..'")];
  return [];
}

function validateMode(mode: number | undefined, path: Path): FieldError[] {
  if (mode === undefined) return [];
  if (typeof mode !== 'number' || mode < 0 || mode > 0o777) {
    return [invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
  }
  return [];
}

function validateItems(items: KeyToPath[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = path.index(i);
    if (!item.key) errs.push(required(p.child('key')));
    if (!item.path) errs.push(required(p.child('path')));
    else errs.push(...relativePathProblems(item.path, p.child('path')));
    errs.push(...validateMode(item.mode, p.child('mode')));
  });
  return errs;
}

function validateDownwardItems(
  items: { path?: string; fieldRef?: { fieldPath?: string } }[] | undefined,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = path.index(i);
    if (!item.path) errs.push(required(p.child('path')));
    else errs.push(...relativePathProblems(item.path, p.child('path')));
    if (item.fieldRef) errs.push(...fieldPathProblem(item.fieldRef.fieldPath, volumeFieldPaths, p.child('fieldRef')));
  });
  return errs;
}

function validateVolume(v: Volume, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.name) errs.push(required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), v.name, validateDNS1123Label(v.name)));
  const sources = podVolumeSources.filter((s) => v[s] !== undefined && v[s] !== null);
  if (sources.length === 0) errs.push(required(path, 'must specify a volume type'));
  if (sources.length > 1) errs.push(forbidden(path.child(sources[1]), 'may not specify more than 1 volume type'));
  if (v.hostPath) {
    if (!v.hostPath.path) errs.push(required(path.child('hostPath', 'path')));
    errs.push(...oneOf(v.hostPath.type, hostPathTypes.slice(1), path.child('hostPath', 'type')));
  }
  if (v.emptyDir) {
    const medium = v.emptyDir.medium;
    if (medium && medium !== 'Memory' && !/^HugePages(-.+)?$/.test(medium)) {
      errs.push(notSupported(path.child('emptyDir', 'medium'), medium, ['', 'Memory', 'HugePages']));
    }
    if (v.emptyDir.sizeLimit !== undefined)
      errs.push(...validateQuantity(v.emptyDir.sizeLimit, path.child('emptyDir', 'sizeLimit')));
  }
  if (v.secret) {
    if (!v.secret.secretName) errs.push(required(path.child('secret', 'secretName')));
    errs.push(...validateItems(v.secret.items, path.child('secret', 'items')));
    errs.push(...validateMode(v.secret.defaultMode, path.child('secret', 'defaultMode')));
  }
  if (v.configMap) {
    if (!v.configMap.name) errs.push(required(path.child('configMap', 'name')));
    errs.push(...validateItems(v.configMap.items, path.child('configMap', 'items')));
    errs.push(...validateMode(v.configMap.defaultMode, path.child('configMap', 'defaultMode')));
  }
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
    errs.push(required(path.child('persistentVolumeClaim', 'claimName')));
  }
  if (v.nfs) {
    if (!v.nfs.server) errs.push(required(path.child('nfs', 'server')));
    if (!v.nfs.path) errs.push(required(path.child('nfs', 'path')));
  }
  if (v.downwardAPI) {
    errs.push(...validateDownwardItems(v.downwardAPI.items, path.child('downwardAPI', 'items')));
    errs.push(...validateMode(v.downwardAPI.defaultMode, path.child('downwardAPI', 'defaultMode')));
  }
  if (v.projected) {
    errs.push(...validateMode(v.projected.defaultMode, path.child('projected', 'defaultMode')));
    (v.projected.sources ?? []).forEach((s, i) => {
      const p = path.child('projected', 'sources').index(i);
      const kinds = Object.keys(s).filter(
        (k) => (s as Record<string, unknown>)[k] !== undefined && (s as Record<string, unknown>)[k] !== null,
      );
      if (kinds.length > 1)
        errs.push(forbidden(p.child(kinds[1]), 'may not specify more than 1 volume type per source'));
      if (s.secret) errs.push(...validateItems(s.secret.items, p.child('secret', 'items')));
      if (s.configMap) errs.push(...validateItems(s.configMap.items, p.child('configMap', 'items')));
      if (s.downwardAPI) errs.push(...validateDownwardItems(s.downwardAPI.items, p.child('downwardAPI', 'items')));
      if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        if (!t.path) errs.push(required(p.child('serviceAccountToken', 'path')));
        if (t.expirationSeconds !== undefined && t.expirationSeconds < 600) {
          errs.push(
            invalid(
              p.child('serviceAccountToken', 'expirationSeconds'),
              t.expirationSeconds,
              'may not specify a duration less than 10 minutes',
            ),
          );
        }
      }
    });
  }
  if (v.csi && !v.csi.driver) errs.push(required(path.child('csi', 'driver')));
  if (v.image && !v.image.reference) errs.push(required(path.child('image', 'reference')));
  return errs;
}

function validateTolerations(tolerations: Toleration[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = path.index(i);
    if (t.key) errs.push(...invalidEach(p.child('key'), t.key, validateQualifiedName(t.key)));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(
        invalid(
          p.child('operator'),
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(
        invalid(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    }
    if (t.operator === 'Exists' && t.value)
      errs.push(invalid(p.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    else if (t.operator === undefined || t.operator === '' || t.operator === 'Equal') {
      errs.push(...invalidEach(p.child('value'), t.value ?? '', validateLabelValue(t.value ?? '')));
    } else if (t.operator !== 'Exists') {
      errs.push(notSupported(p.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    errs.push(...oneOf(t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], p.child('effect')));
  });
  return errs;
}

function validateNodeSelectorTerm(
  term:
    | {
        matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
        matchFields?: { key?: string; operator?: string; values?: string[] }[];
      }
    | undefined,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [field, list] of [
    ['matchExpressions', term?.matchExpressions],
    ['matchFields', term?.matchFields],
  ] as const) {
    (list ?? []).forEach((r, i) => {
      const p = path.child(field).index(i);
      const values = r.values ?? [];
      switch (r.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0)
            errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0)
            errs.push(
              forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
            );
          break;
        case 'Gt':
        case 'Lt':
          if (values.length !== 1 || !/^-?\d+$/.test(values[0])) {
            errs.push(required(p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
          }
          break;
        default:
          errs.push(notSupported(p.child('operator'), r.operator ?? '', nodeSelectorOperators));
      }
      if (field === 'matchFields') {
        if (r.key !== 'metadata.name') errs.push(notSupported(p.child('key'), r.key ?? '', ['metadata.name']));
      } else {
        errs.push(...invalidEach(p.child('key'), r.key ?? '', validateQualifiedName(r.key ?? '')));
      }
    });
  }
  return errs;
}

function validateAffinityTerm(term: PodAffinityTerm | undefined, path: Path): FieldError[] {
  if (!term) return [];
  const errs: FieldError[] = [];
  if (!term.topologyKey) errs.push(required(path.child('topologyKey'), 'can not be empty'));
  else errs.push(...invalidEach(path.child('topologyKey'), term.topologyKey, validateQualifiedName(term.topologyKey)));
  errs.push(...validateLabelSelector(term.labelSelector, path.child('labelSelector')));
  errs.push(...validateLabelSelector(term.namespaceSelector, path.child('namespaceSelector')));
  return errs;
}

function validateWeight(weight: number | undefined, path: Path): FieldError[] {
  if (typeof weight !== 'number' || weight < 1 || weight > 100)
    return [invalid(path, weight ?? 0, 'must be in the range 1-100')];
  return [];
}

function validateAffinity(affinity: PodSpec['affinity'], path: Path): FieldError[] {
  if (!affinity) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    const p = path.child('nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
    const terms = na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? [];
    if (terms.length === 0)
      errs.push(required(p.child('nodeSelectorTerms'), 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, p.child('nodeSelectorTerms').index(i))));
  }
  (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const p = path.child('nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution').index(i);
    errs.push(...validateWeight(t.weight, p.child('weight')));
    errs.push(...validateNodeSelectorTerm(t.preference, p.child('preference')));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = affinity[kind];
    if (!a) continue;
    (a.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errs.push(
        ...validateAffinityTerm(t, path.child(kind, 'requiredDuringSchedulingIgnoredDuringExecution').index(i)),
      );
    });
    (a.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = path.child(kind, 'preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...validateWeight(t.weight, p.child('weight')));
      errs.push(...validateAffinityTerm(t.podAffinityTerm, p.child('podAffinityTerm')));
    });
  }
  return errs;
}

function validateDNS(spec: PodSpec, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.dnsPolicy === undefined || spec.dnsPolicy === '') errs.push(required(path.child('dnsPolicy')));
  else errs.push(...oneOf(spec.dnsPolicy, dnsPolicies, path.child('dnsPolicy')));
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && (!cfg || (cfg.nameservers ?? []).length === 0)) {
    errs.push(required(path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (cfg) {
    const ns = cfg.nameservers ?? [];
    if (ns.length > 3)
      errs.push(invalid(path.child('dnsConfig', 'nameservers'), ns, 'must not have more than 3 nameservers'));
    ns.forEach((n, i) => {
      if (!isIP(n)) errs.push(invalid(path.child('dnsConfig', 'nameservers').index(i), n, 'must be valid IP address'));
    });
    const searches = cfg.searches ?? [];
    if (searches.length > 32)
      errs.push(invalid(path.child('dnsConfig', 'searches'), searches, 'must not have more than 32 search paths'));
    searches.forEach((s, i) => {
      const name = s.endsWith('.') ? s.slice(0, -1) : s;
      errs.push(...invalidEach(path.child('dnsConfig', 'searches').index(i), s, validateDNS1123Subdomain(name)));
    });
    (cfg.options ?? []).forEach((o, i) => {
      if (!o.name) errs.push(required(path.child('dnsConfig', 'options').index(i).child('name'), 'must not be empty'));
    });
  }
  return errs;
}

/** validatePodSpec checks a pod spec (of a pod or of a template) and returns every problem found. */
export function validatePodSpec(spec: PodSpec | undefined, path: Path, opts: PodSpecOptions = {}): FieldError[] {
  if (!spec) return [required(path)];
  const errs: FieldError[] = [];
  const volumes = new Map<string, Volume>();
  for (const name of opts.extraVolumes ?? []) volumes.set(name, { name });
  (spec.volumes ?? []).forEach((v, i) => {
    const p = path.child('volumes').index(i);
    errs.push(...validateVolume(v, p));
    if (v.name) {
      if (volumes.has(v.name)) errs.push(duplicate(p.child('name'), v.name));
      volumes.set(v.name, v);
    }
  });

  const containers = spec.containers ?? [];
  if (containers.length === 0) errs.push(required(path.child('containers')));
  const names = new Set<string>();
  const checkName = (c: Container, p: Path) => {
    if (!c.name) return;
    if (names.has(c.name)) errs.push(duplicate(p.child('name'), c.name));
    names.add(c.name);
  };
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = path.child('initContainers').index(i);
    errs.push(...validateContainer(c, p, volumes, 'init'));
    checkName(c, p);
  });
  containers.forEach((c, i) => {
    const p = path.child('containers').index(i);
    errs.push(...validateContainer(c, p, volumes, 'container'));
    checkName(c, p);
  });
  (spec.ephemeralContainers ?? []).forEach((c, i) => {
    const p = path.child('ephemeralContainers').index(i);
    errs.push(...validateContainer(c, p, volumes, 'ephemeral'));
    checkName(c, p);
  });

  const allowedRestart = opts.restartPolicies ?? restartPolicies;
  if (spec.restartPolicy === undefined || spec.restartPolicy === '') {
    errs.push(
      required(
        path.child('restartPolicy'),
        opts.restartPolicies ? `valid values: ${allowedRestart.map((r) => JSON.stringify(r)).join(', ')}` : undefined,
      ),
    );
  } else {
    errs.push(...oneOf(spec.restartPolicy, allowedRestart, path.child('restartPolicy')));
  }
  errs.push(...validateDNS(spec, path));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  if (spec.serviceAccountName) {
    errs.push(
      ...invalidEach(
        path.child('serviceAccountName'),
        spec.serviceAccountName,
        validateDNS1123Subdomain(spec.serviceAccountName),
      ),
    );
  }
  if (spec.nodeName)
    errs.push(...invalidEach(path.child('nodeName'), spec.nodeName, validateDNS1123Subdomain(spec.nodeName)));
  if (spec.hostname)
    errs.push(...invalidEach(path.child('hostname'), spec.hostname, validateDNS1123Label(spec.hostname)));
  if (spec.subdomain)
    errs.push(...invalidEach(path.child('subdomain'), spec.subdomain, validateDNS1123Label(spec.subdomain)));
  errs.push(...nonNegative(spec.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > 2147483647) {
      errs.push(invalid(path.child('activeDeadlineSeconds'), v, 'must be between 1 and 2147483647, inclusive'));
    }
  }
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) errs.push(required(path.child('imagePullSecrets').index(i).child('name')));
  });
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  errs.push(...validateAffinity(spec.affinity, path.child('affinity')));
  (spec.readinessGates ?? []).forEach((g, i) => {
    const p = path.child('readinessGates').index(i).child('conditionType');
    errs.push(...invalidEach(p, g.conditionType ?? '', validateQualifiedName(g.conditionType ?? '')));
  });
  (spec.hostAliases ?? []).forEach((h, i) => {
    if (!h.ip || !isIP(h.ip))
      errs.push(invalid(path.child('hostAliases').index(i).child('ip'), h.ip ?? '', 'must be valid IP address'));
  });
  (spec.topologySpreadConstraints ?? []).forEach((c, i) => {
    const p = path.child('topologySpreadConstraints').index(i);
    if (typeof c.maxSkew !== 'number' || c.maxSkew <= 0)
      errs.push(invalid(p.child('maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(required(p.child('topologyKey'), 'can not be empty'));
    errs.push(...oneOf(c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'], p.child('whenUnsatisfiable'), true));
    errs.push(...validateLabelSelector(c.labelSelector, p.child('labelSelector')));
  });
  if (spec.os?.name !== undefined) errs.push(...oneOf(spec.os.name, ['linux', 'windows'], path.child('os', 'name')));
  const sc = spec.securityContext as Record<string, unknown> | undefined;
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    if (sc && sc[f] !== undefined) errs.push(...nonNegative(sc[f], path.child('securityContext', f)));
  }
  return errs;
}

const podUpdateMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** validatePodSpecUpdate enforces that a pod's spec is immutable apart from the few fields Kubernetes allows. */
export function validatePodSpecUpdate(spec: PodSpec | undefined, old: PodSpec | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const next = clone(spec ?? {});
  const prev = old ?? {};

  const oldDeadline = prev.activeDeadlineSeconds;
  const newDeadline = next.activeDeadlineSeconds;
  if (oldDeadline !== undefined && oldDeadline !== null) {
    if (newDeadline === undefined || newDeadline === null) {
      errs.push(
        invalid(path.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'),
      );
    } else if (newDeadline > oldDeadline) {
      errs.push(
        invalid(path.child('activeDeadlineSeconds'), newDeadline, 'must be less than or equal to previous value'),
      );
    }
  }

  const oldTolerations = prev.tolerations ?? [];
  const newTolerations = next.tolerations ?? [];
  const sameToleration = (a: Toleration, b: Toleration) =>
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator || 'Equal') === (b.operator || 'Equal') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '');
  for (const t of oldTolerations) {
    if (!newTolerations.some((n) => sameToleration(n, t))) {
      errs.push(
        forbidden(path.child('tolerations'), 'existing toleration can not be modified except its tolerationSeconds'),
      );
      break;
    }
  }

  // Replace the fields that may change with their old values; anything left differing is forbidden.
  for (const list of ['containers', 'initContainers'] as const) {
    const before = prev[list] ?? [];
    (next[list] ?? []).forEach((c, i) => {
      if (before[i]) c.image = before[i].image;
    });
  }
  next.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  next.tolerations = prev.tolerations;
  if (next.terminationGracePeriodSeconds === 1 && (prev.terminationGracePeriodSeconds ?? 0) < 0) {
    next.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  const oldGates = prev.schedulingGates ?? [];
  if ((next.schedulingGates ?? []).every((g) => oldGates.some((o) => o.name === g.name)))
    next.schedulingGates = prev.schedulingGates;
  if (!semanticEqual(next, prev)) errs.push(forbidden(path, podUpdateMessage));
  return errs;
}
