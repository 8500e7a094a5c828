// Pods on a real two-worker cluster, driven the way people drive them: kubectl 1.27 and
// 1.33 (run, wait, logs, exec, port-forward), pods spread over both workers and talking
// across nodes, a crash loop, an engine restart that leaves pods running, and a node
// that dies and has its pods evicted. One cluster serves the whole file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../apiserver/kinds/node';
import type { Pod } from '../apiserver/kinds/types';
import { execInContainer } from '../docker/exec';
import { testBusyboxImage, testPageText } from '../nodes/testImages';
import { requireDocker } from '../testing/requireDocker';
import { createTestCluster, requireTools, startProcess, waitFor, type TestCluster } from '../testing/testCluster';

const versions = ['1.27', '1.33'];
const ready = (await requireDocker('pods')) && requireTools('pods', { kubectl: versions, script: true });
const image = testBusyboxImage;
/** v127 turns a kubectl version into a name part: 1.27 -> v127. */
const tag = (version: string) => `v${version.replace('.', '')}`;
const httpGet = (ip: string, port: number) => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port}`;

interface PodList {
  items: Pod[];
}

describe.skipIf(!ready)('pods on a two-worker cluster', () => {
  let cluster: TestCluster;
  const kubectl = (version: string, ...args: string[]) => cluster.kubectl(version, ...args);
  const pods = async (selector?: string) => (await cluster.getJson<PodList>('pods', ...(selector ? ['-l', selector] : [])))!.items;
  const pod = (name: string) => cluster.getJson<Pod>('pod', name);
  const nodeContainerIds = async (node: string) =>
    (
      await execInContainer(cluster.hostDocker, cluster.nodeContainer(node), [
        'docker',
        'ps',
        '--no-trunc',
        '--quiet',
        '--filter',
        'label=io.wheelhouse.managed=true',
      ])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort();

  beforeAll(async () => {
    // A short eviction timeout lets the dead-node test finish in seconds.
    cluster = await createTestCluster({ label: 'pods', workers: 2, evictionTimeoutSeconds: 5 });
    // Started early: the crash loop needs time to back off a few times.
    await kubectl('1.33', 'run', 'crash', `--image=${image}`, '--', 'sh', '-c', 'echo attempt at $(date +%s); exit 1');
  });

  afterAll(async () => {
    await cluster?.remove();
  });

  it('spreads pods over both workers and never onto the control plane', async () => {
    // Three pods from each kubectl version, created side by side.
    await Promise.all(
      versions.map(async (v) => {
        for (let i = 1; i <= 3; i++) {
          await kubectl(v, 'run', `web-${tag(v)}-${i}`, `--image=${image}`, '--labels=app=web', '--', 'httpd', '-f', '-p', '8080', '-h', '/www');
        }
      }),
    );
    await kubectl('1.33', 'wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=120s');
    const web = await pods('app=web');
    expect(web).toHaveLength(6);
    const nodes = new Set(web.map((p) => p.spec?.nodeName));
    expect([...nodes].sort()).toEqual(['worker-1', 'worker-2']);
    expect(web.every((p) => p.status?.phase === 'Running' && /^10\.244\.\d+\.\d+$/.test(p.status?.podIP ?? ''))).toBe(true);
    const wide = await kubectl('1.27', 'get', 'pods', '-l', 'app=web', '-o', 'wide');
    expect(wide).not.toContain('control-plane');
  });

  it('reaches a pod on the other node by its pod IP', async () => {
    const web = await pods('app=web');
    const from = web.find((p) => p.spec?.nodeName === 'worker-1')!;
    const to = web.find((p) => p.spec?.nodeName === 'worker-2')!;
    const [a, b] = await Promise.all([
      kubectl('1.27', 'exec', from.metadata.name!, '--', 'sh', '-c', httpGet(to.status!.podIP!, 8080)),
      kubectl('1.33', 'exec', to.metadata.name!, '--', 'sh', '-c', httpGet(from.status!.podIP!, 8080)),
    ]);
    for (const answer of [a, b]) {
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/);
      expect(answer).toContain(testPageText);
    }
  });

  it('port-forward carries HTTP to a pod', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const forward = cluster.startKubectl(v, ['port-forward', `pod/web-${tag(v)}-1`, ':8080']);
        try {
          const out = await forward.waitFor(/Forwarding from 127\.0\.0\.1:\d+ -> 8080/);
          const port = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)![1]);
          for (let i = 0; i < 3; i++) {
            const res = await fetch(`http://127.0.0.1:${port}/`);
            expect(res.status).toBe(200);
            expect(await res.text()).toBe(`${testPageText}\n`);
          }
        } finally {
          await forward.stop();
        }
      }),
    );
  });

  it('reports the exit code of a pod that ran to completion', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const name = `exit-${tag(v)}`;
        await kubectl(v, 'run', name, '--restart=Never', `--image=${image}`, '--', 'sh', '-c', 'exit 3');
        await kubectl(v, 'wait', '--for=jsonpath={.status.phase}=Failed', `pod/${name}`, '--timeout=90s');
        expect(await kubectl(v, 'get', 'pod', name, '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}')).toBe('3');
        expect(await kubectl(v, 'get', 'pod', name, '--no-headers')).toMatch(new RegExp(`^${name}\\s+0/1\\s+Error\\s+0\\s`));
      }),
    );
  });

  it('run -i --rm feeds stdin to the pod, prints its output and removes the pod', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const name = `io-${tag(v)}`;
        const result = await cluster.kubectlResult(
          v,
          ['run', name, '-i', '--rm', '--restart=Never', `--image=${image}`, '--', 'sh', '-c', 'read x; echo "got $x"'],
          { input: 'hello from stdin\n' },
        );
        expect(result.stderr).not.toMatch(/error/i);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('got hello from stdin');
        expect(result.stdout).toContain(`pod "${name}" deleted`);
        expect(await cluster.getJson('pod', name)).toBeUndefined();
      }),
    );
  });

  it('run -it --rm gives the pod a terminal', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const name = `tty-${tag(v)}`;
        const result = await cluster.kubectlInTerminal(
          v,
          ['run', name, '-it', '--rm', '--restart=Never', `--image=${image}`, '--', 'sh', '-c', 'read x; tty; echo "got $x"'],
          { rows: 30, cols: 99 },
          { input: 'typed\n' },
        );
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
        expect(result.stdout).toContain('got typed');
        expect(result.stdout).toContain(`pod "${name}" deleted`);
        expect(await cluster.getJson('pod', name)).toBeUndefined();
      }),
    );
  });

  it('logs -f follows lines as they are written and ends with the container', async () => {
    const script = 'for i in 1 2 3 4 5 6 7 8; do echo "line $i"; sleep 1; done';
    await kubectl('1.33', 'run', 'talker', '--restart=Never', `--image=${image}`, '--', 'sh', '-c', script);
    await kubectl('1.33', 'wait', '--for=condition=Ready', 'pod/talker', '--timeout=90s');
    const all = Array.from({ length: 8 }, (_, i) => `line ${i + 1}\n`).join('');
    await Promise.all(
      versions.map(async (v) => {
        const follow = cluster.startKubectl(v, ['logs', '-f', 'talker']);
        // The first line arrives while the container is still writing the others.
        const early = await follow.waitFor('line 1\n');
        expect(early).not.toContain('line 8');
        expect(await follow.exited).toBe(0);
        expect(follow.output()).toBe(all);
      }),
    );
    await kubectl('1.27', 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/talker', '--timeout=60s');
  });

  it('logs --tail, --timestamps and -c pick what people ask for', async () => {
    const manifest = join(cluster.dataDir, 'duo.yaml');
    writeFileSync(
      manifest,
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: duo}',
        'spec:',
        '  containers:',
        `  - {name: first, image: "${image}", command: [sh, -c, "echo from first; exec sleep 3600"]}`,
        `  - {name: second, image: "${image}", command: [sh, -c, "echo from second; echo more from second; exec sleep 3600"]}`,
        '',
      ].join('\n'),
    );
    await kubectl('1.33', 'create', '-f', manifest);
    await kubectl('1.33', 'wait', '--for=condition=Ready', 'pod/duo', '--timeout=90s');
    await Promise.all(
      versions.map(async (v) => {
        expect(await kubectl(v, 'logs', 'talker', '--tail=2')).toBe('line 7\nline 8\n');
        expect(await kubectl(v, 'logs', 'talker', '--tail=1', '--timestamps')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line 8\n$/);
        expect(await kubectl(v, 'logs', 'duo', '-c', 'second')).toBe('from second\nmore from second\n');
        expect(await kubectl(v, 'logs', 'duo', '-c', 'first')).toBe('from first\n');
        const defaulted = await cluster.kubectlResult(v, ['logs', 'duo']);
        expect(defaulted.stdout).toBe('from first\n');
        expect(defaulted.stderr).toContain('Defaulted container "first" out of: first, second');
        const wrong = await cluster.kubectlResult(v, ['logs', 'duo', '-c', 'third']);
        expect(wrong.code).not.toBe(0);
        expect(wrong.stderr).toContain('third');
      }),
    );
  });

  it('exec -it runs in a terminal of the client size, follows a resize and returns the exit code', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const marker = join(cluster.dataDir, `resize-${tag(v)}`);
        // The command prints the terminal size until it sees the new one; the shell
        // around kubectl resizes its terminal once the test has seen the first size
        // (the kernel then signals kubectl, which sends the new size to the pod).
        const inPod = 'for i in $(seq 150); do s=$(stty size 2>&1); echo "size $s"; [ "$s" = "40 120" ] && exit 7; sleep 0.2; done; exit 1';
        const line =
          'stty rows 33 cols 101; ' +
          `(while [ ! -e ${marker} ]; do sleep 0.1; done; stty rows 40 cols 120 </dev/tty) & ` +
          cluster.kubectlLine(v, ['exec', '-it', `web-${tag(v)}-2`, '--', 'sh', '-c', inPod]);
        const session = startProcess('script', ['-qfec', line, '/dev/null'], {}, { holdStdin: true });
        await session.waitFor('size 33 101');
        writeFileSync(marker, '');
        const code = await session.exited;
        const out = session.output();
        expect(out).toContain('size 40 120');
        expect(out).toContain('command terminated with exit code 7');
        expect(code).toBe(7);
      }),
    );
  });

  it('exec -i feeds piped input to the command', async () => {
    await Promise.all(
      versions.map(async (v) => {
        const input = 'hello pod\n' + 'x'.repeat(100_000) + '\nlast line\n';
        const result = await cluster.kubectlResult(v, ['exec', '-i', `web-${tag(v)}-3`, '--', 'sh', '-c', 'wc -c; echo done >&2'], { input });
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toBe(String(Buffer.byteLength(input)));
        expect(result.stderr).toBe('done\n');
      }),
    );
  });

  it('moves a crashing container into CrashLoopBackOff with a growing restart count', async () => {
    const crash = async () => (await pod('crash'))?.status?.containerStatuses?.[0];
    let first = 0;
    await waitFor(
      async () => {
        const status = await crash();
        first = status?.restartCount ?? 0;
        return status?.state?.waiting?.reason === 'CrashLoopBackOff' && first >= 1;
      },
      120_000,
      'the crashing pod to back off',
    );
    await waitFor(async () => ((await crash())?.restartCount ?? 0) > first, 120_000, 'the crashing pod to restart again');
    const status = (await crash())!;
    expect(status.lastState?.terminated?.exitCode).toBe(1);
    expect(await kubectl('1.27', 'get', 'pod', 'crash', '--no-headers')).toMatch(/^crash\s+0\/1\s+(CrashLoopBackOff|Error|Running|Completed)\s+\d+/);
    await Promise.all(
      versions.map(async (v) => {
        expect(await kubectl(v, 'logs', 'crash', '--previous')).toMatch(/^attempt at \d+\n$/);
      }),
    );
  });

  it('keeps pods running, with the same containers, across an engine restart', async () => {
    const running = (await pods('app=web')).concat((await pod('duo'))!);
    const before = new Map(running.map((p) => [p.metadata.name!, p.status!.containerStatuses!.map((c) => c.containerID)]));
    const inNodes = { 'worker-1': await nodeContainerIds('worker-1'), 'worker-2': await nodeContainerIds('worker-2') };
    await cluster.stopEngine();
    // With no engine at all, the pods' containers keep running in the nodes.
    for (const [node, ids] of Object.entries(inNodes)) expect(await nodeContainerIds(node)).toEqual(ids);
    await cluster.startEngine();
    for (const [name, ids] of before) {
      const after = (await pod(name))!;
      expect(after.status?.phase).toBe('Running');
      expect(after.status?.containerStatuses?.map((c) => c.containerID)).toEqual(ids);
      expect(after.status?.containerStatuses?.map((c) => c.restartCount)).toEqual(ids.map(() => 0));
    }
    // The old kubeconfig still works, for both versions, streams included.
    for (const v of versions) expect(await kubectl(v, 'exec', `web-${tag(v)}-1`, '--', 'echo', 'still here')).toBe('still here\n');
  });

  it('brings the pods back when the host Docker restarts the nodes, as after a reboot', async () => {
    const names = (await pods('app=web')).map((p) => p.metadata.name!);
    await cluster.stopEngine();
    // What a Docker restart or a reboot does: every node container stops and, by its
    // restart policy, starts again with a fresh inner dockerd.
    await Promise.all(['worker-1', 'worker-2'].map((node) => cluster.hostDocker.getContainer(cluster.nodeContainer(node)).restart({ t: 2 })));
    await cluster.startEngine();
    await waitFor(
      async () => {
        const now = await pods('app=web');
        // Ready again after a restart: the status from before the reboot does not count.
        return names.every((n) => {
          const status = now.find((p) => p.metadata.name === n)?.status;
          return status?.containerStatuses?.every((c) => c.ready && (c.restartCount ?? 0) >= 1 && c.state?.running);
        });
      },
      180_000,
      'the pods to run again after their nodes restarted',
    );
    // Same pods, restored from the store: their containers ran again in the restarted nodes.
    expect((await pods('app=web')).map((p) => p.metadata.name!).sort()).toEqual([...names].sort());
    for (const v of versions) expect(await kubectl(v, 'exec', `web-${tag(v)}-1`, '--', 'echo', 'back again')).toBe('back again\n');
    expect(await kubectl('1.33', 'get', 'nodes', '--no-headers')).toMatch(/worker-1\s+Ready\s[\s\S]*worker-2\s+Ready\s/);
  });

  it('marks a killed node NotReady and evicts its pods', async () => {
    const victims = (await pods()).filter((p) => p.spec?.nodeName === 'worker-2' && p.status?.phase === 'Running');
    expect(victims.length).toBeGreaterThan(0);
    await cluster.hostDocker.getContainer(cluster.nodeContainer('worker-2')).kill();
    const readyOf = async () => (await cluster.getJson<Node>('node', 'worker-2'))?.status?.conditions?.find((c) => c.type === 'Ready');
    await waitFor(async () => (await readyOf())?.status === 'Unknown', 60_000, 'worker-2 to become NotReady');
    expect((await readyOf())?.message).toMatch(/^The node container is (stopped|exited)\.$/);
    await waitFor(async () => /^worker-2\s+NotReady\s/.test(await kubectl('1.27', 'get', 'node', 'worker-2', '--no-headers')), 30_000, 'kubectl to show worker-2 NotReady');
    await waitFor(async () => (await pods()).every((p) => p.spec?.nodeName !== 'worker-2'), 90_000, 'the pods of worker-2 to be evicted');
    const events = await kubectl('1.33', 'get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].involvedObject.name}');
    for (const p of victims) expect(events.split(' ')).toContain(p.metadata.name);
    // The pods of the surviving node are untouched.
    const survivors = (await pods('app=web')).filter((p) => p.spec?.nodeName === 'worker-1');
    expect(survivors.length).toBeGreaterThan(0);
    expect(survivors.every((p) => p.status?.phase === 'Running')).toBe(true);
  });
});
