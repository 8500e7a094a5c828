// The node image build against the real Docker Engine, including the fallback to the
// offline build when docker:dind cannot be pulled. The pull goes to a closed port on
// loopback, so no traffic leaves the machine.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../docker/connect';
import { inspectImage } from '../docker/images';
import { requireDocker } from '../testing/requireDocker';
import { buildNodeImage, nodeEntrypointPath, nodeImageFingerprint, nodeImageLabels } from './nodeImage';
import { runToCompletion } from './testImages';

const dockerOk = await requireDocker('node image');

describe.skipIf(!dockerOk)('buildNodeImage', () => {
  const docker = connectDocker();
  const suffix = randomBytes(3).toString('hex');
  const tag = `wh-test/node-fallback:${suffix}`;
  const fromBase = `wh-test/node-from-base:${suffix}`;

  afterAll(async () => {
    for (const image of [fromBase, tag]) {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('falls back to the offline build, saying why, when docker:dind cannot be pulled', async () => {
    const steps: string[] = [];
    const built = await buildNodeImage(docker, {
      tag,
      source: 'dind',
      baseImage: '127.0.0.1:1/wh-test/dind:none',
      pullTimeoutMs: 10_000,
      onProgress: (step) => steps.push(step),
    });
    expect(built).toBe(tag);
    const fallback = steps.find((s) => s.startsWith('Could not pull'));
    expect(fallback).toMatch(
      /^Could not pull 127\.0\.0\.1:1\/wh-test\/dind:none \(.+\); building from this machine's own Docker programs instead\.$/,
    );
    expect(fallback).not.toMatch(/\n\s+at /);
    expect(steps.at(-1)).toBe(`Built the node image ${tag}.`);

    const image = await inspectImage(docker, tag);
    expect(image?.Config?.Labels).toMatchObject({
      [nodeImageLabels.kind]: 'node',
      [nodeImageLabels.source]: 'host',
      [nodeImageLabels.fingerprint]: nodeImageFingerprint(),
    });

    const again: string[] = [];
    await buildNodeImage(docker, { tag, source: 'dind', onProgress: (step) => again.push(step) });
    expect(again).toEqual([`The node image ${tag} already exists; nothing to build.`]);
  });

  it('builds FROM a Docker-in-Docker base image that Docker already has, adding the entrypoint', async () => {
    // The offline image stands in for docker:dind: it has a shell, dockerd and docker-init.
    const steps: string[] = [];
    await buildNodeImage(docker, { tag, source: 'host' });
    await buildNodeImage(docker, { tag: fromBase, source: 'dind', baseImage: tag, onProgress: (s) => steps.push(s) });
    expect(steps[0]).toBe(`Using ${tag}, which Docker already has.`);
    const image = await inspectImage(docker, fromBase);
    expect(image?.Config?.Entrypoint).toEqual(['docker-init', '--', nodeEntrypointPath]);
    expect(image?.Config?.Labels?.[nodeImageLabels.source]).toBe('dind');
    const listing = await runToCompletion(docker, {
      image: fromBase,
      entrypoint: ['sh', '-c'],
      cmd: [`test -x ${nodeEntrypointPath} && test -d /etc/wheelhouse/tls && echo ready`],
    });
    expect(listing.stdout.trim()).toBe('ready');
  });
});
