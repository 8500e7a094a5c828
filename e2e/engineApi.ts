// Talking to a test engine's gateway directly, as the CLI does: the per-launch
// bearer token from DATA_DIR/gateway.json. Tests use it to act on a cluster the way
// kubectl would (create a pod) and to clean up what they made.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appRoutes, type ClusterSummary, type GatewayInfo } from '../src/shared/gateway';
import type { RunningEngine } from './engine';

/** EngineApi calls a running engine's gateway with its bearer token. */
export class EngineApi {
  private constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  /** connect reads the engine's gateway.json for its token. */
  static async connect(engine: RunningEngine): Promise<EngineApi> {
    const info = JSON.parse(await readFile(join(engine.dataDir, 'gateway.json'), 'utf8')) as GatewayInfo;
    return new EngineApi(engine.origin, info.token);
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(new URL(path, this.origin), {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** clusters lists the engine's clusters. */
  async clusters(): Promise<ClusterSummary[]> {
    return (await this.call('GET', appRoutes.clusters)).json as ClusterSummary[];
  }

  /** deleteClusterIfPresent removes a cluster a test made, whatever state the test left it in. */
  async deleteClusterIfPresent(name: string): Promise<void> {
    if ((await this.clusters()).some((c) => c.name === name)) await this.call('DELETE', appRoutes.cluster(name));
  }

  /** createPod creates a pod through the cluster's Kubernetes API, as kubectl would. */
  async createPod(cluster: string, namespace: string, name: string, labels: Record<string, string>): Promise<void> {
    const { status, json } = await this.call('POST', `${appRoutes.kubeApi(cluster)}/api/v1/namespaces/${namespace}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { containers: [{ name: 'web', image: 'busybox:stable', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'MODE', value: 'e2e' }] }] },
    });
    if (status !== 201) throw new Error(`Creating pod ${namespace}/${name} answered ${status}: ${JSON.stringify(json)}`);
  }
}
