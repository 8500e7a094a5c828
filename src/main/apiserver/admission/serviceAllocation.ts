// Service address allocation: a ClusterIP from the service range (10.96.0.0/16 by
// default) and NodePorts from 30000-32767. What is allocated is read from the stored
// services themselves, so an address is never handed out twice while a service holds
// it and is free again once that service is deleted. Addresses picked but not yet
// stored are held until the service's write commits (seen on a store watch), so two
// concurrent creates cannot pick the same one; a write that fails lets its hold expire.
import { ApiError } from '../../errors';
import { decodeObject } from '../rest/objectCodec';
import { storagePrefix } from '../registry/registry';
import type { RestContext } from '../rest/context';
import { serviceAllocations } from '../kinds/service';
import type { Service } from '../kinds/types';
import type { AdmissionPlugin } from './types';

/** ServiceRanges are the address and port ranges a cluster allocates from. */
export interface ServiceRanges {
  /** Base of the service CIDR, e.g. 10.96.0.0. */
  network: string;
  /** Prefix length of the service CIDR, e.g. 16. */
  prefix: number;
  nodePortMin: number;
  nodePortMax: number;
}

/** defaultServiceRanges match Kubernetes' defaults. */
export const defaultServiceRanges: ServiceRanges = { network: '10.96.0.0', prefix: 16, nodePortMin: 30000, nodePortMax: 32767 };

const holdMs = 30_000;

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** inServiceRange tells whether ip lies inside the service CIDR. */
export function inServiceRange(ip: string, ranges: ServiceRanges): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  const size = 2 ** (32 - ranges.prefix);
  const offset = ipToNumber(ip) - ipToNumber(ranges.network);
  return offset > 0 && offset < size - 1;
}

/** serviceAllocation allocates cluster IPs and node ports for services. */
export function serviceAllocation(ranges: ServiceRanges = defaultServiceRanges): AdmissionPlugin {
  /** Addresses picked but not yet seen in the store: what -> owner and expiry. */
  const held = new Map<string, { owner: string; until: number }>();
  let watching = false;
  let nextIp = 0;
  let nextPort = 0;

  // Once a service's write commits (or it is deleted) the store itself tells what is in use.
  const watchCommits = (ctx: RestContext, prefix: string) => {
    if (watching) return;
    watching = true;
    ctx.store.watch(prefix, ctx.store.currentRevision(), (event) => {
      const owner = event.kv.key.slice(prefix.length).replace(/^\//, '');
      for (const [what, hold] of held) if (hold.owner === owner) held.delete(what);
    });
  };

  const inUse = async (ctx: RestContext, self: string) => {
    const ips = new Set<string>();
    const ports = new Set<number>();
    const def = ctx.registry.lookup('', 'v1', 'services')!;
    watchCommits(ctx, storagePrefix(def));
    const { items } = await ctx.store.list(storagePrefix(def));
    for (const kv of items) {
      const svc = decodeObject(kv) as Service;
      if (`${svc.metadata.namespace}/${svc.metadata.name}` === self) continue;
      for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== 'None') ips.add(ip);
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
      if (svc.spec?.healthCheckNodePort) ports.add(svc.spec.healthCheckNodePort);
    }
    const now = Date.now();
    for (const [what, { until }] of held) {
      if (until < now) held.delete(what);
      else if (what.startsWith('ip:')) ips.add(what.slice(3));
      else ports.add(Number(what.slice(5)));
    }
    return { ips, ports };
  };

  const pickIp = (taken: Set<string>): string => {
    const size = 2 ** (32 - ranges.prefix) - 2;
    const base = ipToNumber(ranges.network) + 1;
    for (let i = 0; i < size; i++) {
      const ip = numberToIp(base + ((nextIp + i) % size));
      if (!taken.has(ip)) {
        nextIp = (nextIp + i + 1) % size;
        return ip;
      }
    }
    throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full');
  };

  const pickPort = (taken: Set<number>): number => {
    const size = ranges.nodePortMax - ranges.nodePortMin + 1;
    for (let i = 0; i < size; i++) {
      const port = ranges.nodePortMin + ((nextPort + i) % size);
      if (!taken.has(port)) {
        nextPort = (nextPort + i + 1) % size;
        return port;
      }
    }
    throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
  };

  const refuse = (svc: Service, field: string, value: unknown, message: string) =>
    new ApiError('Invalid', `Service "${svc.metadata.name}" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${message}`, {
      name: svc.metadata.name,
      kind: 'Service',
      causes: [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${message}` }],
    });

  return {
    name: 'ServiceAllocation',
    async admit(ctx, request) {
      if (request.def.group !== '' || request.def.resource !== 'services') return;
      const svc = request.obj as Service;
      const spec = (svc.spec ??= {});
      const self = `${svc.metadata.namespace}/${svc.metadata.name}`;
      const { ips, ports } = await inUse(ctx, self);
      const oldSpec = (request.old as Service | undefined)?.spec;
      const wanted = serviceAllocations(svc);
      const hold = (what: string) => held.set(what, { owner: self, until: Date.now() + holdMs });

      if (wanted.clusterIP) {
        const ip = pickIp(ips);
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
        hold(`ip:${ip}`);
      } else if (spec.clusterIP && spec.clusterIP !== 'None' && spec.clusterIP !== oldSpec?.clusterIP) {
        if (!inServiceRange(spec.clusterIP, ranges)) {
          throw refuse(svc, 'spec.clusterIPs', spec.clusterIP, `provided IP is not in the valid range. The range of valid IPs is ${ranges.network}/${ranges.prefix}`);
        }
        if (ips.has(spec.clusterIP)) throw refuse(svc, 'spec.clusterIPs', spec.clusterIP, 'provided IP is already allocated');
        spec.clusterIPs = [spec.clusterIP];
        hold(`ip:${spec.clusterIP}`);
      }
      const oldPorts = new Set((oldSpec?.ports ?? []).map((p) => p.nodePort).filter(Boolean));
      (spec.ports ?? []).forEach((p, i) => {
        if (wanted.nodePorts.includes(i)) {
          p.nodePort = pickPort(ports);
          ports.add(p.nodePort);
          hold(`port:${p.nodePort}`);
        } else if (p.nodePort && !oldPorts.has(p.nodePort)) {
          const field = `spec.ports[${i}].nodePort`;
          if (p.nodePort < ranges.nodePortMin || p.nodePort > ranges.nodePortMax) {
            throw refuse(svc, field, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${ranges.nodePortMin}-${ranges.nodePortMax}`);
          }
          if (ports.has(p.nodePort)) throw refuse(svc, field, p.nodePort, 'provided port is already allocated');
          ports.add(p.nodePort);
          hold(`port:${p.nodePort}`);
        }
      });
      if (wanted.healthCheckNodePort) {
        spec.healthCheckNodePort = pickPort(ports);
        hold(`port:${spec.healthCheckNodePort}`);
      }
    },
  };
}
