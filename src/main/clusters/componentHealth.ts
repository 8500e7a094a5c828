// The health of a cluster's control-plane components, checked the way a person would
// check them: the API server answers /readyz over HTTPS, the store reads, cluster DNS
// resolves kubernetes.default. The scheduler and the controller manager are loops in
// the engine itself, so they are reported running while the cluster runs. Checks run
// every few seconds in the background; the summary the UI reads never waits on them.
import { createSocket } from 'node:dgram';
import { request } from 'node:https';
import * as dnsPacket from 'dns-packet';
import type { ComponentHealth } from '../../shared/gateway';
import type { Logger } from '../log';

/** ComponentCheck resolves when a component is healthy and rejects with the reason when not. */
export type ComponentCheck = () => Promise<void>;

const checkTimeoutMs = 3_000;

function withTimeout(check: ComponentCheck, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${checkTimeoutMs / 1000} s`)), checkTimeoutMs);
    check().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** apiServerCheck asks the API server's /readyz over HTTPS, trusting only the cluster CA. */
export function apiServerCheck(port: number, caPem: string): ComponentCheck {
  return () =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/readyz', ca: caPem, servername: 'localhost' }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else reject(new Error(`/readyz answered ${res.statusCode ?? 'nothing'}`));
      });
      req.on('error', reject);
      req.end();
    });
}

/** dnsCheck asks cluster DNS for kubernetes.default's address and expects one. */
export function dnsCheck(host: string, port: number): ComponentCheck {
  return () =>
    new Promise((resolve, reject) => {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      const done = (err?: Error) => {
        socket.close();
        if (err) reject(err);
        else resolve();
      };
      socket.on('error', (err) => done(err));
      socket.on('message', (message) => {
        try {
          const answer = dnsPacket.decode(message);
          const rcode = (answer as { rcode?: string }).rcode ?? 'NOERROR';
          if (rcode === 'NOERROR' && (answer.answers ?? []).some((a) => a.type === 'A')) done();
          else done(new Error(`kubernetes.default.svc.cluster.local: ${rcode === 'NOERROR' ? 'no address' : rcode}`));
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)));
        }
      });
      const query = dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local' }] });
      socket.send(query, port, host);
    });
}

/** ComponentMonitor keeps the latest health of each component. */
export interface ComponentMonitor {
  current(): ComponentHealth[];
  /** check runs every check now. */
  check(): Promise<void>;
  stop(): void;
}

/** startComponentMonitor checks each component now and then every intervalMs. */
export function startComponentMonitor(checks: Record<string, ComponentCheck>, options: { intervalMs?: number; log?: Logger } = {}): ComponentMonitor {
  let latest: ComponentHealth[] = Object.keys(checks).map((name) => ({ name, healthy: false, message: 'not checked yet' }));
  let running: Promise<void> | undefined;
  const check = () => {
    running ??= (async () => {
      const at = new Date().toISOString();
      latest = await Promise.all(
        Object.entries(checks).map(async ([name, run]) => {
          try {
            await withTimeout(run, name);
            return { name, healthy: true, checkedAt: at };
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            options.log?.warn('a control-plane component is unhealthy', { component: name, message });
            return { name, healthy: false, message, checkedAt: at };
          }
        }),
      );
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  void check();
  const timer = setInterval(() => void check(), options.intervalMs ?? 10_000);
  timer.unref();
  return {
    current: () => latest,
    check,
    stop: () => clearInterval(timer),
  };
}
