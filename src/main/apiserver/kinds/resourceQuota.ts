// core/v1 ResourceQuota: limits on the total resources and object counts of a
// namespace.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { defineKind, keepStatus } from './defineKind';
import { Path, required } from './fieldErrors';
import { atomicList, coreV1, enumStr, obj, quantityMap, ref, str, strList } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { ResourceList } from './types';
import { oneOf, validateResourceList } from './validation';

const C = coreV1;
const scopes = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
  'VolumeAttributesClass',
];

/** ResourceQuota is a core/v1 ResourceQuota. */
export interface ResourceQuota extends KubeObject {
  spec?: {
    hard?: ResourceList;
    scopes?: string[];
    scopeSelector?: { matchExpressions?: { scopeName?: string; operator?: string; values?: string[] }[] };
  };
  status?: { hard?: ResourceList; used?: ResourceList };
}

function validateQuota(q: ResourceQuota): FieldError[] {
  const path = new Path('spec');
  const errs = validateResourceList(q.spec?.hard, path.child('hard'));
  (q.spec?.scopes ?? []).forEach((s, i) => errs.push(...oneOf(s, scopes, path.child('scopes').index(i), true)));
  (q.spec?.scopeSelector?.matchExpressions ?? []).forEach((e, i) => {
    const p = path.child('scopeSelector', 'matchExpressions').index(i);
    errs.push(...oneOf(e.scopeName, scopes, p.child('scopeName'), true));
    errs.push(...oneOf(e.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist'], p.child('operator'), true));
    if ((e.operator === 'In' || e.operator === 'NotIn') && (e.values ?? []).length === 0) {
      errs.push(required(p.child('values'), "must be at least one value when `operator` is 'In' or 'NotIn'"));
    }
  });
  return errs;
}

function usageCells(q: ResourceQuota): [string, string] {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`;
    if (name.startsWith('limits.')) limits.push(cell);
    else requests.push(cell);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** resourceQuotaKind is the ResourceDefinition of core/v1 resourcequotas. */
export const resourceQuotaKind = defineKind<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  namespaced: true,
  shortNames: ['quota'],
  subresources: { status: true },
  description: 'Caps on the total resources (CPU, memory, storage) and object counts of a namespace.',
  properties: {
    spec: ref(C + 'ResourceQuotaSpec', 'The limits to enforce.'),
    status: ref(C + 'ResourceQuotaStatus', 'Limits in force and current usage.'),
  },
  definitions: {
    [C + 'ResourceQuotaSpec']: obj('Limits of a quota.', {
      hard: quantityMap('Most allowed per resource, e.g. requests.cpu: "4", pods: "10".'),
      scopes: strList('Only count objects in these scopes, e.g. BestEffort.'),
      scopeSelector: ref(C + 'ScopeSelector', 'Only count objects matched by these scope expressions.'),
    }),
    [C + 'ScopeSelector']: {
      ...obj('Scope expressions, ANDed.', {
        matchExpressions: atomicList('The expressions.', ref(C + 'ScopedResourceSelectorRequirement')),
      }),
      'x-kubernetes-map-type': 'atomic',
    },
    [C + 'ScopedResourceSelectorRequirement']: obj(
      'A requirement on a quota scope.',
      {
        scopeName: str('Scope the requirement applies to.'),
        operator: enumStr('In, NotIn, Exists or DoesNotExist.', ['DoesNotExist', 'Exists', 'In', 'NotIn']),
        values: strList('Values for In and NotIn.'),
      },
      ['scopeName', 'operator'],
    ),
    [C + 'ResourceQuotaStatus']: obj('Enforced limits and usage.', {
      hard: quantityMap('Limits in force.'),
      used: quantityMap('Current usage.'),
    }),
  },
  prepareForCreate(q) {
    q.status = {};
  },
  prepareForUpdate(q, old) {
    keepStatus(q, old);
  },
  validate: validateQuota,
  table: {
    columns: [
      nameColumn,
      ageColumn,
      column('Request', 'Used and allowed amounts of requested resources and object counts.'),
      column('Limit', 'Used and allowed amounts of resource limits.'),
    ],
    row(q, now) {
      return [q.metadata.name ?? '', age(q, now), ...usageCells(q)];
    },
  },
});
