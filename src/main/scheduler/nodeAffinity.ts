// Node selection by labels and fields: spec.nodeSelector and the required and
// preferred node affinity terms (In, NotIn, Exists, DoesNotExist, Gt, Lt;
// matchFields on metadata.name).
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from './types';

function integer(value: string): bigint | undefined {
  return /^[+-]?\d+$/.test(value.trim()) ? BigInt(value.trim()) : undefined;
}

/** requirementMatches tells whether one requirement holds for a set of labels (or fields). */
export function requirementMatches(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const key = req.key ?? '';
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const value = labels[key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const actual = integer(value);
      const wanted = integer(values[0]);
      if (actual === undefined || wanted === undefined) return false;
      return req.operator === 'Gt' ? actual > wanted : actual < wanted;
    }
    default:
      return false;
  }
}

/** termMatches tells whether a node satisfies every expression and field requirement of a term; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!expressions.every((r) => requirementMatches(r, labels))) return false;
  // metadata.name is the only node field Kubernetes lets a term select on.
  const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
  return fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, nodeFields));
}

/** termsMatch tells whether a node satisfies any of the terms (they are ORed). */
export function termsMatch(terms: NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => termMatches(t, node));
}

/** podMatchesNodeSelectorAndAffinity tells whether a node satisfies a pod's nodeSelector and required node affinity. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !termsMatch(required.nodeSelectorTerms ?? [], node)) return false;
  return true;
}

/** preferredAffinityWeight sums the weights of the pod's preferred node affinity terms the node matches. */
export function preferredAffinityWeight(pod: Pod, node: Node): number {
  let sum = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight && p.preference && termMatches(p.preference, node)) sum += p.weight;
  }
  return sum;
}
