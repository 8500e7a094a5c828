// Services, cluster DNS and workloads end to end on one real two-worker cluster, driven
// with kubectl 1.27 and 1.33 the way people drive them: a Deployment exposed with
// `kubectl expose` and reached by every name a pod can use for it, every kind of DNS
// record looked up with nslookup from a pod, a ResourceQuota refusing a pod, a failing
// readiness probe taking a pod out of its Service, and finally a worker killed in the
// middle of a rollout. Backends are busybox httpd pods answering with their own names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Workload } from '../apiserver/kinds/types';
import { testBusyboxImage } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, requireTools, waitFor, type ProcessResult, type TestCluster } from '../testing/testCluster';

const versions = ['1.27', '1.33'];
const ready = (await requireDocker('services and DNS')) && requireTools('services and DNS', { kubectl: versions });
const image = testBusyboxImage;
/** v127 turns a kubectl version into a name part: 1.27 -> v127. */
const tag = (version: string) => `v${version.replace('.', '')}`;
/** The web page of every backend is its own pod name, written when it starts. */
const httpdCommand = 'mkdir -p /www; echo $HOSTNAME > /www/index.html; touch /tmp/ready; exec httpd -f -p 8080 -h /www';
const stripColours = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');

interface PodList {
  items: Pod[];
}

/** dnsObjects are the services and StatefulSet behind the DNS checks, in namespace ns. */
function dnsObjects(ns: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: named}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 8080, targetPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports:
  - {name: http, port: 8080}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: httpd
        image: ${image}
        command: [sh, -c, '${httpdCommand}']
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec:
  type: ExternalName
  # A name inside the cluster, so the lookup never leaves this machine.
  externalName: web.${ns}.svc.cluster.local
`;
}

/** probedDeployment is two httpd pods that are ready while /tmp/ready exists. */
const probedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: probed}
spec:
  replicas: 2
  selector:
    matchLabels: {app: probed}
  template:
    metadata:
      labels: {app: probed}
    spec:
      containers:
      - name: httpd
        image: ${image}
        command: [sh, -c, '${httpdCommand}']
        readinessProbe:
          exec: {command: [test, -f, /tmp/ready]}
          periodSeconds: 1
          failureThreshold: 1
          # A busy machine can take seconds to run a command in a container.
          timeoutSeconds: 10
`;

describe.skipIf(!ready)('services and DNS on a two-worker cluster', () => {
  let cluster: TestCluster;
  const kubectl = (version: string, ...args: string[]) => cluster.kubectl(version, ...args);
  const apply = async (version: string, ns: string, manifest: string) => {
    const result = await cluster.kubectlResult(version, ['-n', ns, 'apply', '-f', '-'], { input: manifest });
    if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
  };
  /** sh runs a shell script in a pod with `kubectl exec` and returns how it ended. */
  const sh = (version: string, ns: string, pod: string, script: string): Promise<ProcessResult> =>
    cluster.kubectlResult(version, ['-n', ns, 'exec', pod, '--', 'sh', '-c', script]);
  const podNames = async (ns: string, selector: string) =>
    (await cluster.getJson<PodList>('pods', '-n', ns, '-l', selector))!.items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name!)
      .sort();
  const podIp = async (ns: string, name: string) => (await cluster.getJson<Pod>('pod', '-n', ns, name))!.status!.podIP!;
  /**
   * fetchAll sends requests to url from a pod and returns the pod names that answered.
   * busybox wget is given no -T: that option crashes the static busybox build, so
   * `timeout` bounds each request instead.
   */
  const fetchAll = async (version: string, ns: string, pod: string, url: string, times = 30) => {
    const result = await sh(version, ns, pod, `for i in $(seq ${times}); do timeout 5 wget -qO- ${url}; done`);
    return [...new Set(result.stdout.split('\n').map((l) => l.trim()).filter(Boolean))].sort();
  };
  const nslookup = async (version: string, ns: string, pod: string, args: string) => (await sh(version, ns, pod, `nslookup ${args}`)).stdout;
  const addressesIn = (output: string, name: string) =>
    [...output.matchAll(new RegExp(`Name:\\s+${name.replace(/\./g, '\\.')}\\nAddress: ([\\d.]+)`, 'g'))].map((m) => m[1]).sort();

  beforeAll(async () => {
    // A short eviction timeout lets the dead-worker rollout finish in seconds.
    cluster = await createTestCluster({ label: 'svcdns', workers: 2, evictionTimeoutSeconds: 10 });
  }, 300_000);

  afterAll(async () => {
    await cluster?.remove();
  });

  for (const version of versions) {
    const app = `app-${tag(version)}`;
    const other = `other-${tag(version)}`;

    describe(`kubectl ${version}`, () => {
      it('reaches every replica of an exposed Deployment by its short, namespaced and full names', async () => {
        await kubectl(version, 'create', 'namespace', app);
        await kubectl(version, 'create', 'namespace', other);
        await kubectl(version, '-n', app, 'create', 'deployment', 'web', `--image=${image}`, '--replicas=3', '--', 'sh', '-c', httpdCommand);
        expect(await kubectl(version, '-n', app, 'expose', 'deployment', 'web', '--port=80', '--target-port=8080')).toContain('service/web exposed');
        for (const ns of [app, other]) await kubectl(version, '-n', ns, 'run', 'client', `--image=${image}`, '--', 'sleep', '3600');
        expect(await kubectl(version, '-n', app, 'rollout', 'status', 'deployment/web', '--timeout=180s')).toContain('successfully rolled out');
        for (const ns of [app, other]) await kubectl(version, '-n', ns, 'wait', '--for=condition=Ready', 'pod/client', '--timeout=120s');
        const replicas = await podNames(app, 'app=web');
        expect(replicas).toHaveLength(3);

        // The first answer may wait for the service rules to reach the client's node.
        await waitFor(async () => (await fetchAll(version, app, 'client', 'http://web:80', 1)).length === 1, 60_000, 'the service to answer');
        expect(await fetchAll(version, app, 'client', 'http://web:80')).toEqual(replicas);
        expect(await fetchAll(version, other, 'client', `http://web.${app}:80`)).toEqual(replicas);
        expect(await fetchAll(version, other, 'client', `http://web.${app}.svc.cluster.local:80`)).toEqual(replicas);
      }, 420_000);

      it('answers every kind of DNS record to pods, and NXDOMAIN at once for a name that does not exist', async () => {
        await apply(version, app, dnsObjects(app));
        expect(await kubectl(version, '-n', app, 'rollout', 'status', 'statefulset/db', '--timeout=180s')).toContain('2 new pods have been updated');
        const webIp = await kubectl(version, '-n', app, 'get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
        const namedIp = await kubectl(version, '-n', app, 'get', 'service', 'named', '-o', 'jsonpath={.spec.clusterIP}');
        const db0 = await podIp(app, 'db-0');
        const db1 = await podIp(app, 'db-1');
        const fqdn = (name: string) => `${name}.${app}.svc.cluster.local`;

        // The service's A record: by its short name through the search list, then by its full name from another namespace.
        expect(addressesIn(await nslookup(version, app, 'client', 'web'), fqdn('web'))).toEqual([webIp]);
        expect(addressesIn(await nslookup(version, other, 'client', fqdn('web')), fqdn('web'))).toEqual([webIp]);
        expect(addressesIn(await nslookup(version, other, 'client', fqdn('named')), fqdn('named'))).toEqual([namedIp]);

        // SRV for a named port, of a normal and of a headless service.
        expect(await nslookup(version, other, 'client', `-type=SRV _http._tcp.${fqdn('named')}`)).toContain(`service = 0 100 8080 ${fqdn('named')}`);
        const headlessSrv = await nslookup(version, other, 'client', `-type=SRV _http._tcp.${fqdn('db')}`);
        expect(headlessSrv).toContain(`service = 0 100 8080 db-0.${fqdn('db')}`);
        expect(headlessSrv).toContain(`service = 0 100 8080 db-1.${fqdn('db')}`);

        // A headless service answers with its pods' addresses; StatefulSet pods have stable names under it.
        expect(addressesIn(await nslookup(version, other, 'client', fqdn('db')), fqdn('db'))).toEqual([db0, db1].sort());
        expect(addressesIn(await nslookup(version, other, 'client', `db-0.${fqdn('db')}`), `db-0.${fqdn('db')}`)).toEqual([db0]);
        expect(addressesIn(await nslookup(version, other, 'client', `db-1.${fqdn('db')}`), `db-1.${fqdn('db')}`)).toEqual([db1]);
        // And the stable name carries traffic to that very pod.
        expect(await fetchAll(version, other, 'client', `http://db-1.${fqdn('db')}:8080`, 3)).toEqual(['db-1']);

        // ExternalName is a CNAME; a plain lookup follows it to the target's address.
        expect(await nslookup(version, other, 'client', `-type=CNAME ${fqdn('alias')}`)).toContain(`${fqdn('alias')}\tcanonical name = ${fqdn('web')}`);
        const followed = await nslookup(version, other, 'client', fqdn('alias'));
        expect(followed).toContain(`canonical name = ${fqdn('web')}`);
        expect(addressesIn(followed, fqdn('web'))).toEqual([webIp]);

        // A name that does not exist gets an answer, NXDOMAIN, rather than a timeout.
        const missing = await sh(version, other, 'client', `nslookup ${fqdn('nosuch')}`);
        expect(missing.code).toBe(1);
        expect(missing.stdout).toContain(`can't find ${fqdn('nosuch')}: NXDOMAIN`);
        expect(missing.stdout + missing.stderr).not.toMatch(/timed out/);

        const info = stripColours(await kubectl(version, 'cluster-info'));
        expect(info).toMatch(/^Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+$/m);
        expect(info).toMatch(/^kube-dns is running at https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy$/m);
      }, 420_000);

      it('refuses a pod beyond a pods: 1 quota with a 403 naming the quota, and shows the usage', async () => {
        const ns = `quota-${tag(version)}`;
        await kubectl(version, 'create', 'namespace', ns);
        await kubectl(version, '-n', ns, 'create', 'quota', 'one', '--hard=pods=1');
        await kubectl(version, '-n', ns, 'run', 'first', `--image=${image}`, '--', 'sleep', '3600');
        const refused = await cluster.kubectlResult(version, ['-n', ns, 'run', 'second', `--image=${image}`, '--', 'sleep', '3600']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toBe(
          'Error from server (Forbidden): pods "second" is forbidden: exceeded quota: one, requested: pods=1, used: pods=1, limited: pods=1\n',
        );
        expect(await podNames(ns, 'run')).toEqual(['first']);
        await waitFor(async () => /^pods\s+1\s+1$/m.test(await kubectl(version, '-n', ns, 'describe', 'quota', 'one')), 30_000, 'the quota usage');
        expect(await kubectl(version, '-n', ns, 'describe', 'quota', 'one')).toMatch(/^Resource\s+Used\s+Hard\n-+\s+-+\s+-+\npods\s+1\s+1$/m);
      }, 300_000);

      it('takes a pod whose readiness probe fails out of its Service, and brings it back', async () => {
        await apply(version, app, probedDeployment);
        await kubectl(version, '-n', app, 'expose', 'deployment', 'probed', '--port=80', '--target-port=8080');
        await kubectl(version, '-n', app, 'rollout', 'status', 'deployment/probed', '--timeout=180s');
        const [sick, healthy] = await podNames(app, 'app=probed');
        const ready = () => kubectl(version, '-n', app, 'get', 'endpoints', 'probed', '-o', 'jsonpath={.subsets[*].addresses[*].targetRef.name}');
        const notReady = () => kubectl(version, '-n', app, 'get', 'endpoints', 'probed', '-o', 'jsonpath={.subsets[*].notReadyAddresses[*].targetRef.name}');
        await waitFor(async () => (await ready()).split(' ').length === 2, 30_000, 'both pods in the endpoints');
        await waitFor(async () => (await fetchAll(version, app, 'client', 'http://probed', 1)).length === 1, 60_000, 'the service to answer');
        expect(await fetchAll(version, app, 'client', 'http://probed')).toEqual([sick, healthy].sort());

        await kubectl(version, '-n', app, 'exec', sick, '--', 'rm', '/tmp/ready');
        await waitFor(async () => (await ready()) === healthy && (await notReady()) === sick, 120_000, `${sick} to leave the endpoints`);
        expect(await kubectl(version, '-n', app, 'get', 'pod', sick, '--no-headers')).toMatch(new RegExp(`^${sick}\\s+0/1\\s+Running\\s`));
        // The rules of both nodes follow the endpoints shortly after.
        await waitFor(async () => (await fetchAll(version, app, 'client', 'http://probed', 10)).join() === healthy, 60_000, 'traffic to avoid the unready pod');
        expect(await fetchAll(version, app, 'client', 'http://probed')).toEqual([healthy]);

        await kubectl(version, '-n', app, 'exec', sick, '--', 'touch', '/tmp/ready');
        await waitFor(async () => (await ready()).split(' ').sort().join() === [sick, healthy].sort().join(), 120_000, `${sick} to come back`);
        await waitFor(async () => (await fetchAll(version, app, 'client', 'http://probed')).length === 2, 60_000, 'traffic to reach both pods again');
      }, 420_000);
    });
  }

  it('finishes a rollout on the surviving worker when the other one dies in the middle of it', async () => {
    const ns = 'chaos';
    await kubectl('1.33', 'create', 'namespace', ns);
    await kubectl('1.33', '-n', ns, 'create', 'deployment', 'roll', `--image=${image}`, '--replicas=4', '--', 'sleep', '3600');
    await kubectl('1.33', '-n', ns, 'rollout', 'status', 'deployment/roll', '--timeout=180s');
    const nodesOf = async () =>
      (await cluster.getJson<PodList>('pods', '-n', ns, '-l', 'app=roll'))!.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec!.nodeName!);
    // The worker about to die holds replicas of the old revision.
    expect(new Set(await nodesOf())).toEqual(new Set(['worker-1', 'worker-2']));

    await kubectl('1.27', '-n', ns, 'set', 'env', 'deployment/roll', 'ROUND=2');
    await cluster.hostDocker.getContainer(cluster.nodeContainer('worker-2')).kill();
    const done = await Promise.all(versions.map((v) => kubectl(v, '-n', ns, 'rollout', 'status', 'deployment/roll', '--timeout=300s')));
    for (const out of done) expect(out).toContain('deployment "roll" successfully rolled out');

    const deployment = (await cluster.getJson<Workload>('deployment', '-n', ns, 'roll'))!;
    const status = deployment.status as { replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number };
    expect(status).toMatchObject({ updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    const live = (await cluster.getJson<PodList>('pods', '-n', ns, '-l', 'app=roll'))!.items.filter((p) => !p.metadata.deletionTimestamp);
    expect(live).toHaveLength(4);
    for (const pod of live) {
      expect(pod.spec?.nodeName).toBe('worker-1');
      expect(pod.status?.phase).toBe('Running');
      expect(pod.spec?.containers?.[0]?.env).toEqual([{ name: 'ROUND', value: '2' }]);
    }
  }, 600_000);
});
