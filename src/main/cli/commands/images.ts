// `wheelhouse node-image build` and `wheelhouse image load`: images for the nodes.
import type { Command } from '../command';
import { connectDocker } from '../../docker/connect';
import { probeDocker } from '../../docker/probe';
import { buildNodeImage } from '../../nodes/nodeImage';
import { appRoutes, type ClusterSummary } from '../../../shared/gateway';
import { UsageError } from '../args';
import { dataDirFlag, dataDirOf, requirePositional } from '../commonFlags';
import { connectGateway } from '../gatewayClient';
import { withProgress } from './progress';

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

/** imageLoadCommand side-loads an image from this machine's Docker into a cluster's nodes. */
export const imageLoadCommand: Command = {
  path: ['image', 'load'],
  args: 'IMAGE',
  summary: "Copy an image from this machine's Docker into every node of a cluster (works offline).",
  details: 'Without --cluster the image goes into every running cluster.',
  flags: {
    ...dataDirFlag,
    cluster: { type: 'string', value: 'NAME', description: 'The cluster to load the image into.' },
  },
  async run(args) {
    const image = requirePositional(args, 0, 'the IMAGE to load');
    const gateway = await connectGateway(dataDirOf(args));
    const named = typeof args.flags.cluster === 'string' ? [args.flags.cluster] : undefined;
    const clusters =
      named ?? (await gateway.request<ClusterSummary[]>('GET', appRoutes.clusters)).filter((c) => c.state === 'running').map((c) => c.name);
    if (clusters.length === 0) throw new UsageError('No cluster is running. Start one, or name it with --cluster NAME.');
    for (const cluster of clusters) {
      process.stdout.write(`Loading ${image} into cluster "${cluster}"...\n`);
      const result = await withProgress(gateway, cluster, () =>
        gateway.request<{ nodes: string[] }>('POST', appRoutes.clusterAction(cluster, 'images'), { image }),
      );
      process.stdout.write(`Loaded ${image} into ${result.nodes.join(', ')}.\n`);
    }
    return 0;
  },
};
