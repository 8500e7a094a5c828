// RBAC rule semantics: what one rule allows, and what a set of rules fails to cover,
// in the notation Kubernetes prints.
import { describe, expect, it } from 'vitest';
import type { AuthorizationAttributes } from '../auth/authorizer';
import { compactRule, missingRules, ruleAllows } from './rules';

const user = { username: 'u', groups: [] };

function res(verb: string, resource: string, extra: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes {
  return { user, verb, resourceRequest: true, apiGroup: '', resource, ...extra };
}

describe('ruleAllows', () => {
  it('matches verbs, groups and resources, with wildcards', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments'] };
    expect(ruleAllows(rule, res('get', 'pods'))).toBe(true);
    expect(ruleAllows(rule, res('list', 'deployments', { apiGroup: 'apps' }))).toBe(true);
    expect(ruleAllows(rule, res('delete', 'pods'))).toBe(false);
    expect(ruleAllows(rule, res('get', 'pods', { apiGroup: 'batch' }))).toBe(false);
    expect(
      ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, res('escalate', 'roles', { apiGroup: 'x' })),
    ).toBe(true);
  });

  it('treats subresources as their own resources, and */sub as that subresource of anything', () => {
    expect(
      ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' })),
    ).toBe(false);
    expect(
      ruleAllows(
        { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
        res('get', 'pods', { subresource: 'log' }),
      ),
    ).toBe(true);
    expect(
      ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, res('get', 'pods', { subresource: 'log' })),
    ).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, res('get', 'pods'))).toBe(false);
    expect(
      ruleAllows(
        { verbs: ['get'], apiGroups: [''], resources: ['*/status'] },
        res('get', 'pods', { subresource: 'log' }),
      ),
    ).toBe(false);
  });

  it('limits by resource names when the rule has any', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] };
    expect(ruleAllows(rule, res('get', 'configmaps', { name: 'app' }))).toBe(true);
    expect(ruleAllows(rule, res('get', 'configmaps', { name: 'other' }))).toBe(false);
    // A list names no object, so a rule limited to names never allows it.
    expect(ruleAllows(rule, res('list', 'configmaps'))).toBe(false);
  });

  it('matches non-resource URLs exactly, by prefix* or by *', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    const path = (p: string, verb = 'get'): AuthorizationAttributes => ({
      user,
      verb,
      resourceRequest: false,
      path: p,
    });
    expect(ruleAllows(rule, path('/healthz'))).toBe(true);
    expect(ruleAllows(rule, path('/healthz/etcd'))).toBe(false);
    expect(ruleAllows(rule, path('/apis/apps/v1'))).toBe(true);
    expect(ruleAllows(rule, path('/apis/apps/v1', 'post'))).toBe(false);
    expect(ruleAllows({ verbs: ['*'], nonResourceURLs: ['*'] }, path('/anything'))).toBe(true);
    // A resource rule never allows a path, and a path rule never allows a resource.
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path('/version'))).toBe(false);
    expect(ruleAllows(rule, res('get', 'pods'))).toBe(false);
  });
});

describe('missingRules', () => {
  it('reports each permission not held, broken down to one verb and resource', () => {
    const owned = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }];
    expect(missingRules(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])).toEqual([]);
    expect(
      missingRules(owned, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }]).map(
        compactRule,
      ),
    ).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}',
    ]);
  });

  it('lets wildcards and */sub cover, and names narrow', () => {
    expect(
      missingRules(
        [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }],
      ),
    ).toEqual([]);
    expect(
      missingRules(
        [{ verbs: ['get'], apiGroups: [''], resources: ['*/log'] }],
        [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }],
      ),
    ).toEqual([]);
    const named = [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }];
    expect(
      missingRules(named, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }]),
    ).toEqual([]);
    expect(
      missingRules(named, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]).map(compactRule),
    ).toEqual(['{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}']);
    expect(
      missingRules(
        [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }],
        [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }],
      ),
    ).toEqual([]);
    expect(missingRules([], [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]).map(compactRule)).toEqual([
      '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    ]);
  });
});
