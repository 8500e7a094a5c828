// RBAC rule semantics, as Kubernetes defines them: when one PolicyRule allows a
// request (verbs, API groups, resources with subresources, resource names,
// non-resource URLs, and the '*' wildcards), and when a set of rules covers another
// (the escalation check), with the compact rule notation Kubernetes prints.
import type { PolicyRule } from '../kinds/rbac';
import type { AuthorizationAttributes } from '../auth/authorizer';

const all = '*';

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && list.includes(value);
}

/** verbMatches tells whether the rule names the verb or '*'. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, all) || has(rule.verbs, verb);
}

/** apiGroupMatches tells whether the rule names the API group or '*'. */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, all) || has(rule.apiGroups, group);
}

/**
 * resourceMatches tells whether the rule names the resource: '*', the exact
 * resource ('pods', or 'pods/log' for a subresource), or '*\/log' for that subresource of any resource.
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === all || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource))
      return true;
  }
  return false;
}

/** resourceNameMatches tells whether the rule allows the object name (rules without names allow all). */
export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return name !== undefined && names.includes(name);
}

/** nonResourceURLMatches tells whether the rule allows a path: '*', the exact path, or a 'prefix*'. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === all || url === path) return true;
    if (url.endsWith(all) && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

/** ruleAllows tells whether one rule allows the request described by attrs. */
export function ruleAllows(rule: PolicyRule, attrs: AuthorizationAttributes): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path ?? '');
  return (
    apiGroupMatches(rule, attrs.apiGroup ?? '') &&
    resourceMatches(rule, attrs.resource ?? '', attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}

/**
 * breakdownRule splits a rule into rules of one verb and one group, resource, name or
 * URL each, the unit in which missing permissions are reported.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const verbs = rule.verbs ?? [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        else
          for (const name of names)
            out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function hasAll(set: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((w) => has(set, w));
}

function resourcesCovered(owned: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  if (has(owned, all) || hasAll(owned, wanted)) return true;
  for (const path of wanted ?? []) {
    if (has(owned, path)) continue;
    const slash = path.indexOf('/');
    // A plain resource is only covered by itself or '*'; a subresource also by '*/sub'.
    if (slash === -1 || !has(owned, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function urlsCovered(owned: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((url) =>
    (owned ?? []).some((o) => o === url || (o.endsWith(all) && url.startsWith(o.slice(0, -1)))),
  );
}

/** ruleCovers tells whether an owned rule grants everything in a (broken-down) wanted rule. */
export function ruleCovers(owned: PolicyRule, wanted: PolicyRule): boolean {
  const verbs = has(owned.verbs, all) || hasAll(owned.verbs, wanted.verbs);
  const groups = has(owned.apiGroups, all) || hasAll(owned.apiGroups, wanted.apiGroups);
  const ownedNames = owned.resourceNames ?? [];
  const names =
    ownedNames.length === 0 || ((wanted.resourceNames ?? []).length > 0 && hasAll(ownedNames, wanted.resourceNames));
  return (
    verbs &&
    groups &&
    names &&
    resourcesCovered(owned.resources, wanted.resources) &&
    urlsCovered(owned.nonResourceURLs, wanted.nonResourceURLs)
  );
}

/** missingRules returns the broken-down parts of wanted that no owned rule covers (empty: covered). */
export function missingRules(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const part of breakdownRule(rule)) {
      if (!owned.some((o) => ruleCovers(o, part))) missing.push(part);
    }
  }
  return missing;
}

/** quoteList renders a string list the way Go's %q does: ["a" "b"]. */
export function quoteList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** compactRule renders a rule in Kubernetes' compact notation, e.g. {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if ((rule.apiGroups ?? []).length > 0) parts.push(`APIGroups:${quoteList(rule.apiGroups!)}`);
  if ((rule.resources ?? []).length > 0) parts.push(`Resources:${quoteList(rule.resources!)}`);
  if ((rule.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${quoteList(rule.nonResourceURLs!)}`);
  if ((rule.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${quoteList(rule.resourceNames!)}`);
  if ((rule.verbs ?? []).length > 0) parts.push(`Verbs:${quoteList(rule.verbs!)}`);
  return `{${parts.join(', ')}}`;
}
