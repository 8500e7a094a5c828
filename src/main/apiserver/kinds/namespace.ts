// core/v1 Namespace: a scope for names, and the unit most policies apply to.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateQualifiedName } from '../../../shared/labels';
import { defineKind, keepStatus } from './defineKind';
import { Path, invalid, invalidEach } from './fieldErrors';
import { conditionSchema } from './metaSchemas';
import { conditionList, coreV1, enumStr, list, obj, ref } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { Condition } from './types';
import { clone } from './validation';

const C = coreV1;

/** kubernetesFinalizer is the finalizer every namespace gets: its content is deleted before it goes. */
export const kubernetesFinalizer = 'kubernetes';
/** namespaceNameLabel is the label every namespace carries with its own name (for namespace selectors). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** Namespace is a core/v1 Namespace. */
export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const path = new Path('spec').child('finalizers');
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    const problems = validateQualifiedName(f);
    errs.push(...invalidEach(path.index(i), f, problems));
    if (problems.length === 0 && !f.includes('/') && f !== kubernetesFinalizer) {
      errs.push(invalid(path.index(i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/** namespaceKind is the ResourceDefinition of core/v1 namespaces. */
export const namespaceKind = defineKind<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  namespaced: false,
  shortNames: ['ns'],
  subresources: { status: true, other: ['finalize'] },
  nameRule: 'label',
  description: 'A scope for names; most objects live in a namespace, and deleting it deletes them.',
  properties: {
    spec: ref(C + 'NamespaceSpec', 'Finalizers of the namespace.'),
    status: ref(C + 'NamespaceStatus', 'Phase of the namespace: Active or Terminating.'),
  },
  definitions: {
    [C + 'NamespaceSpec']: obj('Desired state of a namespace.', {
      finalizers: list(
        'Steps that must finish before the namespace is removed.',
        { type: 'string' },
        { listType: 'atomic' },
      ),
    }),
    [C + 'NamespaceStatus']: obj('Observed state of a namespace.', {
      phase: enumStr('Active, or Terminating while its content is deleted.', ['Active', 'Terminating']),
      conditions: conditionList('Conditions of the deletion process.', C + 'NamespaceCondition'),
    }),
    [C + 'NamespaceCondition']: conditionSchema('One condition of a namespace.'),
  },
  defaults(ns) {
    const name = ns.metadata.name;
    if (name) ns.metadata.labels = { ...ns.metadata.labels, [namespaceNameLabel]: name };
    if (ns.status) ns.status.phase ??= 'Active';
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    const finalizers = (spec.finalizers ??= []);
    if (!finalizers.includes(kubernetesFinalizer)) finalizers.push(kubernetesFinalizer);
  },
  prepareForUpdate(ns, old) {
    // Finalizers change only through the finalize subresource.
    ns.spec = { ...ns.spec, finalizers: clone(old.spec?.finalizers ?? []) };
    keepStatus(ns, old);
  },
  validate: validateNamespace,
  table: {
    columns: [nameColumn, column('Status', 'Active, or Terminating while it is being deleted.'), ageColumn],
    row(ns, now) {
      return [ns.metadata.name ?? '', ns.status?.phase ?? '', age(ns, now)];
    },
  },
  fieldSelectors: {
    'status.phase': (ns) => ns.status?.phase ?? '',
  },
});
