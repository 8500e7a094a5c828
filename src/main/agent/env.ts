// Container environment the Kubernetes way: env entries in order (value, fieldRef,
// resourceFieldRef, configMapKeyRef, secretKeyRef), envFrom with prefixes, and
// $(VAR) expansion in values, command and args. Pure: the caller fetches the
// ConfigMaps and Secrets the container refers to.
import { parseQuantity } from '../../shared/quantity';
import type { Container, Pod, Service } from '../apiserver/kinds/types';

/** ConfigSource is the data of a ConfigMap or a (decoded) Secret. */
export type ConfigSource = Record<string, string>;

/** EnvContext is what env values can refer to besides the pod itself. */
export interface EnvContext {
  podIP?: string;
  hostIP?: string;
  /** ConfigMaps by name; undefined when the ConfigMap does not exist. */
  configMaps?: Map<string, ConfigSource | undefined>;
  /** Secrets by name (values decoded); undefined when the Secret does not exist. */
  secrets?: Map<string, ConfigSource | undefined>;
  /** Node allocatable cpu (cores) and memory (bytes), for resourceFieldRef without limits. */
  nodeAllocatable?: { cpu: number; memory: number };
  /** Variables defined before the container's own (service links); env entries may refer to them. */
  base?: [string, string][];
}

/** EnvResult is the resolved environment, or why it cannot be built (CreateContainerConfigError). */
export type EnvResult = { ok: true; env: [string, string][] } | { ok: false; message: string };

/**
 * expandVars expands $(NAME) references with lookup, leaving unknown references as
 * written; $$ is a literal $ ($$(X) stays $(X)), and any other $ is kept.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // An unterminated reference is kept as written.
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value === undefined ? `$(${name})` : value;
      i = close + 1;
      continue;
    }
    out += '$' + next;
    i += 2;
  }
  return out;
}

const envNamePattern = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** isValidEnvName tells whether a key may become an environment variable (as Kubernetes checks envFrom keys). */
export function isValidEnvName(name: string): boolean {
  return envNamePattern.test(name);
}

function selectorValue(map: Record<string, string> | undefined, key: string): string {
  return map?.[key] ?? '';
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}="${(map ?? {})[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join('\n');
}

/** podFieldValue reads a downward API field of a pod (fieldRef.fieldPath); undefined when unsupported. */
export function podFieldValue(pod: Pod, fieldPath: string, ctx: Pick<EnvContext, 'podIP' | 'hostIP'>): string | undefined {
  const selector = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (selector) {
    const map = selector[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return selectorValue(map, selector[2]);
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP ?? '';
    default:
      return undefined;
  }
}

/** resourceFieldValue reads limits.cpu, requests.memory, ... of a container, in units of the divisor (rounded up). */
export function resourceFieldValue(
  container: Container,
  resource: string,
  divisor: string | number | undefined,
  allocatable: EnvContext['nodeAllocatable'],
): string | undefined {
  const [kind, name] = resource.split('.');
  if ((kind !== 'limits' && kind !== 'requests') || !name) return undefined;
  const raw = container.resources?.[kind]?.[name];
  let value: number;
  if (raw !== undefined) value = parseQuantity(raw);
  else if (kind === 'limits' && allocatable && (name === 'cpu' || name === 'memory')) value = allocatable[name];
  else value = 0;
  const unit = divisor === undefined || divisor === '' ? 1 : parseQuantity(divisor);
  if (!(unit > 0)) return undefined;
  return String(Math.ceil(value / unit - 1e-9));
}

/**
 * resolveEnv builds a container's environment: envFrom first, then env entries in
 * order, each value expanded against the variables defined before it.
 */
export function resolveEnv(pod: Pod, container: Container, ctx: EnvContext): EnvResult {
  const vars = new Map<string, string>(ctx.base ?? []);
  const namespace = pod.metadata.namespace ?? '';
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const isSecret = !from.configMapRef;
    const name = ref.name ?? '';
    const data = (isSecret ? ctx.secrets : ctx.configMaps)?.get(name);
    if (!data) {
      if (ref.optional) continue;
      return { ok: false, message: `${isSecret ? 'secret' : 'configmap'} "${name}" not found` };
    }
    for (const [key, value] of Object.entries(data)) {
      // Keys that are not valid variable names are skipped, as Kubernetes does.
      if (isValidEnvName(prefix + key)) vars.set(prefix + key, value);
    }
  }
  const lookup = (name: string) => vars.get(name);
  for (const entry of container.env ?? []) {
    const name = entry.name ?? '';
    if (!name) continue;
    if (entry.valueFrom === undefined || entry.value !== undefined) {
      vars.set(name, expandVars(entry.value ?? '', lookup));
      continue;
    }
    const from = entry.valueFrom;
    if (from.fieldRef) {
      const value = podFieldValue(pod, from.fieldRef.fieldPath ?? '', ctx);
      if (value === undefined) return { ok: false, message: `unsupported fieldPath: ${from.fieldRef.fieldPath ?? ''}` };
      vars.set(name, value);
    } else if (from.resourceFieldRef) {
      const target = from.resourceFieldRef.containerName
        ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
            (c) => c.name === from.resourceFieldRef?.containerName,
          )
        : container;
      const value = target
        ? resourceFieldValue(target, from.resourceFieldRef.resource ?? '', from.resourceFieldRef.divisor, ctx.nodeAllocatable)
        : undefined;
      if (value === undefined) return { ok: false, message: `unsupported resource: ${from.resourceFieldRef.resource ?? ''}` };
      vars.set(name, value);
    } else if (from.configMapKeyRef || from.secretKeyRef) {
      const isSecret = !from.configMapKeyRef;
      const ref = (from.configMapKeyRef ?? from.secretKeyRef)!;
      const source = ref.name ?? '';
      const data = (isSecret ? ctx.secrets : ctx.configMaps)?.get(source);
      if (!data) {
        if (ref.optional) continue;
        return { ok: false, message: `${isSecret ? 'secret' : 'configmap'} "${source}" not found` };
      }
      const value = data[ref.key ?? ''];
      if (value === undefined) {
        if (ref.optional) continue;
        return {
          ok: false,
          message: `couldn't find key ${ref.key ?? ''} in ${isSecret ? 'Secret' : 'ConfigMap'} ${namespace}/${source}`,
        };
      }
      vars.set(name, value);
    }
  }
  return { ok: true, env: [...vars.entries()] };
}

/** referencedSources lists the ConfigMaps and Secrets a container's environment reads. */
export function referencedSources(container: Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef?.name) configMaps.add(from.configMapRef.name);
    if (from.secretRef?.name) secrets.add(from.secretRef.name);
  }
  for (const entry of container.env ?? []) {
    if (entry.valueFrom?.configMapKeyRef?.name) configMaps.add(entry.valueFrom.configMapKeyRef.name);
    if (entry.valueFrom?.secretKeyRef?.name) secrets.add(entry.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/** expandCommand expands $(VAR) in a container's command and args with its environment. */
export function expandCommand(
  container: Container,
  env: [string, string][],
): { command?: string[]; args?: string[] } {
  const vars = new Map(env);
  const lookup = (name: string) => vars.get(name);
  return {
    command: container.command?.map((part) => expandVars(part, lookup)),
    args: container.args?.map((part) => expandVars(part, lookup)),
  };
}

function serviceVarName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * serviceEnv is the Docker-links style environment Kubernetes gives containers for
 * services: NAME_SERVICE_HOST, NAME_SERVICE_PORT(_PORTNAME), NAME_PORT and
 * NAME_PORT_<port>_<PROTO>(_PROTO, _PORT, _ADDR). With enableServiceLinks false only the
 * kubernetes service of the default namespace is announced. Services without a
 * cluster IP (headless, ExternalName) are left out.
 */
export function serviceEnv(pod: Pod, services: Service[]): [string, string][] {
  const namespace = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const chosen = new Map<string, Service>();
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name ?? '';
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || !name) continue;
    if (ns === namespace && links) chosen.set(name, svc);
    else if (ns === 'default' && name === 'kubernetes' && !chosen.has(name)) chosen.set(name, svc);
  }
  const env: [string, string][] = [];
  for (const svc of [...chosen.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const prefix = serviceVarName(svc.metadata.name ?? '');
    const ip = svc.spec!.clusterIP!;
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) continue;
    const first = ports[0];
    env.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(first.port ?? '')]);
    for (const port of ports) {
      if (port.name) env.push([`${prefix}_SERVICE_PORT_${serviceVarName(port.name)}`, String(port.port ?? '')]);
    }
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    env.push([`${prefix}_PORT`, `${proto}://${ip}:${first.port ?? ''}`]);
    for (const port of ports) {
      const p = (port.protocol ?? 'TCP').toUpperCase();
      const base = `${prefix}_PORT_${port.port ?? ''}_${p}`;
      env.push([base, `${p.toLowerCase()}://${ip}:${port.port ?? ''}`], [`${base}_PROTO`, p.toLowerCase()], [`${base}_PORT`, String(port.port ?? '')], [`${base}_ADDR`, ip]);
    }
  }
  return env;
}
