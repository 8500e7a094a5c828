// What every generic REST operation needs: the store, the registry, the schemas, the
// authorizer (for access reviews), the clock, and handlers for virtual kinds.
import type { KubeObject } from '../../../shared/api/meta';
import type { Store } from '../../store/types';
import type { Authorizer } from '../auth/authorizer';
import type { Registry } from '../registry/registry';
import type { JSONSchema, ResourceDefinition } from '../registry/types';
import type { SchemaResolver } from '../schema/schemaResolver';
import type { Caller, WriteOptions } from './types';
import type { AdmissionPlugin } from '../admission/types';

/** VirtualHandler answers a create of a kind that is never stored (e.g. SelfSubjectAccessReview). */
export type VirtualHandler = (ctx: RestContext, def: ResourceDefinition, obj: KubeObject, caller: Caller, namespace?: string) => Promise<KubeObject>;

/** RestContext is shared by all generic REST operations of one API server. */
export interface RestContext {
  store: Store;
  registry: Registry;
  resolver: SchemaResolver;
  authorizer: Authorizer;
  now(): Date;
  /** Handlers for virtual kinds, keyed by 'group/kind'. */
  virtualHandlers: Map<string, VirtualHandler>;
  /** Admission plugins every create and update of a stored kind goes through. */
  admission: AdmissionPlugin[];
}

/** schemaOf returns the resolved schema of a kind's objects. */
export function schemaOf(ctx: RestContext, def: ResourceDefinition): JSONSchema | undefined {
  return ctx.resolver.definition(def.schemaName) ?? ctx.resolver.resolve(def.definitions[def.schemaName]);
}

/** managerOf names the field manager of a write: the fieldManager option or the client's name. */
export function managerOf(caller: Caller, options: WriteOptions): string {
  if (options.fieldManager) return options.fieldManager;
  const agent = caller.userAgent?.split('/')[0]?.trim();
  return agent ? agent.slice(0, 128) : 'unknown';
}
