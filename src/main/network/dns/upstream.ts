// Forwarding of names outside the cluster to the host's resolvers: which resolvers
// (the host's /etc/resolv.conf, else what Node's resolver was configured with, or an
// explicit list), and the exchange itself: UDP with a short timeout, TCP when the UDP
// answer is truncated, the next resolver when one refuses or stays silent, and a
// preference for resolvers that answered lately. A query that no resolver answers
// in time yields undefined, which the server turns into SERVFAIL.
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { connect, isIP, isIPv6, type Socket } from 'node:net';
import { createLogger, type Logger } from '../../log';
import { isResponse, isTruncated, questionKey } from './wire';

/** Upstream is one resolver to forward to. */
export interface Upstream {
  host: string;
  port: number;
}

/** defaultUpstreamTimeoutMs is how long one resolver gets to answer over UDP. */
export const defaultUpstreamTimeoutMs = 1500;

/** parseUpstream reads '10.0.0.2', '10.0.0.2:5353', '::1' or '[::1]:5353'; undefined when it is no address. */
export function parseUpstream(text: string): Upstream | undefined {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed)
    return isIPv6(bracketed[1]) ? { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : 53 } : undefined;
  if (isIP(value)) return { host: value, port: 53 };
  const hostPort = /^([^:]+):(\d+)$/.exec(value);
  if (hostPort && isIP(hostPort[1]) && Number(hostPort[2]) > 0 && Number(hostPort[2]) < 65536)
    return { host: hostPort[1], port: Number(hostPort[2]) };
  return undefined;
}

/** parseResolvConf returns the nameserver addresses of a resolv.conf, in order. */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const words = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (words[0] === 'nameserver' && words[1] && isIP(words[1])) out.push(words[1]);
  }
  return out;
}

/**
 * systemUpstreams returns the host's resolvers: the nameservers of resolv.conf
 * (a loopback stub such as systemd-resolved's 127.0.0.53 is fine: the forwarder runs
 * on the host), else the servers Node's resolver was configured with (Windows).
 */
export async function systemUpstreams(resolvConf = '/etc/resolv.conf'): Promise<Upstream[]> {
  let names: string[] = [];
  try {
    names = parseResolvConf(await readFile(resolvConf, 'utf8'));
  } catch {
    names = [];
  }
  if (names.length === 0) names = getServers();
  return names.map(parseUpstream).filter((u): u is Upstream => u !== undefined);
}

/** ForwarderOptions tune forwarding. */
export interface ForwarderOptions {
  /** How long one resolver gets over UDP (default 1.5 s); the whole forward gets at most twice that. */
  timeoutMs?: number;
  /** How many forwards may be in flight at once; more are refused at once (default 1000). */
  maxInFlight?: number;
  log?: Logger;
}

/** How long a resolver that failed goes to the back of the line. */
const penaltyMs = 30_000;

class ExchangeError extends Error {}

/** Forwarder sends queries to upstream resolvers. */
export class Forwarder {
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private readonly log: Logger;
  private readonly failedAt = new Map<Upstream, number>();
  private readonly inFlight = new Set<() => void>();
  private closed = false;

  constructor(
    readonly upstreams: Upstream[],
    options: ForwarderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? defaultUpstreamTimeoutMs;
    this.maxInFlight = options.maxInFlight ?? 1000;
    this.log = options.log ?? createLogger('dns/forward');
  }

  /** ordered returns the resolvers to try, those that failed lately last. */
  private ordered(): Upstream[] {
    const now = Date.now();
    const fresh = (u: Upstream) => now - (this.failedAt.get(u) ?? -Infinity) > penaltyMs;
    return [...this.upstreams.filter(fresh), ...this.upstreams.filter((u) => !fresh(u))];
  }

  /**
   * forward sends a raw query upstream and resolves to the raw response, carrying the
   * query's own id, or to undefined when no resolver answered in time. It never rejects.
   */
  async forward(query: Buffer): Promise<Buffer | undefined> {
    if (this.closed || this.upstreams.length === 0 || query.length < 12) return undefined;
    if (this.inFlight.size >= this.maxInFlight) return undefined;
    const clientId = query.readUInt16BE(0);
    const out = Buffer.from(query);
    // A fresh random id per forward makes a forged answer from a third party hard to slip in.
    out.writeUInt16BE(randomInt(0, 0x10000), 0);
    const deadline = Date.now() + this.timeoutMs * Math.min(2, this.upstreams.length);
    for (const upstream of this.ordered()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.closed) break;
      try {
        let response = await this.exchange(upstream, out, Math.min(this.timeoutMs, remaining), 'udp');
        if (isTruncated(response)) {
          // The full answer comes over TCP; when that fails the client can still retry over TCP itself.
          response = await this.exchange(upstream, out, this.timeoutMs, 'tcp').catch(() => response);
        }
        this.failedAt.delete(upstream);
        const copy = Buffer.from(response);
        copy.writeUInt16BE(clientId, 0);
        return copy;
      } catch (err) {
        if (this.closed) break;
        this.failedAt.set(upstream, Date.now());
        this.log.debug('upstream resolver did not answer', {
          upstream: `${upstream.host}:${upstream.port}`,
          error: err,
        });
      }
    }
    return undefined;
  }

  /** close aborts every forward in flight; later forwards resolve to undefined. */
  close(): void {
    this.closed = true;
    for (const abort of [...this.inFlight]) abort();
  }

  private exchange(upstream: Upstream, query: Buffer, timeoutMs: number, transport: 'udp' | 'tcp'): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const id = query.readUInt16BE(0);
      const question = questionKey(query);
      let release: () => void = () => undefined;
      let done = false;
      const finish = (err: Error | undefined, response?: Buffer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.inFlight.delete(abort);
        release();
        if (err) reject(err);
        else resolve(response!);
      };
      const abort = () => finish(new ExchangeError('the DNS server is stopping'));
      const timer = setTimeout(() => finish(new ExchangeError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.inFlight.add(abort);
      const accept = (response: Buffer): boolean =>
        response.length >= 12 &&
        response.readUInt16BE(0) === id &&
        isResponse(response) &&
        questionKey(response) === question;

      if (transport === 'udp') {
        const udp: UdpSocket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4');
        release = () => {
          try {
            udp.close();
          } catch {
            // Already closed.
          }
        };
        udp.on('error', (err) => finish(err));
        // Only the resolver's own answer counts: a stray datagram with a wrong id or question is dropped.
        udp.on('message', (msg) => {
          if (accept(msg)) finish(undefined, msg);
        });
        // A connected socket reports an ICMP "port unreachable" as an error at once, instead of waiting for the timeout.
        udp.connect(upstream.port, upstream.host, () => {
          if (done) return;
          try {
            udp.send(query, (err) => {
              if (err) finish(err);
            });
          } catch (err) {
            finish(err as Error);
          }
        });
        return;
      }

      const tcp: Socket = connect({ host: upstream.host, port: upstream.port });
      release = () => tcp.destroy();
      tcp.setNoDelay(true);
      let buffered = Buffer.alloc(0);
      tcp.on('connect', () => {
        const frame = Buffer.alloc(2 + query.length);
        frame.writeUInt16BE(query.length, 0);
        query.copy(frame, 2);
        tcp.write(frame);
      });
      tcp.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2) {
          const len = buffered.readUInt16BE(0);
          if (buffered.length < 2 + len) return;
          const msg = buffered.subarray(2, 2 + len);
          buffered = buffered.subarray(2 + len);
          if (accept(msg)) return finish(undefined, Buffer.from(msg));
        }
      });
      tcp.on('error', (err) => finish(err));
      tcp.on('close', () => finish(new ExchangeError('the resolver closed the connection without answering')));
    });
  }
}
