// DockerMonitor notices a Docker that goes away and comes back, using a fake socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DockerStatus } from '../../shared/gateway';
import { connectDocker } from './connect';
import { DockerMonitor } from './monitor';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fakeDocker(version: string): Server {
  return createServer((_, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ Version: version, ApiVersion: '1.41', Os: 'linux', KernelVersion: '6.1' }));
  });
}

function start(server: Server, path: string): Promise<void> {
  return new Promise((resolve) => server.listen(path, () => resolve()));
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function nextChange(monitor: DockerMonitor): Promise<DockerStatus> {
  return new Promise((resolve) => monitor.once('change', (status) => resolve(status)));
}

describe('DockerMonitor', () => {
  it('emits a change when Docker stops, starts again, and is upgraded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-monitor-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'docker.sock');
    let server = fakeDocker('20.10.0');
    await start(server, path);

    const monitor = new DockerMonitor({
      connect: () => connectDocker({ kind: 'socket', path }),
      intervalMs: 50,
      probe: { isInstalled: () => true, platform: 'linux' },
    });
    cleanups.push(() => monitor.stop());
    const statuses: DockerStatus[] = [];
    monitor.on('status', (s) => statuses.push(s));

    const first = nextChange(monitor);
    monitor.start();
    expect(await first).toMatchObject({ reachable: true, version: '20.10.0' });

    const down = nextChange(monitor);
    await stop(server);
    expect(await down).toMatchObject({ reachable: false, problem: 'Docker is not running.' });

    const up = nextChange(monitor);
    server = fakeDocker('24.0.0');
    await start(server, path);
    cleanups.push(() => stop(server));
    expect(await up).toMatchObject({ reachable: true, version: '24.0.0' });
    expect(monitor.status?.reachable).toBe(true);
    // Probes that change nothing do not emit 'change' but still report 'status'.
    expect(statuses.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a broken configuration as a status rather than throwing', async () => {
    const monitor = new DockerMonitor({
      connect: () => {
        throw new Error('DOCKER_HOST "ftp://x" uses an unsupported scheme; use unix://, tcp://, npipe:// or ssh://.');
      },
    });
    const status = await monitor.probeNow();
    expect(status.reachable).toBe(false);
    expect(status.problem).toContain('unsupported scheme');
  });
});
