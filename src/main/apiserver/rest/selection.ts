// Turns labelSelector and fieldSelector query values into one predicate over objects.
// Every kind supports metadata.name and metadata.namespace; kinds add their own fields.
import type { KubeObject } from '../../../shared/api/meta';
import { matchesFields, matchesSelector, parseFieldSelector, parseSelector, SelectorError } from '../../../shared/labels';
import type { ResourceDefinition } from '../registry/types';
import { badRequest } from './errors';

/** Predicate tells whether an object is selected. */
export type Predicate = (obj: KubeObject) => boolean;

/** selectAll is the predicate of a request without selectors. */
export const selectAll: Predicate = () => true;

/** buildPredicate parses both selectors; a bad selector or an unknown field is a 400. */
export function buildPredicate(def: ResourceDefinition, labelSelector?: string, fieldSelector?: string): Predicate {
  const checks: Predicate[] = [];
  if (labelSelector && labelSelector.trim() !== '') {
    let parsed;
    try {
      parsed = parseSelector(labelSelector);
    } catch (err) {
      throw badRequest(err instanceof SelectorError ? err.message : `unable to parse requirement: ${String(err)}`);
    }
    if (parsed.length > 0) checks.push((obj) => matchesSelector(parsed, obj.metadata.labels));
  }
  if (fieldSelector && fieldSelector.trim() !== '') {
    let reqs;
    try {
      reqs = parseFieldSelector(fieldSelector);
    } catch (err) {
      throw badRequest(err instanceof Error ? err.message : String(err));
    }
    const extra = def.fieldSelectors ?? {};
    for (const r of reqs) {
      if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !(r.field in extra)) {
        throw badRequest(`field label not supported: ${r.field}`);
      }
    }
    if (reqs.length > 0) {
      checks.push((obj) => {
        const fields: Record<string, string | undefined> = {
          'metadata.name': obj.metadata.name,
          'metadata.namespace': obj.metadata.namespace ?? '',
        };
        for (const r of reqs) if (r.field in extra) fields[r.field] = extra[r.field](obj);
        return matchesFields(reqs, fields);
      });
    }
  }
  if (checks.length === 0) return selectAll;
  if (checks.length === 1) return checks[0];
  return (obj) => checks.every((c) => c(obj));
}
