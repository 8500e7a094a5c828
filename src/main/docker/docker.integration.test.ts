// The Docker helpers against the real Docker Engine: probe, monitor, exec, import.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBusyboxImage, testBusyboxImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { connectDocker } from './connect';
import { execInContainer } from './exec';
import { inspectImage } from './images';
import { DockerMonitor } from './monitor';
import { probeDocker } from './probe';

const dockerOk = await requireDocker('docker helpers');

describe.skipIf(!dockerOk)('Docker helpers with the real Docker Engine', () => {
  const docker = connectDocker();
  const name = `wh-test-exec-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    await ensureBusyboxImage(docker);
    const container = await docker.createContainer({
      name,
      Image: testBusyboxImage,
      Cmd: ['sleep', '300'],
      Labels: { 'io.wheelhouse.test': 'docker-helpers' },
    });
    await container.start();
  });

  afterAll(async () => {
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('probes the engine and reports its version, API version, OS and kernel', async () => {
    const status = await probeDocker(docker);
    expect(status.reachable).toBe(true);
    expect(status.version).toMatch(/^\d+\.\d+/);
    expect(status.apiVersion).toMatch(/^1\.\d+$/);
    expect(status.os).toBe('linux');
    expect(status.kernelVersion).toBeTruthy();
    expect(status.endpoint).toMatch(/^(unix|tcp|npipe|ssh):\/\//);
  });

  it('has the monitor report the engine as reachable', async () => {
    const monitor = new DockerMonitor();
    const status = await monitor.waitUntilReachable(5_000);
    monitor.stop();
    expect(status.reachable).toBe(true);
  });

  it('imports the busybox test image from a streamed root file system', async () => {
    const image = await inspectImage(docker, testBusyboxImage);
    expect(image?.Config?.Env).toContain('PATH=/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('runs commands in a container with exit codes, stdout, stderr and stdin', async () => {
    const ok = await execInContainer(docker, name, ['sh', '-c', 'echo out; echo err >&2']);
    expect(ok).toEqual({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
    const failed = await execInContainer(docker, name, ['sh', '-c', 'exit 3']);
    expect(failed.exitCode).toBe(3);
    const piped = await execInContainer(docker, name, ['sh', '-c', 'tr a-z A-Z'], { stdin: 'shout\n' });
    expect(piped.stdout).toBe('SHOUT\n');
  });
});
