// The node's Docker as the agent sees it: a pod's containers read back from their
// labels and inspected into ObservedContainers, and the few operations the agent
// performs on them (create, start, stop with a grace period, remove).
import type Docker from 'dockerode';
import { dockerStatusCode } from '../docker/errors';
import { agentLabels, type ContainerKind } from './labels';
import { dockerTime, type ObservedContainer } from './podStatus';

/** ContainerSummary is a managed container as listed (without inspecting it). */
export interface ContainerSummary {
  id: string;
  podUid: string;
  podName: string;
  podNamespace: string;
  name: string;
  kind: ContainerKind;
  attempt: number;
  state: string;
  gracePeriod?: number;
}

function kindOf(labels: Record<string, string>): ContainerKind {
  const kind = labels[agentLabels.kind];
  if (kind === 'pause' || kind === 'init' || kind === 'app') return kind;
  return labels[agentLabels.dockerType] === 'podsandbox' ? 'pause' : 'app';
}

/** observedFromInspect turns Docker's inspect answer into an ObservedContainer. */
export function observedFromInspect(info: Docker.ContainerInspectInfo): ObservedContainer {
  const labels = info.Config?.Labels ?? {};
  const state = info.State;
  const networks = info.NetworkSettings?.Networks ?? {};
  const ip = info.NetworkSettings?.IPAddress || Object.values(networks).find((n) => n?.IPAddress)?.IPAddress || undefined;
  return {
    id: info.Id,
    name: labels[agentLabels.containerName] ?? '',
    kind: kindOf(labels),
    attempt: Number(labels[agentLabels.restartCount] ?? 0) || 0,
    state: state?.Status ?? 'unknown',
    exitCode: state?.ExitCode ?? 0,
    startedAt: dockerTime(state?.StartedAt),
    finishedAt: dockerTime(state?.FinishedAt),
    oomKilled: state?.OOMKilled === true,
    error: state?.Error || undefined,
    imageId: info.Image ?? '',
    hash: labels[agentLabels.hash],
    ip,
  };
}

/** DockerPods is the pod-level view of a node's Docker. */
export class DockerPods {
  constructor(readonly docker: Docker) {}

  /** listManaged lists every container the agent created in the node. */
  async listManaged(): Promise<ContainerSummary[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${agentLabels.managed}=true`] } });
    return containers.map((c) => {
      const labels = c.Labels ?? {};
      const grace = Number(labels[agentLabels.gracePeriod]);
      return {
        id: c.Id,
        podUid: labels[agentLabels.podUid] ?? '',
        podName: labels[agentLabels.podName] ?? '',
        podNamespace: labels[agentLabels.podNamespace] ?? '',
        name: labels[agentLabels.containerName] ?? '',
        kind: kindOf(labels),
        attempt: Number(labels[agentLabels.restartCount] ?? 0) || 0,
        state: c.State,
        gracePeriod: Number.isFinite(grace) ? grace : undefined,
      };
    });
  }

  /** podContainers inspects every container of one pod (all attempts). */
  async podContainers(uid: string): Promise<ObservedContainer[]> {
    const listed = await this.docker.listContainers({
      all: true,
      filters: { label: [`${agentLabels.managed}=true`, `${agentLabels.podUid}=${uid}`] },
    });
    const inspected = await Promise.all(
      listed.map(async (c) => {
        try {
          return observedFromInspect(await this.docker.getContainer(c.Id).inspect());
        } catch (err) {
          // Removed between the list and the inspect.
          if (dockerStatusCode(err) === 404) return undefined;
          throw err;
        }
      }),
    );
    return inspected.filter((c): c is ObservedContainer => c !== undefined);
  }

  /** inspect inspects one container; undefined when it is gone. */
  async inspect(id: string): Promise<ObservedContainer | undefined> {
    try {
      return observedFromInspect(await this.docker.getContainer(id).inspect());
    } catch (err) {
      if (dockerStatusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /** create creates a container, replacing a leftover with the same name (from an interrupted start). */
  async create(options: Docker.ContainerCreateOptions): Promise<string> {
    try {
      return (await this.docker.createContainer(options)).id;
    } catch (err) {
      if (dockerStatusCode(err) !== 409 || !options.name) throw err;
      await this.remove(options.name);
      return (await this.docker.createContainer(options)).id;
    }
  }

  /** start starts a created container. */
  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      // 304: it runs already.
      if (dockerStatusCode(err) !== 304) throw err;
    }
  }

  /** stop sends SIGTERM (or the image's stop signal), then SIGKILL after graceSeconds. */
  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.round(graceSeconds)) });
    } catch (err) {
      const code = dockerStatusCode(err);
      if (code !== 304 && code !== 404) throw err;
    }
  }

  /** remove removes a container (and its anonymous volumes); a missing one is not an error. */
  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const code = dockerStatusCode(err);
      // 409: removal already in progress.
      if (code !== 404 && code !== 409) throw err;
    }
  }
}
