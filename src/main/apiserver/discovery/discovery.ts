// API discovery: the legacy documents (/api, /apis, /apis/<g>, /api/v1, /apis/<g>/<v>)
// and the aggregated ones (apidiscovery.k8s.io v2 and v2beta1) that newer clients ask
// for in one request, all derived from the registry.
import { apiVersionOf, type Registry } from '../registry/registry';
import type { ResourceDefinition } from '../registry/types';

/** SubresourceInfo describes one subresource in discovery. */
export interface SubresourceInfo {
  name: string;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

// Connect-style and special subresources the definitions may name in subresources.other.
const knownSubresources: Record<string, (def: ResourceDefinition) => Omit<SubresourceInfo, 'name'>> = {
  log: () => ({ kind: 'Pod', verbs: ['get'] }),
  exec: () => ({ kind: 'PodExecOptions', verbs: ['create', 'get'] }),
  attach: () => ({ kind: 'PodAttachOptions', verbs: ['create', 'get'] }),
  portforward: () => ({ kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }),
  proxy: (def) => ({ kind: `${def.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] }),
  binding: () => ({ kind: 'Binding', verbs: ['create'] }),
  eviction: () => ({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
  finalize: (def) => ({ kind: def.kind, verbs: ['update'] }),
  ephemeralcontainers: (def) => ({ kind: def.kind, verbs: ['get', 'patch', 'update'] }),
  resize: (def) => ({ kind: def.kind, verbs: ['get', 'patch', 'update'] }),
  token: () => ({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }),
  approval: (def) => ({ kind: def.kind, verbs: ['get', 'patch', 'update'] }),
};

/** subresourcesOf lists the subresources a kind serves, for discovery. */
export function subresourcesOf(def: ResourceDefinition): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  const sub = def.subresources ?? {};
  if (sub.status) out.push({ name: 'status', kind: def.kind, verbs: ['get', 'patch', 'update'] });
  if (sub.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  for (const name of sub.other ?? []) {
    const describe = knownSubresources[name];
    out.push({ name, ...(describe ? describe(def) : { kind: def.kind, verbs: ['get'] }) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** apiVersions is the body of GET /api. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

/** apiGroupList is the body of GET /apis. */
export function apiGroupList(registry: Registry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => groupEntry(g.group, g.versions)),
  };
}

/** apiGroup is the body of GET /apis/<group>, or undefined for an unknown group. */
export function apiGroup(registry: Registry, group: string): Record<string, unknown> | undefined {
  const found = registry.groups().find((g) => g.group === group && group !== '');
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.group, found.versions) } : undefined;
}

/** apiResourceList is the body of GET /api/v1 or /apis/<group>/<version>. */
export function apiResourceList(registry: Registry, group: string, version: string): Record<string, unknown> | undefined {
  if (!registry.hasGroupVersion(group, version)) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const def of registry.resourcesOf(group, version)) {
    const entry: Record<string, unknown> = {
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...def.verbs],
    };
    if (def.shortNames?.length) entry.shortNames = def.shortNames;
    if (def.categories?.length) entry.categories = def.categories;
    resources.push(entry);
    for (const sub of subresourcesOf(def)) {
      const subEntry: Record<string, unknown> = {
        name: `${def.resource}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== undefined) subEntry.group = sub.group;
      if (sub.version !== undefined) subEntry.version = sub.version;
      resources.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

/** AggregatedVersion is the apidiscovery.k8s.io version a client asked for. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/** aggregatedContentType is the Content-Type of an aggregated discovery response. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * wantsAggregated returns the aggregated discovery version the Accept header asks for
 * first, or undefined when the client wants the legacy documents.
 */
export function wantsAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    const mime = part.split(';')[0].trim();
    if (mime !== 'application/json' && mime !== '*/*' && mime !== 'application/*') continue;
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
      continue;
    }
    // A plain JSON entry before any aggregated one means the client prefers legacy documents.
    if (params.size === 0 || (params.size === 1 && params.has('q'))) return undefined;
  }
  return undefined;
}

/** aggregatedDiscovery is the APIGroupDiscoveryList for /api (core) or /apis (all other groups). */
export function aggregatedDiscovery(registry: Registry, core: boolean, version: AggregatedVersion): Record<string, unknown> {
  const items = registry
    .groups()
    .filter((g) => (core ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        freshness: 'Current',
        resources: registry.resourcesOf(g.group, v).map((def) => {
          const entry: Record<string, unknown> = {
            resource: def.resource,
            responseKind: { group: def.group, version: def.version, kind: def.kind },
            scope: def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: def.singular,
            verbs: [...def.verbs],
          };
          if (def.shortNames?.length) entry.shortNames = def.shortNames;
          if (def.categories?.length) entry.categories = def.categories;
          const subs = subresourcesOf(def);
          if (subs.length > 0) {
            entry.subresources = subs.map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group ?? def.group, version: s.version ?? def.version, kind: s.kind },
              verbs: s.verbs,
            }));
          }
          return entry;
        }),
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
