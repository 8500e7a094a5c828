// Keeps one node agent (kubelet) running per running worker node. A node container
// that restarts comes back with a new engine port and without its pod routes, so the
// supervisor notices the change, marks the node NotReady until its Docker Engine answers
// again, reprograms the pod network and starts a fresh agent, which re-adopts the pods'
// containers. Agents of stopped nodes are stopped.
import type Docker from 'dockerode';
import { startNodeAgent, type NodeAgent } from '../agent';
import type { ApiClient } from '../apiserver/client/apiClient';
import type { TokenRequester } from '../apiserver/auth/serviceAccountTokens';
import type { Node } from '../apiserver/kinds/node';
import type { Condition } from '../apiserver/kinds/types';
import type { Logger } from '../log';
import type { NodeInfo, NodeProvider } from '../nodes';

interface Supervised {
  agent: NodeAgent;
  containerId: string;
  enginePort?: number;
}

/** AgentSupervisorOptions are what the agents need. */
export interface AgentSupervisorOptions {
  provider: NodeProvider;
  client: ApiClient;
  hostDocker: Docker;
  clusterDns?: string;
  /** Asks for service account tokens for the pods' projected token volumes. */
  requestToken?: TokenRequester;
  log: Logger;
  /** How often node containers are checked (default 2 s). */
  intervalMs?: number;
  /** Called after agents were started for new or restarted nodes. */
  onAgentsChanged?: () => void;
}

/** AgentSupervisor runs the node agents of one cluster. */
export class AgentSupervisor {
  private readonly agents = new Map<string, Supervised>();
  /** Nodes whose agent stopped because their container stopped running. */
  private readonly interrupted = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: AgentSupervisorOptions) {}

  /** agent returns the running agent of a node, if any. */
  agent(nodeName: string): NodeAgent | undefined {
    return this.agents.get(nodeName)?.agent;
  }

  /** start starts agents for the running nodes now and keeps checking. */
  async start(): Promise<void> {
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.options.intervalMs ?? 2000);
    this.timer.unref();
  }

  /** reconcile brings the agents in line with the node containers (one pass at a time). */
  reconcile(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** stop stops every agent; the pods keep running. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.all([...this.agents.values()].map((s) => s.agent.stop().catch(() => undefined)));
    this.agents.clear();
  }

  /** markNotReady reports a node's Ready condition False while its container runtime is down. */
  private async markNotReady(node: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const nodes = this.options.client.resource<Node>('v1/nodes');
    const current = await nodes.tryGet(undefined, node);
    const ready = current?.status?.conditions?.find((c) => c.type === 'Ready');
    if (!current || (ready?.status === 'False' && ready.reason === 'KubeletNotReady')) return;
    const condition: Condition = {
      type: 'Ready',
      status: 'False',
      reason: 'KubeletNotReady',
      message: "container runtime is down: the node's Docker Engine stopped and is starting again",
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    };
    await nodes.patchStatus(undefined, node, { status: { conditions: [condition] } }, 'strategic');
  }

  private async pass(): Promise<void> {
    const { provider, log } = this.options;
    let nodes: NodeInfo[];
    try {
      nodes = await provider.listNodes();
    } catch (err) {
      log.warn('could not list node containers', { error: err });
      return;
    }
    const present = new Set(nodes.map((n) => n.name));
    for (const [name, supervised] of this.agents) {
      const node = nodes.find((n) => n.name === name);
      if (!present.has(name) || node?.state !== 'running') {
        this.agents.delete(name);
        if (present.has(name)) this.interrupted.add(name);
        await supervised.agent.stop().catch(() => undefined);
      }
    }
    let startedAny = false;
    for (const node of nodes) {
      if (this.stopped || node.state !== 'running' || !node.enginePort) continue;
      const current = this.agents.get(node.name);
      if (current && current.containerId === node.containerId && current.enginePort === node.enginePort) continue;
      try {
        if (current) {
          this.agents.delete(node.name);
          await current.agent.stop().catch(() => undefined);
        }
        if (current || this.interrupted.has(node.name)) {
          // The node container restarted (its dockerd died, or Docker restarted it): its
          // pods are gone until the new agent starts them again, so it is not Ready.
          await this.markNotReady(node.name).catch((err) => log.warn('could not mark the node NotReady', { node: node.name, error: err }));
        }
        const ready = await provider.waitForNode(node.name, { timeoutMs: 30_000 });
        startedAny = true;
        const agent = await startNodeAgent({
          client: this.options.client,
          node: provider.runtime(ready),
          hostDocker: this.options.hostDocker,
          clusterDns: this.options.clusterDns,
          requestToken: this.options.requestToken,
          log: log.child(node.name),
        });
        if (this.stopped) {
          await agent.stop();
          return;
        }
        this.agents.set(node.name, { agent, containerId: ready.containerId, enginePort: ready.enginePort });
        this.interrupted.delete(node.name);
      } catch (err) {
        log.warn('could not start the node agent', { node: node.name, error: err });
      }
    }
    // A (re)started node may have lost its routes to the other nodes' pods, and they to
    // it; programming them again is idempotent.
    if (startedAny) {
      await provider.programPodNetwork().catch((err) => log.warn('could not program the pod network', { error: err }));
      this.options.onAgentsChanged?.();
    }
  }
}
