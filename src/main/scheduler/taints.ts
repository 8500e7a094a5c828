// Taints and tolerations: which taint a toleration covers, and the first taint of a
// node that a pod does not tolerate.
import type { Taint, Toleration } from './types';

/** notReadyTaintKey is the taint Kubernetes puts on nodes whose Ready condition is False. */
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
/** unreachableTaintKey is the taint Kubernetes puts on nodes whose Ready condition is Unknown. */
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
/** unschedulableTaintKey is the taint that stands for spec.unschedulable (kubectl cordon). */
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';
/** controlPlaneTaintKey keeps ordinary workloads off control-plane nodes. */
export const controlPlaneTaintKey = 'node-role.kubernetes.io/control-plane';

/**
 * toleratesTaint tells whether a toleration covers a taint: an empty effect covers
 * every effect, an empty key (with Exists) every key; Exists ignores the value and
 * Equal (the default) compares it.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** tolerates tells whether any of the tolerations covers the taint. */
export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** findUntoleratedTaint returns the first taint with one of the effects that no toleration covers. */
export function findUntoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[] | undefined, effects: string[]): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerates(tolerations, taint));
}
