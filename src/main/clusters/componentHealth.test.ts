// Control-plane component checks: a real DNS exchange over UDP on loopback, and the
// monitor that keeps the latest result of each check with the reason for a failure.
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { dnsCheck, startComponentMonitor } from './componentHealth';

let server: Socket | undefined;

afterEach(() => {
  server?.close();
  server = undefined;
});

async function fakeDns(rcode: 'NOERROR' | 'NXDOMAIN'): Promise<number> {
  server = createSocket('udp4');
  const socket = server;
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const answers = rcode === 'NOERROR' ? [{ type: 'A' as const, name: query.questions![0].name, ttl: 5, data: '10.96.0.1' }] : [];
    const flags = rcode === 'NXDOMAIN' ? 3 : 0;
    socket.send(dnsPacket.encode({ type: 'response', id: query.id, flags, questions: query.questions, answers }), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return (socket.address() as AddressInfo).port;
}

describe('component checks', () => {
  it('find cluster DNS healthy when it answers with an address, and say so when it does not', async () => {
    await expect(dnsCheck('127.0.0.1', await fakeDns('NOERROR'))()).resolves.toBeUndefined();
    server?.close();
    await expect(dnsCheck('127.0.0.1', await fakeDns('NXDOMAIN'))()).rejects.toThrow('kubernetes.default.svc.cluster.local: NXDOMAIN');
  });

  it('keep the latest result of every check, with the reason for each failure', async () => {
    const monitor = startComponentMonitor({
      store: async () => undefined,
      apiserver: async () => {
        throw new Error('/readyz answered 500');
      },
    });
    try {
      expect(monitor.current().map((c) => c.healthy)).toEqual([false, false]);
      await monitor.check();
      const [store, apiserver] = monitor.current();
      expect(store).toMatchObject({ name: 'store', healthy: true });
      expect(apiserver).toMatchObject({ name: 'apiserver', healthy: false, message: '/readyz answered 500' });
    } finally {
      monitor.stop();
    }
  });
});
