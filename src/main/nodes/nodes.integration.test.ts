// Real Docker-in-Docker nodes: the offline node image, two nodes on one cluster
// network, pods inside them reached over mutual TLS, pod-to-pod traffic across nodes,
// a dockerd that refuses strangers, and nodes found again by their labels.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../docker/connect';
import { copyImage, inspectImage } from '../docker/images';
import { requireDocker } from '../testing/requireDocker';
import { NodeProvider, type NodeInfo } from './nodeContainer';
import { buildNodeImage, nodeImageLabels, nodeImageTag } from './nodeImage';
import { ensureBusyboxImage, runToCompletion, testBusyboxImage, testPageText } from './testImages';
import { loadClusterPki, type ClusterPki } from './tls';

const dockerOk = await requireDocker('DinD nodes');

describe.skipIf(!dockerOk)('Docker-in-Docker nodes', () => {
  const docker = connectDocker();
  const cluster = `n${randomBytes(3).toString('hex')}`;
  const pkiDir = mkdtempSync(join(tmpdir(), 'wh-test-pki-'));
  const timings: string[] = [];
  let pki: ClusterPki;
  let provider: NodeProvider;
  let nodes: NodeInfo[];

  const node = (name: string) => {
    const found = nodes.find((n) => n.name === name);
    if (!found) throw new Error(`node ${name} is missing`);
    return found;
  };

  beforeAll(async () => {
    let started = Date.now();
    const steps: string[] = [];
    await buildNodeImage(docker, { source: 'host', onProgress: (step) => steps.push(step) });
    timings.push(`node image: ${Date.now() - started} ms (${steps[0]})`);
    await ensureBusyboxImage(docker);

    started = Date.now();
    pki = await loadClusterPki(pkiDir);
    provider = new NodeProvider({ docker, cluster, pki, prefix: 'wh-test' });
    nodes = await provider.startNodes([{ name: 'a' }, { name: 'b' }]);
    timings.push(`two nodes from nothing until both inner dockerds answer over mTLS: ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await provider?.removeAll();
    rmSync(pkiDir, { recursive: true, force: true });
    console.log(`timings:\n  ${timings.join('\n  ')}`);
  });

  it('builds the node image with its entrypoint and labels', async () => {
    const image = await inspectImage(docker, nodeImageTag());
    expect(image?.Config?.Entrypoint).toEqual(['docker-init', '--', '/usr/local/bin/wheelhouse-node-entrypoint']);
    expect(image?.Config?.Labels?.[nodeImageLabels.kind]).toBe('node');
    const again: string[] = [];
    await buildNodeImage(docker, { source: 'host', onProgress: (step) => again.push(step) });
    expect(again.join('\n')).toContain('already exists');
  });

  it('starts labelled nodes on the cluster network with their own pod CIDRs', async () => {
    expect(nodes.map((n) => [n.name, n.index, n.podCidr, n.state])).toEqual([
      ['a', 1, '10.244.1.0/24', 'running'],
      ['b', 2, '10.244.2.0/24', 'running'],
    ]);
    const inspected = await docker.getContainer(node('a').containerName).inspect();
    expect(inspected.Name).toBe(`/wh-test-${cluster}-a`);
    expect(inspected.Config.Labels).toMatchObject({
      'io.wheelhouse.cluster': cluster,
      'io.wheelhouse.node': 'a',
      'io.wheelhouse.role': 'worker',
    });
    expect(inspected.HostConfig.Privileged).toBe(false);
    expect(Object.keys(inspected.NetworkSettings.Networks)).toEqual([`wh-test-${cluster}`]);
    // The node's dockerd is published on loopback only.
    const bindings = inspected.NetworkSettings.Ports['2376/tcp'] as Array<{ HostIp: string }>;
    expect(bindings.every((b) => b.HostIp === '127.0.0.1')).toBe(true);
    // Key files are private to their owner.
    expect(statSync(join(pkiDir, 'client', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(pkiDir, 'nodes', 'a', 'server-key.pem')).mode & 0o777).toBe(0o600);
  });

  it("runs a container inside a node through the node's dockerd over mutual TLS", async () => {
    const inner = provider.nodeDocker(node('a'));
    const started = Date.now();
    await copyImage(docker, inner, testBusyboxImage);
    timings.push(`side-load of ${testBusyboxImage} into a node: ${Date.now() - started} ms`);
    const result = await runToCompletion(inner, {
      image: testBusyboxImage,
      cmd: ['sh', '-c', 'echo "hello from $(hostname)"; ip -4 -o addr show eth0'],
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^hello from \w+/);
    // The pod got its address from the node's pod CIDR.
    expect(result.stdout).toContain('inet 10.244.1.');
  });

  it('lets a pod on node A reach a pod on node B by its pod IP, keeping its own address', async () => {
    const onA = provider.nodeDocker(node('a'));
    const onB = provider.nodeDocker(node('b'));
    await Promise.all([copyImage(docker, onA, testBusyboxImage), copyImage(docker, onB, testBusyboxImage)]);
    const server = await onB.createContainer({
      Image: testBusyboxImage,
      Cmd: ['httpd', '-f', '-vv', '-p', '80', '-h', '/www'],
    });
    await server.start();
    const serverIp = (await server.inspect()).NetworkSettings.IPAddress;
    expect(serverIp).toMatch(/^10\.244\.2\./);

    const client = await runToCompletion(onA, {
      image: testBusyboxImage,
      cmd: ['sh', '-c', `hostname -i; printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${serverIp} 80`],
    });
    expect(client.stdout).toContain('200 OK');
    expect(client.stdout).toContain(testPageText);
    const clientIp = client.stdout.split('\n')[0].trim();
    expect(clientIp).toMatch(/^10\.244\.1\./);
    // The server saw the client pod's own address: no masquerading between pods.
    const serverLog = await readLogs(onB, server.id);
    expect(serverLog).toContain(clientIp);
  });

  it("refuses to talk to anyone without a client certificate the cluster's CA signed", async () => {
    const port = node('a').enginePort!;
    const withoutCert = await httpsPing(port, { ca: pki.caPem });
    expect(withoutCert.ok).toBe(false);

    const strangerDir = mkdtempSync(join(tmpdir(), 'wh-test-stranger-'));
    try {
      const stranger = await loadClusterPki(strangerDir);
      const foreign = await httpsPing(port, { ca: pki.caPem, cert: stranger.client.cert, key: stranger.client.key });
      expect(foreign.ok).toBe(false);
    } finally {
      rmSync(strangerDir, { recursive: true, force: true });
    }

    const plain = await httpPing(port);
    expect(plain).not.toBe('OK');

    const trusted = await httpsPing(port, { ca: pki.caPem, cert: pki.client.cert, key: pki.client.key });
    expect(trusted).toEqual({ ok: true, body: 'OK' });
  });

  it('finds its nodes again by their labels, as a restarted engine would', async () => {
    const fresh = new NodeProvider({ docker, cluster, pki: await loadClusterPki(pkiDir), prefix: 'wh-test' });
    const found = await fresh.listNodes();
    expect(found.map((n) => [n.name, n.podCidr, n.containerId])).toEqual(
      nodes.map((n) => [n.name, n.podCidr, n.containerId]),
    );
    const adopted = await fresh.createNode({ name: 'a' });
    expect(adopted.containerId).toBe(node('a').containerId);
    const runtime = fresh.runtime(found[1]);
    expect(runtime).toMatchObject({ name: 'b', podCidr: '10.244.2.0/24', podGateway: '10.244.2.1' });
    expect(await runtime.docker.ping()).toBeTruthy();
  });

  it('brings a stopped node back with its images, and its pods reachable again', async () => {
    // Pods left by earlier tests would make the stop wait for their grace period.
    const leftovers = await provider.nodeDocker(node('b')).listContainers({ all: true });
    await Promise.all(leftovers.map((c) => provider.nodeDocker(node('b')).getContainer(c.Id).remove({ force: true })));
    let started = Date.now();
    await provider.stopNode('b');
    timings.push(`stop of a node: ${Date.now() - started} ms`);
    started = Date.now();
    await provider.createNode({ name: 'b' });
    const b = await provider.waitForNode('b');
    await provider.programPodNetwork();
    timings.push(`restart of a stopped node until its dockerd answers: ${Date.now() - started} ms`);
    const onB = provider.nodeDocker(b);
    expect(await inspectImage(onB, testBusyboxImage)).toBeDefined();

    const server = await onB.createContainer({
      Image: testBusyboxImage,
      Cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
    });
    await server.start();
    const serverIp = (await server.inspect()).NetworkSettings.IPAddress;
    const client = await runToCompletion(provider.nodeDocker(node('a')), {
      image: testBusyboxImage,
      cmd: ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${serverIp} 80`],
    });
    expect(client.stdout).toContain(testPageText);
  });
});

async function readLogs(docker: Docker, id: string): Promise<string> {
  const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true })) as unknown as Buffer;
  return raw.toString('latin1');
}

function httpsPing(
  port: number,
  tls: { ca: string; cert?: string; key?: string },
): Promise<{ ok: boolean; body?: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/_ping', method: 'GET', ...tls, timeout: 5_000, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ ok: res.statusCode === 200, body }));
        res.on('error', () => resolve({ ok: false }));
      },
    );
    req.on('error', () => resolve({ ok: false }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function httpPing(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/_ping', timeout: 5_000, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', (err) => resolve(`error: ${err.message}`));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
