// `wheelhouse status` and `wheelhouse version`.
import type { Command } from '../command';
import { dataDirFlag, dataDirOf } from '../commonFlags';
import { EngineUnavailable, connectGateway } from '../gatewayClient';
import { appRoutes, type DockerStatus, type EngineStatus } from '../../../shared/gateway';
import { appVersion } from '../../../shared/version';
import { connectDocker } from '../../docker/connect';
import { probeDocker } from '../../docker/probe';

function dockerLines(docker: DockerStatus): string[] {
  if (docker.reachable) {
    return [`Docker:   running (Docker Engine ${docker.version ?? '?'}, ${docker.os ?? 'unknown OS'}) at ${docker.endpoint}`];
  }
  const lines = [`Docker:   ${docker.problem ?? 'Docker is not running.'}`];
  if (docker.hint) lines.push(`          ${docker.hint}`);
  return lines;
}

/** statusCommand reports the engine, Docker and the clusters; exit 1 when something is down. */
export const statusCommand: Command = {
  path: ['status'],
  summary: 'Show whether the engine and Docker are running, and list the clusters.',
  flags: { ...dataDirFlag, json: { type: 'boolean', description: 'Print the status as JSON.' } },
  async run(args) {
    const dataDir = dataDirOf(args);
    let status: EngineStatus | undefined;
    try {
      status = await (await connectGateway(dataDir)).request<EngineStatus>('GET', appRoutes.status);
    } catch (err) {
      if (!(err instanceof EngineUnavailable)) throw err;
      // No engine: still tell people about Docker, which is the usual next problem.
      const docker = await probeDocker(connectDocker());
      if (args.flags.json) {
        process.stdout.write(JSON.stringify({ engine: 'stopped', dataDir, docker }, null, 2) + '\n');
      } else {
        process.stdout.write([`Engine:   not running (${err.message})`, ...dockerLines(docker)].join('\n') + '\n');
      }
      return 1;
    }
    if (args.flags.json) {
      process.stdout.write(JSON.stringify(status, null, 2) + '\n');
    } else {
      const lines = [
        `Engine:   running, Wheelhouse ${status.version} (${status.host === 'electron' ? 'desktop app' : 'browser mode'})`,
        `Data dir: ${status.dataDir}`,
        ...dockerLines(status.docker),
        status.clusters.length === 0
          ? 'Clusters: none yet (create one with `wheelhouse cluster create NAME`)'
          : `Clusters: ${status.clusters.map((c) => `${c.name} (${c.state})`).join(', ')}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return status.docker.reachable ? 0 : 1;
  },
};

/** versionCommand prints the Wheelhouse version. */
export const versionCommand: Command = {
  path: ['version'],
  summary: 'Print the Wheelhouse version.',
  async run() {
    process.stdout.write(`wheelhouse ${appVersion}\n`);
    return 0;
  },
};
