// core/v1 LimitRange: per-container, per-pod or per-claim bounds and defaults for
// resources in a namespace.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { compareQuantities, isQuantity } from '../../../shared/quantity';
import { defineKind } from './defineKind';
import { Path, invalid } from './fieldErrors';
import { atomicList, coreV1, obj, quantityMap, ref, str } from './schema';
import { column, nameColumn } from './table';
import type { ResourceList } from './types';
import { oneOf, validateResourceList } from './validation';

const C = coreV1;

interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

/** LimitRange is a core/v1 LimitRange. */
export interface LimitRange extends KubeObject {
  spec?: { limits?: LimitRangeItem[] };
}

const bounds = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

function lessOrEqual(
  errs: FieldError[],
  small: ResourceList | undefined,
  big: ResourceList | undefined,
  path: Path,
  what: (name: string, a: string, b: string) => string,
): void {
  for (const [name, q] of Object.entries(small ?? {})) {
    const other = big?.[name];
    if (other === undefined || !isQuantity(q) || !isQuantity(other)) continue;
    if (compareQuantities(q, other) > 0)
      errs.push(invalid(path.key(name), String(q), what(name, String(q), String(other))));
  }
}

function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const p = new Path('spec').child('limits').index(i);
    errs.push(...oneOf(item.type, ['Pod', 'Container', 'PersistentVolumeClaim'], p.child('type'), true));
    for (const b of bounds) errs.push(...validateResourceList(item[b], p.child(b)));
    lessOrEqual(errs, item.min, item.max, p.child('min'), (n, a, b) => `min value ${a} is greater than max value ${b}`);
    lessOrEqual(
      errs,
      item.min,
      item.default,
      p.child('default'),
      (n, a, b) => `min value ${a} is greater than default value ${b}`,
    );
    lessOrEqual(
      errs,
      item.default,
      item.max,
      p.child('default'),
      (n, a, b) => `default value ${a} is greater than max value ${b}`,
    );
    lessOrEqual(
      errs,
      item.defaultRequest,
      item.default,
      p.child('defaultRequest'),
      (n, a, b) => `default request value ${a} is greater than default limit value ${b}`,
    );
    if (item.type === 'Pod' && (item.default || item.defaultRequest)) {
      errs.push(invalid(p.child('default'), item.default ?? {}, "may not be specified when `type` is 'Pod'"));
    }
  });
  return errs;
}

function defaultLimitRange(lr: LimitRange): void {
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    const def = (item.default ??= {});
    const req = (item.defaultRequest ??= {});
    // Unset defaults fall back on max for limits, then on the limit or min for requests.
    for (const [k, v] of Object.entries(item.max ?? {})) def[k] ??= v;
    for (const [k, v] of Object.entries(def)) req[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) req[k] ??= v;
  }
}

/** limitRangeKind is the ResourceDefinition of core/v1 limitranges. */
export const limitRangeKind = defineKind<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  resource: 'limitranges',
  namespaced: true,
  shortNames: ['limits'],
  description: 'Bounds and defaults for the resources of containers, pods and claims in a namespace.',
  properties: {
    spec: ref(C + 'LimitRangeSpec', 'The limits.'),
  },
  definitions: {
    [C + 'LimitRangeSpec']: obj(
      'Limits of a namespace.',
      { limits: atomicList('One entry per kind of object limited.', ref(C + 'LimitRangeItem')) },
      ['limits'],
    ),
    [C + 'LimitRangeItem']: obj(
      'Limits for one kind of object.',
      {
        type: str('Container, Pod or PersistentVolumeClaim.'),
        max: quantityMap('Most allowed per resource.'),
        min: quantityMap('Least allowed per resource.'),
        default: quantityMap('Limit given to containers that set none.'),
        defaultRequest: quantityMap('Request given to containers that set none.'),
        maxLimitRequestRatio: quantityMap('Largest allowed ratio of limit to request.'),
      },
      ['type'],
    ),
  },
  defaults: defaultLimitRange,
  validate: validateLimitRange,
  table: {
    columns: [nameColumn, column('Created At', 'When the object was created.', 'date')],
    row(lr) {
      return [lr.metadata.name ?? '', lr.metadata.creationTimestamp ?? ''];
    },
  },
});
