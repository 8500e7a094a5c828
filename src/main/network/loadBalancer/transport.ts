// How a connection accepted on the host reaches a service inside the cluster. Two
// ways, chosen in one place (chooseTransport):
// - direct: the host can route to the node containers' addresses (Docker Engine on
//   Linux), so it connects to <node IP>:<node port> and the node's rules do the rest;
// - exec: it cannot (Docker Desktop on macOS and Windows runs containers in a VM), so
//   each connection is a Docker exec of `nc <cluster IP> <port>` in a node container,
//   whose standard input and output carry the bytes.
import { connect as tcpConnect, type Socket } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { Logger } from '../../log';
import type { NodeInfo, NodeProvider } from '../../nodes/nodeContainer';
import { nodeEnginePort } from '../../nodes/nodeContainer';

/** ServiceTarget is where a load balancer port sends its connections. */
export interface ServiceTarget {
  /** "namespace/name:port", for messages. */
  id: string;
  clusterIP: string;
  port: number;
  /** The service's node port for this port, when it has one. */
  nodePort?: number;
}

/** TransportKind names the two ways into the cluster. */
export type TransportKind = 'direct' | 'exec';

/** Transport opens byte streams to services. */
export interface Transport {
  readonly kind: TransportKind;
  /** connect resolves once the stream is open (direct) or the tunnel is running (exec). */
  connect(target: ServiceTarget): Promise<Duplex>;
}

/** NodeSource is what transports need of the node provider. */
export type NodeSource = Pick<NodeProvider, 'listNodes' | 'docker'>;

const nodesTtlMs = 10_000;

/** RunningNodes caches the running nodes with an address, refreshed now and then or on demand. */
class RunningNodes {
  private nodes: NodeInfo[] = [];
  private at = 0;
  private next = 0;

  constructor(private readonly provider: NodeSource) {}

  async list(refresh = false): Promise<NodeInfo[]> {
    if (refresh || this.nodes.length === 0 || Date.now() - this.at > nodesTtlMs) {
      this.nodes = (await this.provider.listNodes()).filter((n) => n.state === 'running' && n.ip);
      this.at = Date.now();
    }
    return this.nodes;
  }

  /** pick returns the nodes in round-robin order, starting with a different one each call. */
  async pick(refresh = false): Promise<NodeInfo[]> {
    const nodes = await this.list(refresh);
    if (nodes.length === 0) throw new Error('No node of the cluster is running, so the service cannot be reached.');
    const start = this.next++ % nodes.length;
    return [...nodes.slice(start), ...nodes.slice(0, start)];
  }
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} timed out`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * execTunnel runs `nc <ip> <port>` in a node container and returns its standard input
 * and output as one stream. The command first prints its own process id, so the
 * tunnel can stop nc when the client goes away before the server does.
 */
export async function execTunnel(docker: Docker, container: string, ip: string, port: number): Promise<Duplex> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ['sh', '-c', 'echo $$; exec nc "$0" "$1"', ip, String(port)],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  let errors = '';
  stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));

  // The first line of output is nc's process id; everything after it is the service's.
  const pid = await new Promise<string>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      stdout.off('data', onData);
      stdout.off('end', onEnd);
      stdout.pause();
      const rest = head.subarray(nl + 1);
      if (rest.length) stdout.unshift(rest);
      resolve(head.subarray(0, nl).toString().trim());
    };
    const onEnd = () => reject(new Error(errors.trim() || 'the tunnel closed before it started'));
    stdout.on('data', onData);
    stdout.once('end', onEnd);
  });

  let ended = false;
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (stream.destroyed) return callback(new Error('the tunnel is closed'));
      stream.write(chunk, (err) => callback(err ?? null));
    },
    final(callback) {
      // Half-close: nc sees the end of its input and passes it on, and the answer still flows back.
      if (!stream.destroyed && !stream.writableEnded) stream.end();
      callback();
    },
    read() {
      stdout.resume();
    },
    destroy(err, callback) {
      if (!ended && /^\d+$/.test(pid)) {
        // nc would otherwise linger until the service closes its side.
        void docker
          .getContainer(container)
          .exec({ Cmd: ['kill', pid], AttachStdout: false, AttachStderr: false })
          .then((e) => e.start({ Detach: true }))
          .catch(() => undefined);
      }
      stream.destroy();
      callback(err);
    },
  });
  stdout.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) stdout.pause();
  });
  const end = () => {
    ended = true;
    if (!duplex.destroyed) duplex.push(null);
  };
  stdout.on('end', end);
  stream.on('end', () => stdout.end());
  stream.on('close', () => stdout.end());
  stream.on('error', (err: Error) => duplex.destroy(err));
  return duplex;
}

/** directTransport connects to a node's address on the service's node port, falling back to exec when there is no node port. */
export function directTransport(
  provider: NodeSource,
  fallback: Transport,
  options: { timeoutMs?: number } = {},
): Transport {
  const nodes = new RunningNodes(provider);
  return {
    kind: 'direct',
    async connect(target) {
      if (!target.nodePort) return fallback.connect(target);
      let lastError: unknown;
      // A node that stopped answering is skipped, with a fresh node list for the second try.
      for (const refresh of [false, true]) {
        for (const node of (await nodes.pick(refresh)).slice(0, 2)) {
          try {
            return await connectTcp(node.ip!, target.nodePort, options.timeoutMs ?? 5_000);
          } catch (err) {
            lastError = err;
          }
        }
      }
      throw new Error(
        `Could not reach ${target.id} through any node: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
      );
    },
  };
}

/** execTransport tunnels each connection through a Docker exec of nc in a node container. */
export function execTransport(provider: NodeSource): Transport {
  const nodes = new RunningNodes(provider);
  return {
    kind: 'exec',
    async connect(target) {
      let lastError: unknown;
      for (const refresh of [false, true]) {
        const [node] = await nodes.pick(refresh);
        try {
          return await execTunnel(provider.docker, node.containerName, target.clusterIP, target.port);
        } catch (err) {
          lastError = err;
        }
      }
      throw new Error(
        `Could not open a tunnel to ${target.id}: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
      );
    },
  };
}

/**
 * canReachNodes tells whether this process can open TCP connections to the node
 * containers' own addresses, by connecting to a running node's Docker Engine port.
 * With no node running there is nothing to tell, and it throws.
 */
export async function canReachNodes(provider: NodeSource, timeoutMs = 1_500): Promise<boolean> {
  const nodes = (await provider.listNodes()).filter((n) => n.state === 'running' && n.ip);
  if (nodes.length === 0) throw new Error('No node of the cluster is running, so the service cannot be reached.');
  for (const node of nodes.slice(0, 2)) {
    try {
      const socket = await connectTcp(node.ip!, nodeEnginePort, timeoutMs);
      socket.destroy();
      return true;
    } catch {
      // Try the next node; one may be starting.
    }
  }
  return false;
}

/**
 * chooseTransport is the one place that decides how the load balancer reaches the
 * cluster: 'direct' when node addresses are reachable from here, 'exec' otherwise.
 * A wanted kind other than 'auto' is taken as is. It throws while no node runs, so a
 * caller asks again later rather than settling on the wrong way.
 */
export async function chooseTransport(
  provider: NodeSource,
  wanted: TransportKind | 'auto',
  log?: Logger,
): Promise<Transport> {
  const exec = execTransport(provider);
  if (wanted === 'exec') return exec;
  if (wanted === 'direct') return directTransport(provider, exec);
  const direct = await canReachNodes(provider);
  log?.info(
    direct
      ? 'reaching services through node addresses'
      : 'node addresses are not reachable from here; tunnelling through docker exec',
    {
      transport: direct ? 'direct' : 'exec',
    },
  );
  return direct ? directTransport(provider, exec) : exec;
}
