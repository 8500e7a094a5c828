// The API relay: how pods reach the API server, which listens on 127.0.0.1 only. A
// plain TCP forwarder listens on the gateway address of the cluster's Docker network
// (an address of the host on that private bridge, where cluster DNS listens too) and
// pipes every connection to the API server's loopback port. default/kubernetes
// (10.96.0.1:443) has this address as its only endpoint, so kube-proxy sends pod
// traffic for https://kubernetes.default.svc here.
//
// Why this is safe: the relay never looks into the bytes, so everything through it is
// the API server's own TLS, with the same authentication (service account tokens,
// client certificates) and authorization as on the loopback port; the relay adds no
// trust. The address it listens on belongs to the cluster's private bridge, and
// connections from outside that network's subnet are closed at once, so other
// machines cannot use it even when they could route to the address.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Logger } from '../log';

/** ApiRelayOptions say where the relay listens and where it forwards to. */
export interface ApiRelayOptions {
  /** The address to listen on (the cluster network's gateway). */
  host: string;
  /** The port to try first (the API server's, so the kubernetes Service's targetPort is true); another is taken when it is in use. */
  port?: number;
  /** The API server's address. */
  target: { host: string; port: number };
  /** Only clients in this IPv4 subnet (CIDR) are served; all are when absent. */
  allowCidr?: string;
  log: Logger;
}

/** ApiRelay is a running relay. */
export interface ApiRelay {
  host: string;
  port: number;
  /** stop stops listening and closes every relayed connection. */
  stop(): Promise<void>;
}

function ipv4Number(ip: string): number | undefined {
  const parts = ip.replace(/^::ffff:/, '').split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** inCidr tells whether an IPv4 address (plain or IPv4-mapped) lies in a CIDR such as 172.18.0.0/16. */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const ip = ipv4Number(address);
  const net = ipv4Number(base);
  const prefix = Number(bits);
  if (ip === undefined || net === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(ip / size) === Math.floor(net / size);
}

async function listenOn(server: Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** startApiRelay starts relaying connections to the API server. */
export async function startApiRelay(options: ApiRelayOptions): Promise<ApiRelay> {
  const { log, target } = options;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const from = client.remoteAddress ?? '';
    if (options.allowCidr && !inCidr(from, options.allowCidr)) {
      log.debug('refused a connection from outside the cluster network', { from });
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    // Either side failing ends both: a half-open TLS stream helps nobody.
    client.on('error', () => upstream.destroy());
    upstream.on('error', (err) => {
      log.debug('could not reach the API server for a relayed connection', { error: err.message });
      client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  try {
    await listenOn(server, options.host, options.port ?? 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.port) throw err;
    await listenOn(server, options.host, 0);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log.debug('API relay listening', { host: options.host, port, target: `${target.host}:${target.port}` });
  return {
    host: options.host,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
