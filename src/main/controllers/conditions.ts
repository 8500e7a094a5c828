// Status conditions as the workload controllers keep them: one per type; writing the
// same status and reason again changes nothing (so status writes stay quiet), and
// lastTransitionTime moves only when the status itself changes.
import type { Condition } from '../apiserver/kinds/types';

/** findCondition returns the condition of one type. */
export function findCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * setCondition returns conditions with next in place of the one of its type. An
 * existing condition with the same status and reason is kept as it is; one with the
 * same status keeps its lastTransitionTime.
 */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, next: C): C[] {
  const list = [...(conditions ?? [])];
  const current = list.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason) return list;
  const merged = { ...next };
  if (current && current.status === next.status && current.lastTransitionTime) merged.lastTransitionTime = current.lastTransitionTime;
  return [...list.filter((c) => c.type !== next.type), merged];
}

/** removeCondition returns conditions without the one of this type. */
export function removeCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
