// Pod spec -> Docker create options, for the pause container that owns a pod's network
// namespace and for the init and app containers that join it. Pure, so every rule
// (command vs ENTRYPOINT, DNS policy, resources, security context, volumes) is tested
// without Docker.
import type Docker from 'dockerode';
import { parseQuantity, quantityMilliValue } from '../../shared/quantity';
import type { Container, Pod, VolumeMount } from '../apiserver/kinds/types';
import {
  containerLabelsFor,
  containerSpecHash,
  dockerContainerName,
  pauseContainerName,
  type ContainerKind,
  type PodIdentity,
} from './labels';

/** clusterDomainDefault is the DNS domain of cluster services. */
export const clusterDomainDefault = 'cluster.local';

/** podIdentity reads uid, name and namespace of a pod. */
export function podIdentity(pod: Pod): PodIdentity {
  return {
    uid: pod.metadata.uid ?? '',
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? 'default',
  };
}

/** DnsSettings are a pod's resolv.conf contents; undefined fields keep Docker's (the node's) own. */
export interface DnsSettings {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

/**
 * dnsSettings applies the pod's dnsPolicy and dnsConfig: ClusterFirst uses the cluster
 * DNS server with the namespace's search list and ndots:5 (falling back to the node's
 * resolver without a cluster DNS, or for host-network pods), Default keeps the
 * node's, None uses dnsConfig only.
 */
export function dnsSettings(pod: Pod, clusterDns: string | undefined, clusterDomain = clusterDomainDefault): DnsSettings {
  const spec = pod.spec ?? {};
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  if (policy === 'ClusterFirst' && !clusterDns) policy = 'Default';
  const settings: DnsSettings = {};
  if (policy === 'ClusterFirst') {
    const ns = pod.metadata.namespace ?? 'default';
    settings.servers = [clusterDns!];
    settings.searches = [`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
    settings.options = ['ndots:5'];
  } else if (policy === 'None') {
    settings.servers = [];
    settings.searches = [];
    settings.options = [];
  }
  const config = spec.dnsConfig;
  if (config) {
    if (config.nameservers?.length) settings.servers = dedupe([...(settings.servers ?? []), ...config.nameservers]);
    if (config.searches?.length) settings.searches = dedupe([...(settings.searches ?? []), ...config.searches]);
    if (config.options?.length) {
      const byName = new Map<string, string>();
      for (const option of settings.options ?? []) byName.set(option.split(':')[0], option);
      for (const option of config.options) {
        if (!option.name) continue;
        byName.set(option.name, option.value !== undefined ? `${option.name}:${option.value}` : option.name);
      }
      settings.options = [...byName.values()];
    }
  }
  return settings;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** podHostname is the hostname a pod's containers see: spec.hostname, else the pod name (at most 63 characters). */
export function podHostname(pod: Pod): string {
  const name = pod.spec?.hostname || pod.metadata.name || 'pod';
  return name.slice(0, 63).replace(/[-.]+$/, '');
}

/** SandboxOptions tune pauseCreateOptions. */
export interface SandboxOptions {
  image: string;
  attempt: number;
  clusterDns?: string;
  clusterDomain?: string;
}

/** pauseCreateOptions are the Docker create options of a pod's pause container (its sandbox). */
export function pauseCreateOptions(pod: Pod, options: SandboxOptions): Docker.ContainerCreateOptions {
  const id = podIdentity(pod);
  const spec = pod.spec ?? {};
  const domain = options.clusterDomain ?? clusterDomainDefault;
  const dns = dnsSettings(pod, options.clusterDns, domain);
  const hostNetwork = spec.hostNetwork === true;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const c of spec.containers ?? []) {
    for (const port of c.ports ?? []) {
      if (!port.containerPort) continue;
      const key = `${port.containerPort}/${(port.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      if (port.hostPort && !hostNetwork) {
        (bindings[key] ??= []).push({ HostIp: port.hostIP ?? '', HostPort: String(port.hostPort) });
      }
    }
  }
  const hostConfig: Docker.HostConfig = {
    NetworkMode: hostNetwork ? 'host' : 'bridge',
    // App containers join this IPC namespace, so it must be shareable.
    IpcMode: spec.hostIPC ? 'host' : 'shareable',
    PidMode: spec.hostPID ? 'host' : undefined,
    RestartPolicy: { Name: 'no' },
    Dns: dns.servers,
    DnsSearch: dns.searches,
    DnsOptions: dns.options,
    ExtraHosts: (spec.hostAliases ?? []).flatMap((alias) =>
      (alias.hostnames ?? []).map((hostname) => `${hostname}:${alias.ip ?? ''}`),
    ),
    PortBindings: Object.keys(bindings).length ? bindings : undefined,
    CpuShares: 2,
    LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
  };
  const create: Docker.ContainerCreateOptions = {
    name: dockerContainerName(id, pauseContainerName, options.attempt),
    Image: options.image,
    Labels: containerLabelsFor(id, 'pause', pauseContainerName, options.attempt, {
      gracePeriod: spec.terminationGracePeriodSeconds ?? 30,
    }),
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    HostConfig: stripUndefined(hostConfig),
  };
  if (!hostNetwork) {
    create.Hostname = podHostname(pod);
    if (spec.subdomain) create.Domainname = `${spec.subdomain}.${id.namespace}.svc.${domain}`;
  }
  return create;
}

/** VolumePath is where a pod volume lives in the node, and whether it is mounted read-only. */
export interface VolumePath {
  path: string;
  readOnly?: boolean;
}

/** AppContainerOptions tune containerCreateOptions. */
export interface AppContainerOptions {
  kind: Exclude<ContainerKind, 'pause'>;
  attempt: number;
  /** The pause container this container joins. */
  sandboxId: string;
  /** The image reference to run (the spec's image). */
  image: string;
  /** The resolved environment, in order. */
  env: [string, string][];
  /** Volumes of the pod by name. */
  volumes: Map<string, VolumePath>;
}

/** resolveCommand applies Kubernetes semantics: command replaces ENTRYPOINT, args replace CMD. */
export function resolveCommand(command: string[] | undefined, args: string[] | undefined): Pick<Docker.ContainerCreateOptions, 'Entrypoint' | 'Cmd'> {
  if (command && command.length > 0) return { Entrypoint: command, Cmd: args ?? [] };
  if (args && args.length > 0) return { Cmd: args };
  return {};
}

/** resourceSettings turns requests and limits into Docker's Memory, NanoCpus and CpuShares. */
export function resourceSettings(container: Container): Pick<Docker.HostConfig, 'Memory' | 'NanoCpus' | 'CpuShares'> {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const out: Pick<Docker.HostConfig, 'Memory' | 'NanoCpus' | 'CpuShares'> = {};
  if (limits.memory !== undefined) out.Memory = Math.round(parseQuantity(limits.memory));
  if (limits.cpu !== undefined) out.NanoCpus = Math.round(parseQuantity(limits.cpu) * 1e9);
  const cpuRequest = requests.cpu ?? limits.cpu;
  // As kubelet: shares = milli-CPU * 1024 / 1000, at least 2 (what best-effort pods get).
  out.CpuShares = cpuRequest === undefined ? 2 : Math.max(2, Math.floor((quantityMilliValue(cpuRequest) * 1024) / 1000));
  return out;
}

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

/** securitySettings merges the pod's and the container's security contexts into Docker settings. */
export function securitySettings(pod: Pod, container: Container): { User?: string; host: Docker.HostConfig } {
  const podContext = (pod.spec?.securityContext ?? {}) as SecurityContext;
  const own = (container.securityContext ?? {}) as SecurityContext;
  const user = own.runAsUser ?? podContext.runAsUser;
  const group = own.runAsGroup ?? podContext.runAsGroup;
  const host: Docker.HostConfig = {};
  const groups = podContext.supplementalGroups ?? [];
  if (groups.length) host.GroupAdd = groups.map(String);
  if (own.privileged) host.Privileged = true;
  if (own.readOnlyRootFilesystem) host.ReadonlyRootfs = true;
  if (own.allowPrivilegeEscalation === false) host.SecurityOpt = ['no-new-privileges'];
  const strip = (cap: string) => cap.replace(/^CAP_/, '');
  if (own.capabilities?.add?.length) host.CapAdd = own.capabilities.add.map(strip);
  if (own.capabilities?.drop?.length) host.CapDrop = own.capabilities.drop.map(strip);
  let User: string | undefined;
  if (user !== undefined) User = group !== undefined ? `${user}:${group}` : String(user);
  else if (group !== undefined) host.GroupAdd = [...(host.GroupAdd ?? []), String(group)];
  return { User, host };
}

/**
 * volumeBinds turns a container's volumeMounts into Docker binds of node paths
 * ("src:dst[:ro][,rshared]"). A mount of a volume the pod lacks is an error.
 */
export function volumeBinds(mounts: VolumeMount[] | undefined, volumes: Map<string, VolumePath>): string[] {
  return (mounts ?? []).map((mount) => {
    const volume = volumes.get(mount.name ?? '');
    if (!volume) throw new Error(`the volume "${mount.name ?? ''}" of the mount at ${mount.mountPath ?? ''} is not ready`);
    const subPath = (mount.subPath ?? '').replace(/^\/+/, '');
    if (subPath.split('/').includes('..')) throw new Error(`the subPath "${mount.subPath}" must not contain ".."`);
    const source = subPath ? `${volume.path}/${subPath}` : volume.path;
    const flags: string[] = [];
    if (mount.readOnly || volume.readOnly) flags.push('ro');
    if (mount.mountPropagation === 'Bidirectional') flags.push('rshared');
    else if (mount.mountPropagation === 'HostToContainer') flags.push('rslave');
    return `${source}:${mount.mountPath ?? ''}${flags.length ? `:${flags.join(',')}` : ''}`;
  });
}

/** containerCreateOptions are the Docker create options of an init or app container. */
export function containerCreateOptions(
  pod: Pod,
  container: Container,
  command: { command?: string[]; args?: string[] },
  options: AppContainerOptions,
): Docker.ContainerCreateOptions {
  const id = podIdentity(pod);
  const spec = pod.spec ?? {};
  const security = securitySettings(pod, container);
  const sandbox = `container:${options.sandboxId}`;
  const grace = spec.terminationGracePeriodSeconds ?? 30;
  // Ports belong to the sandbox: Docker refuses exposed ports on a container that joins
  // another one's network namespace.
  const hostConfig: Docker.HostConfig = {
    NetworkMode: sandbox,
    IpcMode: spec.hostIPC ? 'host' : sandbox,
    PidMode: spec.hostPID ? 'host' : spec.shareProcessNamespace ? sandbox : undefined,
    Binds: volumeBinds(container.volumeMounts, options.volumes),
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
    ...resourceSettings(container),
    ...security.host,
  };
  return {
    name: dockerContainerName(id, container.name ?? '', options.attempt),
    Image: options.image,
    ...resolveCommand(command.command, command.args),
    Env: options.env.map(([name, value]) => `${name}=${value}`),
    WorkingDir: container.workingDir || undefined,
    User: security.User,
    Tty: container.tty === true,
    OpenStdin: container.stdin === true,
    StdinOnce: container.stdinOnce === true,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    StopTimeout: grace,
    Labels: containerLabelsFor(id, options.kind, container.name ?? '', options.attempt, {
      hash: containerSpecHash(container),
      gracePeriod: grace,
    }),
    HostConfig: stripUndefined(hostConfig),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
