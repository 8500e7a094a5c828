// A stand-in Docker socket that forwards to the real Docker Engine and can be
// switched off and on. To the engine it looks exactly like dockerd stopping and
// starting, without stopping the machine's real dockerd under other tests.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

/** realDockerSocket is where the machine's Docker Engine listens. */
export function realDockerSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

/** DockerSwitch forwards a socket path to the real Docker socket while it is on. */
export class DockerSwitch {
  private server?: Server;
  private readonly open = new Set<Socket>();

  constructor(readonly path: string) {}

  /** dockerHost is the DOCKER_HOST value that points at this switch. */
  get dockerHost(): string {
    return `unix://${this.path}`;
  }

  /** on starts forwarding. */
  async on(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => {
      const upstream = createConnection(realDockerSocket());
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => s.destroy());
      }
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
