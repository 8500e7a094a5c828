// Admission: checks and changes a write goes through after validation and before it
// is stored, the way the real apiserver runs admission plugins and registry
// strategies (service IP allocation, quota, limit ranges).
import type { KubeObject } from '../../../shared/api/meta';
import type { ResourceDefinition } from '../registry/types';
import type { RestContext } from '../rest/context';
import type { Caller } from '../rest/types';

/** AdmissionRequest is one create or update on its way to the store. */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE';
  def: ResourceDefinition;
  /** The object about to be stored; plugins may change it in place. */
  obj: KubeObject;
  old?: KubeObject;
  namespace?: string;
  caller: Caller;
  dryRun: boolean;
}

/** AdmissionPlugin admits a write (resolving) or refuses it (throwing an ApiError). */
export interface AdmissionPlugin {
  name: string;
  admit(ctx: RestContext, request: AdmissionRequest): Promise<void>;
}

/** runAdmission runs every plugin in order. */
export async function runAdmission(ctx: RestContext, request: AdmissionRequest): Promise<void> {
  for (const plugin of ctx.admission) await plugin.admit(ctx, request);
}
