// The Deployment controller on the real API server stack with the ReplicaSet
// controller, the scheduler and the test kubelet: rollouts as kubectl drives them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../apiserver/kinds/types';
import { engineUser } from '../apiserver/auth/user';
import { deploymentsResource, podsResource, replicaSetsResource, type ApiClient } from './framework/apiClient';
import { controllerOf } from './ownership';
import { isPodActive, isPodReady, isPodTerminating } from './podUtil';
import { kubectlRolloutStatus, revisionAnnotation, revisionHistoryAnnotation } from './rollout';
import { podTemplateHash, podTemplateHashLabel } from './templateHash';
import { makeDeployment } from './testing/fixtures';
import { startTestCluster, type TestCluster } from './testing/testCluster';
import type { Deployment, ReplicaSet } from './workloadTypes';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function eventually(assertion: () => Promise<void> | void, timeout = 15_000): Promise<void> {
  return vi.waitFor(assertion, { timeout, interval: 20 });
}

async function rolledOut(client: ApiClient, name = 'web'): Promise<Deployment> {
  let d: Deployment | undefined;
  await eventually(async () => {
    d = await client.get<Deployment>(deploymentsResource, 'default', name);
    const view = kubectlRolloutStatus(d);
    expect(view.error).toBeUndefined();
    expect(view.message).toBe(`deployment "${name}" successfully rolled out`);
  });
  return d!;
}

async function replicaSetsOf(client: ApiClient, d: Deployment): Promise<ReplicaSet[]> {
  const { items } = await client.list<ReplicaSet>(replicaSetsResource, { namespace: 'default' });
  return items.filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
}

async function setImage(client: ApiClient, image: string, name = 'web') {
  await client.patch(deploymentsResource, 'default', name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });
}

describe('Deployment controller', () => {
  it('rolls out a new template within maxSurge and maxUnavailable and reaches the rollout status success condition', async () => {
    cluster = await startTestCluster({ kubelet: { readyDelayMs: 30 } });
    const { client } = cluster;
    await client.create(
      deploymentsResource,
      'default',
      makeDeployment('web', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }),
    );
    const first = await rolledOut(client);
    const [rs1] = await replicaSetsOf(client, first);
    const hash1 = rs1.metadata.labels?.[podTemplateHashLabel];
    expect(rs1.metadata.name).toBe(`web-${hash1}`);
    expect(hash1).toBe(podTemplateHash(first.spec?.template));
    expect(rs1.metadata.annotations?.[revisionAnnotation]).toBe('1');
    expect(rs1.spec?.selector?.matchLabels).toEqual({ app: 'web', [podTemplateHashLabel]: hash1 });
    expect(first.metadata.annotations?.[revisionAnnotation]).toBe('1');
    expect(first.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }));
    expect(first.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }));

    // Watch every step of the rollout: the ReplicaSets never ask for more than
    // replicas + maxSurge pods, and never fewer than replicas - maxUnavailable pods are ready.
    const rsWatch = cluster.watch<ReplicaSet>(replicaSetsResource);
    const podWatch = cluster.watch<Pod>(podsResource);
    await Promise.all([rsWatch.waitForSync(), podWatch.waitForSync()]);
    let maxWanted = 0;
    let minReady = Infinity;
    let bothActive = false;
    rsWatch.addHandlers({
      update: () => {
        const sizes = rsWatch.list().map((rs) => rs.spec?.replicas ?? 0);
        maxWanted = Math.max(maxWanted, sizes.reduce((a, b) => a + b, 0));
        if (sizes.filter((n) => n > 0).length > 1) bothActive = true;
      },
      add: () => {
        maxWanted = Math.max(maxWanted, rsWatch.list().reduce((a, rs) => a + (rs.spec?.replicas ?? 0), 0));
      },
    });
    const countReady = () => {
      minReady = Math.min(minReady, podWatch.list('app=web').filter((p) => isPodReady(p) && !isPodTerminating(p)).length);
    };
    podWatch.addHandlers({ add: countReady, update: countReady, delete: countReady });

    await setImage(client, 'nginx:1.26');
    const second = await rolledOut(client);
    expect(maxWanted).toBeLessThanOrEqual(5);
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(bothActive).toBe(true);

    expect(second.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    expect(second.status?.observedGeneration).toBeGreaterThanOrEqual(second.metadata.generation ?? 0);
    expect(second.metadata.annotations?.[revisionAnnotation]).toBe('2');
    const rss = await replicaSetsOf(client, second);
    expect(rss).toHaveLength(2);
    const rs2 = rss.find((rs) => rs.metadata.uid !== rs1.metadata.uid)!;
    expect(rs2.metadata.annotations?.[revisionAnnotation]).toBe('2');
    expect(rs2.spec?.replicas).toBe(4);
    expect(rss.find((rs) => rs.metadata.uid === rs1.metadata.uid)!.spec?.replicas).toBe(0);
    const pods = (await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=web' })).items.filter(isPodActive);
    expect(pods.map((p) => p.metadata.labels?.[podTemplateHashLabel])).toEqual(Array(4).fill(rs2.metadata.labels?.[podTemplateHashLabel]));
    const { items: events } = await client.list(
      { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
      { namespace: 'default', fieldSelector: 'reason=ScalingReplicaSet' },
    );
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set ${rs2.metadata.name} from 0 to 1`);
  });

  it('undoes a rollout the kubectl way by reusing the old ReplicaSet under a new revision', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 2));
    const first = await rolledOut(client);
    const [rs1] = await replicaSetsOf(client, first);
    await setImage(client, 'nginx:broken');
    await rolledOut(client);

    // What `kubectl rollout undo` does: copy the previous revision's template back (without its hash label).
    const template = structuredClone(rs1.spec!.template!);
    delete template.metadata!.labels![podTemplateHashLabel];
    await client.patch(deploymentsResource, 'default', 'web', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
    const undone = await rolledOut(client);

    const rss = await replicaSetsOf(client, undone);
    expect(rss).toHaveLength(2);
    const reused = rss.find((rs) => rs.metadata.uid === rs1.metadata.uid)!;
    expect(reused.spec?.replicas).toBe(2);
    expect(reused.metadata.annotations?.[revisionAnnotation]).toBe('3');
    expect(reused.metadata.annotations?.[revisionHistoryAnnotation]).toBe('1');
    expect(rss.find((rs) => rs.metadata.uid !== rs1.metadata.uid)!.spec?.replicas).toBe(0);
    expect(undone.metadata.annotations?.[revisionAnnotation]).toBe('3');
    const pods = (await client.list<Pod>(podsResource, { namespace: 'default', labelSelector: 'app=web' })).items.filter(isPodActive);
    expect(pods.map((p) => p.spec?.containers?.[0].image)).toEqual(['nginx:1.25', 'nginx:1.25']);
  });

  it('does not roll out while paused, and rolls out once resumed', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 2));
    const first = await rolledOut(client);
    await client.patch(deploymentsResource, 'default', 'web', 'merge', { spec: { paused: true } });
    await setImage(client, 'nginx:1.26');

    let paused: Deployment | undefined;
    await eventually(async () => {
      paused = await client.get<Deployment>(deploymentsResource, 'default', 'web');
      expect(paused.status?.observedGeneration).toBe(paused.metadata.generation);
      expect(paused.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }));
    });
    expect(await replicaSetsOf(client, first)).toHaveLength(1);
    expect(kubectlRolloutStatus(paused!).done).toBe(false);

    // Scaling still works while paused.
    const def = cluster.rest.registry.lookup('apps', 'v1', 'deployments')!;
    await cluster.rest.patchScale(def, 'default', 'web', 'merge', { spec: { replicas: 3 } }, {}, { user: engineUser, userAgent: 'kubectl' });
    await eventually(async () => {
      const [rs] = await replicaSetsOf(client, first);
      expect(rs.status?.readyReplicas).toBe(3);
    });

    await client.patch(deploymentsResource, 'default', 'web', 'merge', { spec: { paused: false } });
    const resumed = await rolledOut(client);
    expect(resumed.status).toMatchObject({ replicas: 3, updatedReplicas: 3 });
    expect(await replicaSetsOf(client, resumed)).toHaveLength(2);
  });

  it('scales through the scale subresource', async () => {
    cluster = await startTestCluster();
    const { client, rest } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 1));
    await rolledOut(client);
    const def = rest.registry.lookup('apps', 'v1', 'deployments')!;
    await rest.patchScale(def, 'default', 'web', 'merge', { spec: { replicas: 3 } }, {}, { user: engineUser, userAgent: 'kubectl' });
    const scaled = await rolledOut(client);
    expect(scaled.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const scale = await rest.getScale(def, 'default', 'web');
    expect(scale.status).toMatchObject({ replicas: 3, selector: 'app=web' });
  });

  it('Recreate stops every old pod before starting new ones', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 3, { strategy: { type: 'Recreate' } }));
    const first = await rolledOut(client);
    const [rs1] = await replicaSetsOf(client, first);
    const oldHash = rs1.metadata.labels?.[podTemplateHashLabel];
    const podWatch = cluster.watch<Pod>(podsResource);
    await podWatch.waitForSync();
    let overlap = false;
    const check = () => {
      const hashes = new Set(podWatch.list('app=web').map((p) => p.metadata.labels?.[podTemplateHashLabel]));
      if (hashes.has(oldHash) && hashes.size > 1) overlap = true;
    };
    podWatch.addHandlers({ add: check, update: check });
    await setImage(client, 'nginx:1.26');
    const second = await rolledOut(client);
    expect(second.status).toMatchObject({ replicas: 3, updatedReplicas: 3 });
    expect(overlap).toBe(false);
  });

  it('keeps revisionHistoryLimit old ReplicaSets and restarts on a template annotation change', async () => {
    cluster = await startTestCluster();
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 1, { revisionHistoryLimit: 1 }));
    await rolledOut(client);
    for (const at of ['2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z', '2024-05-01T12:00:00Z']) {
      // `kubectl rollout restart` stamps the template.
      await client.patch(deploymentsResource, 'default', 'web', 'strategic', {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
      });
      await rolledOut(client);
    }
    await eventually(async () => {
      const d = await client.get<Deployment>(deploymentsResource, 'default', 'web');
      const rss = await replicaSetsOf(client, d);
      expect(rss.map((rs) => rs.metadata.annotations?.[revisionAnnotation]).sort()).toEqual(['3', '4']);
    });
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    cluster = await startTestCluster({ kubelet: { outcome: (pod) => (pod.spec?.containers?.[0].image === 'nginx:broken' ? 'unready' : 'run') } });
    const { client } = cluster;
    await client.create(deploymentsResource, 'default', makeDeployment('web', 2, { progressDeadlineSeconds: 1 }));
    await rolledOut(client);
    await setImage(client, 'nginx:broken');
    await eventually(async () => {
      const d = await client.get<Deployment>(deploymentsResource, 'default', 'web');
      expect(d.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }));
      expect(kubectlRolloutStatus(d).error).toBe('deployment "web" exceeded its progress deadline');
    }, 20_000);
  });
});
