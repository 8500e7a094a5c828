// A stand-in for the Docker socket that forwards to the real one and can be switched
// off and on. Pointing an engine at it and switching it off looks to the engine exactly
// like dockerd stopping, without stopping the machine's dockerd under other tests.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

/** SocketSwitch forwards connections on `path` to `upstream` while it is on. */
export class SocketSwitch {
  private server?: Server;
  private readonly open = new Set<Socket>();

  /** path is where the switch listens; upstream is the real socket (default /var/run/docker.sock). */
  constructor(
    readonly path: string,
    readonly upstream = '/var/run/docker.sock',
  ) {}

  /** isOn tells whether the switch forwards. */
  get isOn(): boolean {
    return this.server !== undefined;
  }

  /** on starts forwarding. */
  async on(): Promise<void> {
    if (this.server) return;
    rmSync(this.path, { force: true });
    const server = createServer((client) => {
      const upstream = createConnection(this.upstream);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => s.destroy());
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.path, resolve));
    this.server = server;
  }

  /** off stops forwarding and drops every open connection, like a stopped dockerd. */
  async off(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.open) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}
