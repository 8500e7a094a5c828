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

  private async call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
    const response = await fetch(new URL(path, this.origin), {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': contentType, Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** createCluster creates a local cluster through the app API and resolves once it runs. */
  async createCluster(name: string, workers: number): Promise<ClusterSummary> {
    const { status, json } = await this.call('POST', appRoutes.clusters, { name, workers });
    if (status !== 201) throw new Error(`Creating cluster ${name} answered ${status}: ${JSON.stringify(json)}`);
    return json as ClusterSummary;
  }

  /** kube calls a cluster's Kubernetes API, e.g. kube('dev', 'GET', '/api/v1/nodes'). */
  async kube(cluster: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    return this.call(method, `${appRoutes.kubeApi(cluster)}${path}`, body);
  }

  /** mergePatch applies a JSON merge patch to one object of a cluster, e.g. to drop its finalizers. */
  async mergePatch(cluster: string, path: string, patch: unknown): Promise<void> {
    const { status, json } = await this.call('PATCH', `${appRoutes.kubeApi(cluster)}${path}`, patch, 'application/merge-patch+json');
    if (status !== 200) throw new Error(`Patching ${path} answered ${status}: ${JSON.stringify(json)}`);
  }

  /** createObject creates an object through a cluster's Kubernetes API at a collection path. */
  async createObject(cluster: string, path: string, object: unknown): Promise<void> {
    const { status, json } = await this.kube(cluster, 'POST', path, object);
    if (status !== 201) throw new Error(`Creating ${path} answered ${status}: ${JSON.stringify(json)}`);
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
