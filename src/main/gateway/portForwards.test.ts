// Port-forwards without a cluster: a fake API answers the reads and a local echo
// server stands in for the pod, so these check choosing the target, the listener on
// 127.0.0.1 and the one-sentence errors.
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { choosePod, type ClusterAccess, PortForwards, resolveTarget } from './portForwards';

const servers: Server[] = [];
const managers: PortForwards[] = [];

afterEach(async () => {
  for (const m of managers.splice(0)) await m.stopAll();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const ready = (name: string, since: string, ports: { name?: string; containerPort: number }[] = []) => ({
  metadata: { name },
  spec: { containers: [{ ports }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] },
});
const notReady = (name: string) => ({ metadata: { name }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } });

function fakeApi(objects: Record<string, unknown>, echoPort = 0): ClusterAccess & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async get(_cluster, path) {
      const found = objects[path];
      return found === undefined ? { status: 404, body: { kind: 'Status', message: 'not found' } } : { status: 200, body: found };
    },
    async openPodPort(_cluster, namespace, pod, port) {
      opened.push(`${namespace}/${pod}:${port}`);
      const socket = connect(echoPort, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    },
  };
}

const service = {
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090 }] },
};
const objects = {
  '/api/v1/namespaces/default/services/web': service,
  '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb': {
    items: [notReady('a'), ready('c', '2024-01-02T00:00:00Z', [{ name: 'web', containerPort: 8080 }]), ready('b', '2024-01-01T00:00:00Z', [{ name: 'web', containerPort: 8081 }])],
  },
  '/api/v1/namespaces/default/pods/b': ready('b', '2024-01-01T00:00:00Z', [{ name: 'web', containerPort: 8081 }]),
  '/api/v1/namespaces/default/pods/pending': { metadata: { name: 'pending' }, status: { phase: 'Pending' } },
  '/api/v1/namespaces/default/services/headless': { metadata: { name: 'headless' }, spec: { ports: [{ port: 80 }] } },
};
const request = { cluster: 'dev', namespace: 'default' };

describe('resolveTarget', () => {
  it('sends a service port to the longest-ready pod and its named target port, as kubectl does', async () => {
    expect(await resolveTarget(fakeApi(objects), { ...request, kind: 'service', name: 'web', port: 80 })).toEqual({ pod: 'b', podPort: 8081 });
    expect(await resolveTarget(fakeApi(objects), { ...request, kind: 'service', name: 'web', port: 'metrics' })).toEqual({ pod: 'b', podPort: 9090 });
    expect(choosePod([notReady('x')])).toBeUndefined();
  });

  it('takes a pod port by number or by container port name', async () => {
    expect(await resolveTarget(fakeApi(objects), { ...request, kind: 'pod', name: 'b', port: 'web' })).toEqual({ pod: 'b', podPort: 8081 });
    expect(await resolveTarget(fakeApi(objects), { ...request, kind: 'pod', name: 'b', port: '3000' })).toEqual({ pod: 'b', podPort: 3000 });
  });

  it('says in one sentence why there is nothing to forward to', async () => {
    const api = fakeApi(objects);
    await expect(resolveTarget(api, { ...request, kind: 'pod', name: 'gone', port: 80 })).rejects.toThrow('The pod default/gone does not exist.');
    await expect(resolveTarget(api, { ...request, kind: 'pod', name: 'pending', port: 80 })).rejects.toThrow(
      'The pod default/pending is not running (Pending), so there is nothing to forward to yet.',
    );
    await expect(resolveTarget(api, { ...request, kind: 'service', name: 'web', port: 443 })).rejects.toThrow('The service default/web has no port 443.');
    await expect(resolveTarget(api, { ...request, kind: 'service', name: 'headless', port: 80 })).rejects.toThrow(
      'The service default/headless has no selector, so it has no pods to forward to.',
    );
    const none = fakeApi({ ...objects, '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb': { items: [notReady('a')] } });
    await expect(resolveTarget(none, { ...request, kind: 'service', name: 'web', port: 80 })).rejects.toThrow('The service default/web has no ready pod to forward to.');
  });
});

describe('PortForwards', () => {
  it('listens on 127.0.0.1, relays each connection to the pod, and stops', async () => {
    const echo = createServer((s) => s.on('data', (c: Buffer) => s.write(c.toString().toUpperCase())));
    servers.push(echo);
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const api = fakeApi(objects, (echo.address() as AddressInfo).port);
    const forwards = new PortForwards(api, createLogger('test'));
    managers.push(forwards);
    const forward = await forwards.start({ ...request, kind: 'service', name: 'web', port: 80 });
    expect(forward).toMatchObject({ pod: 'b', podPort: 8081, url: `http://127.0.0.1:${forward.localPort}` });
    expect(forwards.list().map((f) => f.id)).toEqual([forward.id]);

    const client = connect(forward.localPort, '127.0.0.1');
    client.write('ping');
    const [reply] = (await once(client, 'data')) as [Buffer];
    expect(reply.toString()).toBe('PING');
    expect(api.opened).toEqual(['default/b:8081']);
    client.destroy();

    await forwards.stop(forward.id);
    expect(forwards.list()).toEqual([]);
    const refused = connect(forward.localPort, '127.0.0.1');
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
    await expect(forwards.stop(forward.id)).rejects.toThrow('That port-forward is not running (any more).');
  });

  it('refuses a local port that is taken, in one sentence', async () => {
    const taken = createServer();
    servers.push(taken);
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    const forwards = new PortForwards(fakeApi(objects), createLogger('test'));
    managers.push(forwards);
    await expect(forwards.start({ ...request, kind: 'pod', name: 'b', port: 8081, localPort: port })).rejects.toThrow(
      `Port ${port} on 127.0.0.1 is already in use; choose another one, or leave it empty for a free one.`,
    );
    await expect(forwards.start({ ...request, kind: 'pod', name: 'b', port: 8081, localPort: 70000 })).rejects.toThrow(/local port must be a number/);
    expect(forwards.list()).toEqual([]);
  });
});
