// The registry of kinds the API server serves, built once from ResourceDefinitions.
// It answers the lookups every request needs (by group/version/resource, by kind, by
// short name) and owns the storage key layout, which follows the real apiserver:
// /registry/<resource>/<namespace>/<name> for the core group and
// /registry/<group>/<resource>/<namespace>/<name> for the others.
import type { ResourceDefinition } from './types';

/** GroupVersions lists the versions the registry serves for one API group, preferred first. */
export interface GroupVersions {
  group: string;
  versions: string[];
}

/** apiVersionOf returns the apiVersion string of a definition ('v1' or 'apps/v1'). */
export function apiVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** splitApiVersion splits 'apps/v1' into its group and version ('' group for 'v1'). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Registry indexes ResourceDefinitions for lookups and storage keys. */
export class Registry {
  private readonly defs: ResourceDefinition[] = [];
  private readonly byResource = new Map<string, ResourceDefinition>();
  private readonly byKindMap = new Map<string, ResourceDefinition>();
  private readonly byShort = new Map<string, ResourceDefinition>();
  private readonly groupOrder: string[] = [];
  private readonly versionsByGroup = new Map<string, string[]>();

  /** Registry takes the served kinds; the first definition of a group/version/resource wins. */
  constructor(definitions: ResourceDefinition[]) {
    for (const def of definitions) {
      const id = `${def.group}/${def.version}/${def.resource}`;
      if (this.byResource.has(id)) continue;
      this.byResource.set(id, def);
      this.defs.push(def);
      const kindId = `${def.group}/${def.version}/${def.kind}`;
      if (!this.byKindMap.has(kindId)) this.byKindMap.set(kindId, def);
      for (const short of def.shortNames ?? []) if (!this.byShort.has(short)) this.byShort.set(short, def);
      if (!this.versionsByGroup.has(def.group)) {
        this.versionsByGroup.set(def.group, []);
        this.groupOrder.push(def.group);
      }
      const versions = this.versionsByGroup.get(def.group)!;
      if (!versions.includes(def.version)) versions.push(def.version);
    }
    // The core group always comes first, as in /api before /apis.
    this.groupOrder.sort((a, b) => (a === '' ? -1 : b === '' ? 1 : 0));
  }

  /** all returns every definition in registration order. */
  all(): ResourceDefinition[] {
    return [...this.defs];
  }

  /** lookup finds a kind by group, version and plural resource name. */
  lookup(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byResource.get(`${group}/${version}/${resource}`);
  }

  /** byKind finds a kind by group, version and kind name. */
  byKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    return this.byKindMap.get(`${group}/${version}/${kind}`);
  }

  /** byApiVersionKind finds a kind by apiVersion ('apps/v1') and kind name. */
  byApiVersionKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.byKind(group, version, kind);
  }

  /** byShortName finds a kind by one of its short names ('po', 'deploy'). */
  byShortName(shortName: string): ResourceDefinition | undefined {
    return this.byShort.get(shortName);
  }

  /**
   * resolve finds a kind the way people name it: plural, singular, short name or kind,
   * optionally qualified by group ('deployments.apps').
   */
  resolve(name: string): ResourceDefinition | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot < 0 ? lower : lower.slice(0, dot);
    const group = dot < 0 ? undefined : lower.slice(dot + 1);
    const candidates = this.defs.filter((d) => group === undefined || d.group === group);
    return (
      candidates.find((d) => d.resource === base) ??
      candidates.find((d) => d.singular === base) ??
      candidates.find((d) => (d.shortNames ?? []).includes(base)) ??
      candidates.find((d) => d.kind.toLowerCase() === base)
    );
  }

  /** groups lists the API groups with their versions, the core group ('') first. */
  groups(): GroupVersions[] {
    return this.groupOrder.map((group) => ({ group, versions: [...this.versionsByGroup.get(group)!] }));
  }

  /** resourcesOf lists the kinds served in one group version. */
  resourcesOf(group: string, version: string): ResourceDefinition[] {
    return this.defs.filter((d) => d.group === group && d.version === version);
  }

  /** hasGroupVersion tells whether any kind is served in group/version. */
  hasGroupVersion(group: string, version: string): boolean {
    return this.versionsByGroup.get(group)?.includes(version) ?? false;
  }
}

/** resourcePrefix is the storage prefix of a kind, e.g. '/registry/apps/deployments/'. */
export function resourcePrefix(def: Pick<ResourceDefinition, 'group' | 'resource'>): string {
  return def.group ? `/registry/${def.group}/${def.resource}/` : `/registry/${def.resource}/`;
}

/** storagePrefix is the prefix holding a kind's objects, in one namespace when given. */
export function storagePrefix(def: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced'>, namespace?: string): string {
  const base = resourcePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

/** storageKey is the key of one object: /registry/[group/]resource/[namespace/]name. */
export function storageKey(
  def: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced'>,
  namespace: string | undefined,
  name: string,
): string {
  return def.namespaced ? `${resourcePrefix(def)}${namespace ?? ''}/${name}` : `${resourcePrefix(def)}${name}`;
}
