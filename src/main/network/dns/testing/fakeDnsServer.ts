// A tiny stand-in for an upstream resolver, for tests and benchmarks: it answers
// from a fixed table on 127.0.0.1 over UDP and TCP, and can be told to truncate
// every UDP answer (to exercise the TCP fallback) or to stay silent.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';

/** FakeDnsServerOptions say what the fake resolver knows and how it misbehaves. */
export interface FakeDnsServerOptions {
  /** Answers by "name/TYPE" in lower-case name, e.g. 'example.test/A'. */
  records?: Record<string, Answer[]>;
  /** Set TC and drop the answers on every UDP reply. */
  truncateUdp?: boolean;
  /** Never answer UDP queries (TCP still answers). */
  silentUdp?: boolean;
}

/** FakeDnsServer is a running fake resolver. */
export interface FakeDnsServer {
  /** '127.0.0.1:PORT', the form upstreams options take. */
  address: string;
  port: number;
  /** Questions received, as "transport name/TYPE". */
  seen: string[];
  close(): Promise<void>;
}

/** startFakeDnsServer starts a fake resolver on 127.0.0.1 (UDP and TCP on one port). */
export async function startFakeDnsServer(options: FakeDnsServerOptions = {}): Promise<FakeDnsServer> {
  const seen: string[] = [];
  const answer = (raw: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined => {
    const query = dnsPacket.decode(raw);
    const q = query.questions?.[0];
    if (!q) return undefined;
    seen.push(`${transport} ${q.name.toLowerCase()}/${q.type}`);
    const answers = options.records?.[`${q.name.toLowerCase()}/${q.type}`];
    const truncated = transport === 'udp' && options.truncateUdp === true;
    return dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags:
        dnsPacket.RECURSION_AVAILABLE |
        ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
        (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
        (answers ? 0 : 3),
      questions: query.questions,
      answers: truncated ? [] : (answers ?? []),
    });
  };

  // UDP picks a free port; TCP must get the same one, so a rare clash means trying again.
  let udp: UdpSocket;
  let port: number;
  let tcp: Server;
  const sockets = new Set<Socket>();
  for (let attempt = 0; ; attempt++) {
    udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    port = udp.address().port;
    tcp = createServer((socket) => serveTcp(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, '127.0.0.1', () => resolve());
      });
      break;
    } catch (err) {
      udp.close();
      if (attempt >= 10) throw err;
    }
  }
  udp.on('message', (msg, rinfo) => {
    if (options.silentUdp) return;
    const out = answer(msg, 'udp');
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });

  function serveTcp(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const len = buffered.readUInt16BE(0);
        const out = answer(buffered.subarray(2, 2 + len), 'tcp');
        buffered = buffered.subarray(2 + len);
        if (!out) continue;
        const frame = Buffer.alloc(2 + out.length);
        frame.writeUInt16BE(out.length, 0);
        out.copy(frame, 2);
        socket.write(frame);
      }
    });
  }

  return {
    address: `127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
