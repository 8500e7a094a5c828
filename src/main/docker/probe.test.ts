// probeDocker against fake sockets: missing, stale, silent, not Docker, and a fake Docker.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDocker } from './connect';
import { explainDockerError, probeDocker } from './probe';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function scratchSocket(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-probe-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'docker.sock');
}

function listen(server: Server | HttpServer, path: string): Promise<void> {
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new Promise((resolve) => server.listen(path, () => resolve()));
}

// A fake Docker answers /version the way Docker Engine does.
function fakeDockerServer(): HttpServer {
  return createHttpServer((req, res) => {
    if (req.url?.endsWith('/version')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Version: '99.0.1', ApiVersion: '1.99', Os: 'linux', KernelVersion: '6.1.0-test' }));
    } else {
      res.statusCode = 404;
      res.end('{"message":"page not found"}');
    }
  });
}

describe('probeDocker', () => {
  it('reports version, API version, OS and kernel when Docker answers', async () => {
    const path = scratchSocket();
    await listen(fakeDockerServer(), path);
    const status = await probeDocker(connectDocker({ kind: 'socket', path }));
    expect(status).toMatchObject({
      reachable: true,
      endpoint: `unix://${path}`,
      version: '99.0.1',
      apiVersion: '1.99',
      os: 'linux',
      kernelVersion: '6.1.0-test',
    });
    expect(status.problem).toBeUndefined();
  });

  it('says Docker is not running when its socket is missing but Docker is installed', async () => {
    const docker = connectDocker({ kind: 'socket', path: scratchSocket() });
    const status = await probeDocker(docker, { platform: 'linux', isInstalled: () => true });
    expect(status.reachable).toBe(false);
    expect(status.problem).toBe('Docker is not running.');
    expect(status.hint).toContain('sudo dockerd');
    expect(status.hint).toContain('scripts/install-docker.sh');
  });

  it('says Docker is not installed when neither the socket nor its programs exist', async () => {
    const docker = connectDocker({ kind: 'socket', path: scratchSocket() });
    const mac = await probeDocker(docker, { platform: 'darwin', isInstalled: () => false });
    expect(mac.problem).toBe('Docker is not installed.');
    expect(mac.hint).toContain('Docker Desktop');
    const linux = await probeDocker(docker, { platform: 'linux', isInstalled: () => false });
    expect(linux.hint).toContain('apt-get install docker.io');
  });

  it('says Docker is not running when the socket is stale (nobody listens)', async () => {
    const path = scratchSocket();
    // A killed process leaves its socket file behind, as a crashed dockerd does.
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(path)).toBe(true);
    const status = await probeDocker(connectDocker({ kind: 'socket', path }), {
      platform: 'darwin',
      isInstalled: () => true,
    });
    expect(status.problem).toBe('Docker is not running.');
    expect(status.hint).toContain('Start Docker Desktop');
  });

  it('gives up quickly when Docker accepts the connection but never answers', async () => {
    const path = scratchSocket();
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await listen(server, path);
    cleanups.push(() => sockets.forEach((s) => s.destroy()));
    const started = Date.now();
    const status = await probeDocker(connectDocker({ kind: 'socket', path }), { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(status.reachable).toBe(false);
    expect(status.problem).toBe('Docker did not answer within 1 second.');
  });

  it('notices when something other than Docker answers', async () => {
    const path = scratchSocket();
    await listen(
      createHttpServer((_, res) => res.end('hello')),
      path,
    );
    const status = await probeDocker(connectDocker({ kind: 'socket', path }));
    expect(status.reachable).toBe(false);
    expect(status.problem).toContain('not Docker');
  });

  it('names the address when a tcp Docker host refuses connections', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const status = await probeDocker(connectDocker({ kind: 'tcp', host: '127.0.0.1', port }));
    expect(status.problem).toBe(`Docker is not answering at tcp://127.0.0.1:${port}.`);
    expect(status.hint).toContain('DOCKER_HOST');
  });
});

describe('explainDockerError', () => {
  it('explains a permission problem on the socket with the docker group fix', () => {
    const why = explainDockerError(
      Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES' }),
      {
        endpoint: 'unix:///var/run/docker.sock',
        platform: 'linux',
        installed: () => true,
      },
    );
    expect(why.problem).toBe('Permission denied on the Docker socket /var/run/docker.sock.');
    expect(why.hint).toContain('usermod -aG docker');
  });

  it('never includes a stack trace', () => {
    const err = new Error('boom');
    const why = explainDockerError(err, { endpoint: 'unix:///x', platform: 'linux', installed: () => true });
    expect(`${why.problem} ${why.hint}`).not.toMatch(/\n\s+at |boom/);
    expect(why.problem.split('. ').length).toBe(1);
  });
});
