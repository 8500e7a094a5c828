// `wheelhouse node-image build`: builds the worker-node image on the host Docker.
import type { Command } from '../command';
import { connectDocker } from '../../docker/connect';
import { probeDocker } from '../../docker/probe';
import { buildNodeImage } from '../../nodes/nodeImage';

/** nodeImageBuildCommand builds wheelhouse/node:<version>, printing each step. */
export const nodeImageBuildCommand: Command = {
  path: ['node-image', 'build'],
  summary: 'Build the worker-node image (wheelhouse/node:VERSION) on the host Docker Engine.',
  details: 'Offline it is assembled from the host\'s own Docker binaries; where docker:dind can be pulled it is built from that.',
  flags: { force: { type: 'boolean', description: 'Rebuild even when the image already exists.' } },
  async run(args) {
    const docker = connectDocker();
    const status = await probeDocker(docker);
    if (!status.reachable) {
      process.stderr.write(`${status.problem ?? 'Docker is not running.'}${status.hint ? `\n${status.hint}` : ''}\n`);
      return 1;
    }
    const tag = await buildNodeImage(docker, {
      force: Boolean(args.flags.force),
      onProgress: (step) => process.stdout.write(` • ${step}\n`),
    });
    process.stdout.write(`Built ${tag}.\n`);
    return 0;
  },
};
