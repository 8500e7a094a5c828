// `wheelhouse cluster shell NAME NODE`: an interactive shell inside a node container,
// through the host Docker API (no docker CLI needed).
import type { Duplex } from 'node:stream';
import type { Command } from '../command';
import { requirePositional } from '../commonFlags';
import { UsageError } from '../args';
import { connectDocker } from '../../docker/connect';
import { probeDocker } from '../../docker/probe';
import { listNodeContainers } from '../../nodes';

/** shellCommand opens a shell in one node of a cluster. */
export const shellCommand: Command = {
  path: ['cluster', 'shell'],
  args: 'NAME NODE',
  summary: 'Open a shell inside a node of a cluster (its own dockerd, iptables and pod containers are there).',
  details: 'Pass a command after -- to run it instead of an interactive shell, e.g. `wheelhouse cluster shell dev worker-1 -- docker ps`.',
  async run(args) {
    const cluster = requirePositional(args, 0, 'the cluster NAME');
    const node = requirePositional(args, 1, 'the NODE name (see `kubectl get nodes`)');
    const command = args.positionals.length > 2 ? args.positionals.slice(2) : ['sh'];
    const docker = connectDocker();
    const status = await probeDocker(docker);
    if (!status.reachable) throw new UsageError(`${status.problem ?? 'Docker is not running.'} ${status.hint ?? ''}`.trim());
    const found = (await listNodeContainers(docker, cluster)).find((n) => n.name === node);
    if (!found) {
      const names = (await listNodeContainers(docker, cluster)).map((n) => n.name);
      throw new UsageError(
        names.length === 0
          ? `Cluster "${cluster}" has no nodes on this machine's Docker.`
          : `Cluster "${cluster}" has no node "${node}"; its nodes are ${names.join(', ')}.`,
      );
    }
    if (found.state !== 'running') throw new UsageError(`Node "${node}" is ${found.state}; start the cluster first.`);
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const exec = await docker.getContainer(found.containerId).exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: tty,
      Env: ['PS1=' + `${node}:\\w# `],
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty })) as unknown as Duplex;
    const resize = () => void exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
    if (tty) {
      process.stdin.setRawMode(true);
      stream.pipe(process.stdout);
      resize();
      process.stdout.on('resize', resize);
    } else {
      docker.modem.demuxStream(stream, process.stdout, process.stderr);
    }
    process.stdin.pipe(stream);
    await new Promise<void>((resolve) => stream.on('end', resolve).on('close', resolve));
    if (tty) process.stdin.setRawMode(false);
    process.stdin.unpipe(stream);
    process.stdin.pause();
    const { ExitCode } = await exec.inspect();
    return ExitCode ?? 0;
  },
};
