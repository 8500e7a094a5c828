// Worker nodes as Docker-in-Docker containers on the host Docker Engine. A node is a
// container named <prefix>-<cluster>-<node> whose labels are the source of truth, on
// the per-cluster bridge network <prefix>-<cluster>, running the node image's own
// dockerd, which the engine reaches over mutual TLS on a 127.0.0.1 port.
import { mkdir } from 'node:fs/promises';
import Docker from 'dockerode';
import { dockerErrorMessage, dockerStatusCode } from '../docker/errors';
import { execInContainer, type ExecResult } from '../docker/exec';
import { tarStream } from '../docker/tar';
import { nodeImageTag } from './nodeImage';
import { nodeVolumesPath } from './sharedVolumes';
import type { ClusterPki, TlsFiles } from './tls';

/** nodeLabels are the container labels that identify a node; they are the source of truth. */
export const nodeLabels = {
  cluster: 'io.wheelhouse.cluster',
  node: 'io.wheelhouse.node',
  role: 'io.wheelhouse.role',
  /** N of the node's pod CIDR 10.244.N.0/24. */
  index: 'io.wheelhouse.node-index',
  podCidr: 'io.wheelhouse.pod-cidr',
} as const;

/** NodeRole is what a node is for. */
export type NodeRole = 'worker' | 'control-plane';

/** clusterPodCidr is the range every pod address of a cluster comes from. */
export const clusterPodCidr = '10.244.0.0/16';

/** nodeEnginePort is the TLS port of a node's dockerd inside the node container. */
export const nodeEnginePort = 2376;

/** PodNetwork is a node's share of the pod range. */
export interface PodNetwork {
  /** 10.244.N.0/24 */
  cidr: string;
  /** 10.244.N.1, the node's pod bridge and the pods' gateway. */
  gateway: string;
  /** 10.244.N.1/24, what the node's dockerd gets as --bip. */
  bridge: string;
}

/** podNetworkFor gives node number N (1..254) its pod network 10.244.N.0/24. */
export function podNetworkFor(index: number): PodNetwork {
  if (!Number.isInteger(index) || index < 1 || index > 254) {
    throw new Error(`Node number ${index} is out of range; a cluster has nodes 1 to 254.`);
  }
  return { cidr: `10.244.${index}.0/24`, gateway: `10.244.${index}.1`, bridge: `10.244.${index}.1/24` };
}

/** NodeInfo is what Docker says about one node container. */
export interface NodeInfo {
  cluster: string;
  name: string;
  role: NodeRole;
  /** N of the node's pod CIDR. */
  index: number;
  containerName: string;
  containerId: string;
  /** Docker's state of the container: running, exited, restarting, created, ... */
  state: string;
  image: string;
  podCidr: string;
  podGateway: string;
  /** The node's address on the cluster network, while it runs. */
  ip?: string;
  /** The 127.0.0.1 port of the node's dockerd; it may change when the node restarts. */
  enginePort?: number;
}

/** NodeRuntime is what a node agent (kubelet) needs to run pods on a node. */
export interface NodeRuntime {
  cluster: string;
  name: string;
  /** The outer container, for commands that program the node's network (routes, iptables). */
  containerName: string;
  /** The node's address on the cluster network. */
  ip: string;
  podCidr: string;
  podGateway: string;
  /** A client for the node's own dockerd, over mutual TLS. */
  docker: Docker;
}

/** NodeSpec asks for one node. */
export interface NodeSpec {
  name: string;
  role?: NodeRole;
  /** N of the pod CIDR 10.244.N.0/24; chosen automatically when omitted. */
  index?: number;
}

/** NodeProviderOptions configures a NodeProvider for one cluster. */
export interface NodeProviderOptions {
  /** The host Docker Engine. */
  docker: Docker;
  cluster: string;
  /** The cluster's node PKI (see loadClusterPki). */
  pki: ClusterPki;
  /** Node image (default wheelhouse/node:<appVersion>). */
  image?: string;
  /** Prefix of every Docker object's name (default "wh"); tests use their own. */
  prefix?: string;
  /** DNS servers the pods of new nodes use. */
  dns?: string[];
  /**
   * Host folder bind-mounted at /var/lib/wheelhouse/volumes in every node (the
   * cluster's PersistentVolumes, see sharedVolumes.ts); created when missing.
   */
  volumesDir?: string;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** validateName checks a cluster or node name (a DNS label) and explains what is wrong. */
export function validateName(kind: 'cluster' | 'node', name: string): void {
  if (!dnsLabel.test(name) || name.length > 40) {
    throw new Error(
      `The ${kind} name "${name}" is not valid; use up to 40 lowercase letters, digits and dashes, starting and ending with a letter or digit.`,
    );
  }
}

/**
 * nodeDocker makes a client for a node's own dockerd: https://127.0.0.1:<engine port>
 * with the engine's client certificate (mutual TLS).
 */
export function nodeDocker(node: Pick<NodeInfo, 'name' | 'enginePort'>, client: TlsFiles): Docker {
  if (!node.enginePort) throw new Error(`Node ${node.name} is not running, so its Docker Engine cannot be reached.`);
  return new Docker({
    socketPath: undefined,
    host: '127.0.0.1',
    port: node.enginePort,
    protocol: 'https',
    ca: client.ca,
    cert: client.cert,
    key: client.key,
  });
}

/**
 * listNodeContainers lists every node container on the host Docker (of one cluster,
 * or of all), read from their labels. The engine uses it to re-adopt nodes on start.
 */
export async function listNodeContainers(docker: Docker, cluster?: string): Promise<NodeInfo[]> {
  const label = cluster ? [`${nodeLabels.cluster}=${cluster}`, nodeLabels.node] : [nodeLabels.cluster, nodeLabels.node];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const nodes = await Promise.all(
    containers.map(async (c) => {
      try {
        return nodeInfoFrom(await docker.getContainer(c.Id).inspect());
      } catch {
        // Removed between the list and the inspect.
        return undefined;
      }
    }),
  );
  return nodes.filter((n): n is NodeInfo => n !== undefined).sort((a, b) => a.index - b.index);
}

function nodeInfoFrom(info: Docker.ContainerInspectInfo): NodeInfo | undefined {
  const labels = info.Config.Labels ?? {};
  const cluster = labels[nodeLabels.cluster];
  const name = labels[nodeLabels.node];
  if (!cluster || !name) return undefined;
  const index = Number(labels[nodeLabels.index]);
  const network = Number.isInteger(index) && index > 0 ? podNetworkFor(index) : undefined;
  const networks = info.NetworkSettings?.Networks ?? {};
  const ip = Object.values(networks).find((n) => n?.IPAddress)?.IPAddress || undefined;
  const bindings = (info.NetworkSettings?.Ports ?? {})[`${nodeEnginePort}/tcp`] as
    Array<{ HostIp: string; HostPort: string }> | null | undefined;
  const port = Number(bindings?.find((b) => b.HostPort)?.HostPort);
  return {
    cluster,
    name,
    role: (labels[nodeLabels.role] as NodeRole) || 'worker',
    index: network ? index : 0,
    containerName: info.Name.replace(/^\//, ''),
    containerId: info.Id,
    state: info.State?.Status ?? 'unknown',
    image: info.Config.Image,
    podCidr: network?.cidr ?? labels[nodeLabels.podCidr] ?? '',
    podGateway: network?.gateway ?? '',
    ip: info.State?.Running ? ip : undefined,
    enginePort: info.State?.Running && port > 0 ? port : undefined,
  };
}

/**
 * NodeProvider creates, finds, connects to and removes the nodes of one cluster. Like
 * kind's Docker provider, a node is a handle on its container, and its labels say
 * what it is, so a restarted engine finds its nodes again.
 */
export class NodeProvider {
  readonly docker: Docker;
  readonly cluster: string;
  readonly pki: ClusterPki;
  readonly image: string;
  readonly prefix: string;
  private readonly dns: string[];
  private readonly volumesDir: string | undefined;
  private network: Promise<void> | undefined;
  private readonly reserved = new Set<number>();
  private readonly clients = new Map<string, { port: number; docker: Docker }>();

  constructor(options: NodeProviderOptions) {
    validateName('cluster', options.cluster);
    this.docker = options.docker;
    this.cluster = options.cluster;
    this.pki = options.pki;
    this.image = options.image ?? nodeImageTag();
    this.prefix = options.prefix ?? 'wh';
    this.dns = options.dns ?? [];
    this.volumesDir = options.volumesDir;
  }

  /** networkName is the cluster's Docker network. */
  get networkName(): string {
    return `${this.prefix}-${this.cluster}`;
  }

  /** containerName is a node's container name. */
  containerName(node: string): string {
    return `${this.prefix}-${this.cluster}-${node}`;
  }

  /** volumeName is the volume holding a node's /var/lib/docker (its images and pods). */
  volumeName(node: string): string {
    return `${this.containerName(node)}-docker`;
  }

  /** ensureNetwork creates the cluster's bridge network unless it exists. */
  ensureNetwork(): Promise<void> {
    this.network ??= this.createNetwork().catch((err) => {
      this.network = undefined;
      throw err;
    });
    return this.network;
  }

  private async createNetwork(): Promise<void> {
    const existing = await this.docker
      .getNetwork(this.networkName)
      .inspect()
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode === 404) return undefined;
        throw err;
      });
    if (existing) return;
    try {
      await this.docker.createNetwork({
        Name: this.networkName,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [nodeLabels.cluster]: this.cluster },
      });
    } catch (err) {
      // Another engine call created it a moment ago.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
    const created = (await this.docker.getNetwork(this.networkName).inspect()) as {
      IPAM?: { Config?: Array<{ Subnet?: string }> };
    };
    const subnet = created.IPAM?.Config?.[0]?.Subnet ?? '';
    if (subnet.startsWith('10.244.') || /^10\.(9[6-9]|10\d|11[01])\./.test(subnet)) {
      throw new Error(
        `Docker gave the network ${this.networkName} the subnet ${subnet}, which overlaps the pod or service range; change Docker's default-address-pools.`,
      );
    }
  }

  /** listNodes lists the cluster's nodes, read from their container labels. */
  async listNodes(): Promise<NodeInfo[]> {
    const nodes = await listNodeContainers(this.docker, this.cluster);
    return nodes.filter((n) => n.containerName === this.containerName(n.name));
  }

  /** getNode returns one node, or undefined when its container does not exist. */
  async getNode(name: string): Promise<NodeInfo | undefined> {
    try {
      return nodeInfoFrom(await this.docker.getContainer(this.containerName(name)).inspect());
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /**
   * createNode creates and starts a node container (or starts the existing one) and
   * returns without waiting for its dockerd; see waitForNode and startNodes.
   */
  async createNode(spec: NodeSpec): Promise<NodeInfo> {
    validateName('node', spec.name);
    const existing = await this.getNode(spec.name);
    if (existing) {
      if (existing.state !== 'running' && existing.state !== 'restarting') {
        await this.docker
          .getContainer(existing.containerId)
          .start()
          .catch((err) => {
            throw new Error(
              `Could not start node ${spec.name} of cluster ${this.cluster}: ${dockerErrorMessage(err)}.`,
            );
          });
      }
      return (await this.getNode(spec.name))!;
    }
    await this.ensureNetwork();
    const index = spec.index ?? (await this.nextIndex());
    this.reserved.add(index);
    try {
      return await this.createContainer(spec, index);
    } finally {
      this.reserved.delete(index);
    }
  }

  private async nextIndex(): Promise<number> {
    const used = new Set([...(await this.listNodes()).map((n) => n.index), ...this.reserved]);
    for (let i = 1; i <= 254; i++) if (!used.has(i)) return i;
    throw new Error(`The cluster ${this.cluster} has no room for another node (254 at most).`);
  }

  private async createContainer(spec: NodeSpec, index: number): Promise<NodeInfo> {
    const name = this.containerName(spec.name);
    const pod = podNetworkFor(index);
    const certs = await this.pki.ensureNodeCert({ name: spec.name, dnsNames: [name] });
    // A bind source that does not exist fails the create.
    if (this.volumesDir) await mkdir(this.volumesDir, { recursive: true });
    await this.docker.createVolume({
      Name: this.volumeName(spec.name),
      Labels: { [nodeLabels.cluster]: this.cluster, [nodeLabels.node]: spec.name },
    });
    const env = [
      `WHEELHOUSE_CLUSTER=${this.cluster}`,
      `WHEELHOUSE_NODE=${spec.name}`,
      `WHEELHOUSE_POD_CIDR=${pod.bridge}`,
      ...(this.dns.length ? [`WHEELHOUSE_DNS=${this.dns.join(',')}`] : []),
    ];
    const hostConfig = {
      // The flags that run dockerd inside a container without --privileged (which
      // fails where CAP_SYS_RESOURCE is not grantable, and grants more than needed).
      CgroupnsMode: 'private',
      CapAdd: ['ALL'],
      CapDrop: ['SYS_RESOURCE'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      // What the CLI's --security-opt systempaths=unconfined means in the API.
      MaskedPaths: [],
      ReadonlyPaths: [],
      DeviceCgroupRules: ['a *:* rwm'],
      // A fresh /run on every start: a pid file left by the previous run would stop dockerd.
      Tmpfs: { '/tmp': 'rw,nosuid,nodev', '/run': 'rw,exec,nosuid,nodev,mode=755' },
      Mounts: [
        { Type: 'volume', Source: this.volumeName(spec.name), Target: '/var/lib/docker' },
        ...(this.volumesDir ? [{ Type: 'bind', Source: this.volumesDir, Target: nodeVolumesPath }] : []),
      ],
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: { [`${nodeEnginePort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
      NetworkMode: this.networkName,
    };
    const container = await this.docker
      .createContainer({
        name,
        Image: this.image,
        Hostname: spec.name,
        Env: env,
        Labels: {
          [nodeLabels.cluster]: this.cluster,
          [nodeLabels.node]: spec.name,
          [nodeLabels.role]: spec.role ?? 'worker',
          [nodeLabels.index]: String(index),
          [nodeLabels.podCidr]: pod.cidr,
        },
        ExposedPorts: { [`${nodeEnginePort}/tcp`]: {} },
        HostConfig: hostConfig as Docker.HostConfig,
        NetworkingConfig: { EndpointsConfig: { [this.networkName]: { Aliases: [spec.name] } } },
      })
      .catch((err) => {
        if (dockerStatusCode(err) === 404 && /image/i.test(dockerErrorMessage(err))) {
          throw new Error(`The node image ${this.image} is missing; build it with \`wheelhouse node-image build\`.`);
        }
        throw new Error(`Could not create node ${spec.name} of cluster ${this.cluster}: ${dockerErrorMessage(err)}.`);
      });
    // Copying the certificates in (rather than bind-mounting a host folder) works with
    // every Docker, including remote ones and Docker Desktop's VM.
    await container.putArchive(
      tarStream([
        { type: 'dir', path: 'wheelhouse', mode: 0o755 },
        { type: 'dir', path: 'wheelhouse/tls', mode: 0o700 },
        { type: 'file', path: 'wheelhouse/tls/ca.pem', content: certs.ca, mode: 0o600 },
        { type: 'file', path: 'wheelhouse/tls/server-cert.pem', content: certs.cert, mode: 0o600 },
        { type: 'file', path: 'wheelhouse/tls/server-key.pem', content: certs.key, mode: 0o600 },
      ]),
      { path: '/etc' },
    );
    await container.start().catch((err) => {
      throw new Error(`Could not start node ${spec.name} of cluster ${this.cluster}: ${dockerErrorMessage(err)}.`);
    });
    return (await this.getNode(spec.name))!;
  }

  /**
   * waitForNode waits until the node's dockerd answers over mutual TLS and returns
   * the node. It fails fast, with the node's last log line, if the container stops.
   */
  async waitForNode(name: string, options: { timeoutMs?: number } = {}): Promise<NodeInfo> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      const node = await this.getNode(name);
      if (!node) throw new Error(`Node ${name} of cluster ${this.cluster} does not exist.`);
      if (node.state === 'exited' || node.state === 'dead') {
        throw new Error(`Node ${name} stopped while starting: ${await this.lastLogLine(node)}`);
      }
      if (node.state === 'running' && node.enginePort && node.ip) {
        try {
          await this.nodeDocker(node).ping({ abortSignal: AbortSignal.timeout(1_000) } as never);
          return node;
        } catch {
          // Not listening yet.
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`Node ${name} did not start its Docker Engine in time: ${await this.lastLogLine(node)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async lastLogLine(node: NodeInfo): Promise<string> {
    try {
      const raw = (await this.docker
        .getContainer(node.containerId)
        .logs({ stdout: true, stderr: true, tail: 5 })) as unknown as Buffer;
      const text = stripFrames(raw).trim().split('\n').filter(Boolean).pop();
      return text ? text.slice(0, 300) : 'it printed nothing.';
    } catch {
      return 'its log cannot be read.';
    }
  }

  /**
   * startNodes creates (or re-adopts) the nodes in parallel, waits until each node's
   * dockerd answers, then programs pod routes between all of the cluster's nodes.
   */
  async startNodes(specs: NodeSpec[], options: { timeoutMs?: number } = {}): Promise<NodeInfo[]> {
    await this.ensureNetwork();
    // Numbers are handed out up front so parallel creation cannot pick the same one.
    const existing = await this.listNodes();
    const used = new Set(existing.map((n) => n.index));
    const planned = specs.map((spec) => {
      const known = existing.find((n) => n.name === spec.name);
      if (known || spec.index) return { ...spec, index: known?.index ?? spec.index };
      let index = 1;
      while (used.has(index)) index++;
      used.add(index);
      return { ...spec, index };
    });
    await Promise.all(planned.map((spec) => this.createNode(spec)));
    const ready = await Promise.all(planned.map((spec) => this.waitForNode(spec.name, options)));
    await this.programPodNetwork();
    return ready;
  }

  /** nodeDocker returns a client for the node's own dockerd over mutual TLS. */
  nodeDocker(node: Pick<NodeInfo, 'name' | 'enginePort'>): Docker {
    if (!node.enginePort) return nodeDocker(node, this.pki.client);
    const cached = this.clients.get(node.name);
    if (cached && cached.port === node.enginePort) return cached.docker;
    const docker = nodeDocker(node, this.pki.client);
    this.clients.set(node.name, { port: node.enginePort, docker });
    return docker;
  }

  /** runtime gives a node agent what it needs: the node's dockerd, address and pod CIDR. */
  runtime(node: NodeInfo): NodeRuntime {
    if (!node.ip) throw new Error(`Node ${node.name} is not running, so it has no address.`);
    return {
      cluster: node.cluster,
      name: node.name,
      containerName: node.containerName,
      ip: node.ip,
      podCidr: node.podCidr,
      podGateway: node.podGateway,
      docker: this.nodeDocker(node),
    };
  }

  /** exec runs a command in the node container itself (outside the node's dockerd). */
  exec(
    node: Pick<NodeInfo, 'containerName'>,
    cmd: string[],
    options?: { stdin?: string; timeoutMs?: number },
  ): Promise<ExecResult> {
    return execInContainer(this.docker, node.containerName, cmd, options);
  }

  /**
   * programPodNetwork lets pods on different nodes reach each other: on every running
   * node it adds a route to each other node's pod CIDR via that node's address,
   * removes routes to nodes that are gone, accepts forwarded pod traffic ahead of
   * Docker's own rules, and keeps pod-to-pod traffic from being masqueraded. It is
   * idempotent; call it again after nodes are added, removed or restarted.
   */
  async programPodNetwork(): Promise<void> {
    const nodes = (await this.listNodes()).filter((n) => n.state === 'running' && n.ip && n.index > 0);
    await Promise.all(
      nodes.map(async (node) => {
        const peers = nodes.filter((n) => n.name !== node.name);
        const result = await this.exec(node, [
          'sh',
          '-c',
          podNetworkScript(peers.map((p) => ({ cidr: p.podCidr, via: p.ip! }))),
        ]);
        if (result.exitCode !== 0) {
          const why = (result.stderr || result.stdout).trim().split('\n').pop() ?? `exit code ${result.exitCode}`;
          throw new Error(`Could not program pod routes on node ${node.name}: ${why}`);
        }
      }),
    );
  }

  /**
   * stopNode stops a node's container and its data stays. The node's dockerd first
   * stops its pods, each with its own stop timeout (10 s unless the pod says otherwise);
   * after timeoutSeconds (default 15) the node is killed.
   */
  async stopNode(name: string, timeoutSeconds = 15): Promise<void> {
    try {
      await this.docker.getContainer(this.containerName(name)).stop({ t: timeoutSeconds });
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      if (code !== 304 && code !== 404) throw err;
    }
  }

  /** removeNode removes a node's container and its volume; a missing node is not an error. */
  async removeNode(name: string): Promise<void> {
    this.clients.delete(name);
    try {
      await this.docker.getContainer(this.containerName(name)).remove({ force: true, v: true });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    await removeVolume(this.docker, this.volumeName(name));
  }

  /** removeAll removes every node of the cluster, their volumes, and the cluster network. */
  async removeAll(): Promise<void> {
    const nodes = await this.listNodes();
    await Promise.all(nodes.map((n) => this.removeNode(n.name)));
    const volumes = await this.docker.listVolumes({ filters: { label: [`${nodeLabels.cluster}=${this.cluster}`] } });
    await Promise.all(
      (volumes.Volumes ?? [])
        .filter((v) => v.Name.startsWith(`${this.prefix}-${this.cluster}-`))
        .map((v) => removeVolume(this.docker, v.Name)),
    );
    try {
      await this.docker.getNetwork(this.networkName).remove();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    this.network = undefined;
  }
}

async function removeVolume(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getVolume(name).remove();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

/** podNetworkScript is the shell script programPodNetwork runs inside a node. */
export function podNetworkScript(peers: Array<{ cidr: string; via: string }>): string {
  const wanted = peers.map((p) => p.cidr).join(' ');
  const lines = [
    'set -e',
    // Docker's FORWARD rules would drop traffic to pods that arrives from other nodes.
    `iptables -C DOCKER-USER -d ${clusterPodCidr} -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER -d ${clusterPodCidr} -j ACCEPT`,
    // Pods see each other's real addresses: no masquerading inside the pod range.
    `iptables -t nat -C POSTROUTING -s ${clusterPodCidr} -d ${clusterPodCidr} -j RETURN 2>/dev/null || iptables -t nat -I POSTROUTING -s ${clusterPodCidr} -d ${clusterPodCidr} -j RETURN`,
    ...peers.map((p) => `ip route replace ${p.cidr} via ${p.via}`),
    `wanted=" ${wanted} "`,
    'ip -4 route show | while read -r cidr how rest; do',
    '  case "$cidr" in 10.244.*) ;; *) continue ;; esac',
    '  [ "$how" = via ] || continue',
    '  case "$wanted" in *" $cidr "*) ;; *) ip route del "$cidr" ;; esac',
    'done',
  ];
  return lines.join('\n');
}

function stripFrames(raw: Buffer | string): string {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'binary') : raw;
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length && buf[at] <= 2 && buf[at + 1] === 0) {
    const length = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return parts.length ? Buffer.concat(parts).toString() : buf.toString();
}
