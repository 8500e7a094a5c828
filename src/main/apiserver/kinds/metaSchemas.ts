// Shared schemas every kind uses: object metadata, owner references, label selectors,
// timestamps, quantities, int-or-string, conditions and object references.
import type { JSONSchema } from '../registry/types';
import type { Definitions } from './schema';
import {
  atomicList,
  bool,
  coreV1,
  int64,
  intOrStringName,
  keyedList,
  metaV1,
  obj,
  preserve,
  quantityName,
  ref,
  setList,
  str,
  strList,
  strMap,
  time,
} from './schema';

/** metaDefinitions are the apimachinery definitions (ObjectMeta, LabelSelector, Time, ...). */
export const metaDefinitions: Definitions = {
  [metaV1 + 'Time']: {
    type: 'string',
    format: 'date-time',
    description: 'A timestamp in RFC 3339 form, to the second.',
  },
  [metaV1 + 'MicroTime']: {
    type: 'string',
    format: 'date-time',
    description: 'A timestamp in RFC 3339 form, to the microsecond.',
  },
  [quantityName]: {
    description:
      'An amount of a resource: a number with an optional suffix, e.g. 100m (a tenth of a CPU), 1.5, 128Mi, 1G, 1e3.',
    'x-kubernetes-int-or-string': true,
  },
  [intOrStringName]: {
    description: 'A value that is either a whole number or a string, e.g. a port number or name, or a percentage.',
    'x-kubernetes-int-or-string': true,
  },
  [metaV1 + 'ObjectMeta']: obj('Metadata every stored object has.', {
    name: str('Unique name within the namespace (or the cluster, for cluster-scoped kinds). Cannot be changed.'),
    generateName: str('Prefix the server uses to make up a unique name when name is left empty.'),
    namespace: str('Namespace the object lives in; empty for cluster-scoped kinds.'),
    selfLink: str('Deprecated and always empty.'),
    uid: str('Unique id the server assigns at creation; never reused.'),
    resourceVersion: str('Opaque version of this object; changes on every write and guards concurrent updates.'),
    generation: int64('Counter of changes to the desired state (spec); set by the server.'),
    creationTimestamp: time('When the server stored the object first; set by the server.'),
    deletionTimestamp: time('When deletion was requested; the object goes away once its finalizers are done.'),
    deletionGracePeriodSeconds: int64('Seconds the object is given to stop gracefully once deletion started.'),
    labels: strMap('Key/value pairs used to organise and select objects.'),
    annotations: strMap('Key/value pairs for tools and people; not used for selection.'),
    ownerReferences: keyedList(
      'Objects this one depends on; it is garbage-collected when they are all gone.',
      metaV1 + 'OwnerReference',
      'uid',
    ),
    finalizers: setList('Names of steps that must finish before the object is really deleted.'),
    managedFields: atomicList(
      'Which manager owns which fields (server-side apply).',
      ref(metaV1 + 'ManagedFieldsEntry'),
    ),
  }),
  [metaV1 + 'OwnerReference']: obj(
    'A pointer from a dependent object to its owner.',
    {
      apiVersion: str('API version of the owner.'),
      kind: str('Kind of the owner.'),
      name: str('Name of the owner.'),
      uid: str('UID of the owner.'),
      controller: bool('True when the owner is the managing controller.'),
      blockOwnerDeletion: bool('When true, foreground deletion of the owner waits for this object.'),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [metaV1 + 'ManagedFieldsEntry']: obj('The set of fields one manager owns.', {
    manager: str('Name of the manager (usually the client).'),
    operation: str('Apply or Update.'),
    apiVersion: str('Version the field set is expressed in.'),
    time: time('When the manager last changed these fields.'),
    fieldsType: str('Format of fieldsV1; always FieldsV1.'),
    fieldsV1: ref(metaV1 + 'FieldsV1', 'The owned fields as a tree.'),
    subresource: str('Subresource the fields were written through, if any.'),
  }),
  [metaV1 + 'FieldsV1']: preserve('A tree of owned field paths.'),
  [metaV1 + 'LabelSelector']: {
    ...obj('Selects objects by their labels; every clause must hold. Empty selects everything.', {
      matchLabels: strMap('Labels that must be present with exactly these values.'),
      matchExpressions: atomicList('Further requirements on labels.', ref(metaV1 + 'LabelSelectorRequirement')),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [metaV1 + 'LabelSelectorRequirement']: obj(
    'One requirement on a label: key, operator and values.',
    {
      key: str('Label key the requirement applies to.'),
      operator: str('In, NotIn, Exists or DoesNotExist.'),
      values: strList('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
    },
    ['key', 'operator'],
  ),
  [metaV1 + 'Condition']: obj(
    'One aspect of the current state of an object.',
    {
      type: str('Condition type in CamelCase.'),
      status: str('True, False or Unknown.'),
      observedGeneration: int64('Generation the condition was computed from.'),
      lastTransitionTime: time('When the status last changed.'),
      reason: str('Machine-readable reason for the last change, in CamelCase.'),
      message: str('Explanation for people.'),
    },
    ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  ),
  [coreV1 + 'ObjectReference']: {
    ...obj('A reference to another object, possibly to a field within it.', {
      kind: str('Kind of the referent.'),
      namespace: str('Namespace of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      apiVersion: str('API version of the referent.'),
      resourceVersion: str('Specific resourceVersion the reference was made at, if any.'),
      fieldPath: str('A field inside the referent, e.g. spec.containers{web}.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [coreV1 + 'LocalObjectReference']: {
    ...obj('A reference to an object in the same namespace, by name.', {
      name: str('Name of the referent.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [coreV1 + 'TypedLocalObjectReference']: {
    ...obj(
      'A reference to an object of a given kind in the same namespace.',
      {
        apiGroup: str('API group of the referent; empty for the core group.'),
        kind: str('Kind of the referent.'),
        name: str('Name of the referent.'),
      },
      ['kind', 'name'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [coreV1 + 'TypedObjectReference']: obj(
    'A reference to an object of a given kind, possibly in another namespace.',
    {
      apiGroup: str('API group of the referent; empty for the core group.'),
      kind: str('Kind of the referent.'),
      name: str('Name of the referent.'),
      namespace: str('Namespace of the referent, when it differs.'),
    },
    ['kind', 'name'],
  ),
  [coreV1 + 'SecretReference']: {
    ...obj('A reference to a Secret by name and namespace.', {
      name: str('Name of the secret.'),
      namespace: str('Namespace of the secret.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [coreV1 + 'TopologySelectorTerm']: {
    ...obj('Topology labels a volume may be placed in; requirements are ANDed.', {
      matchLabelExpressions: atomicList('Label requirements.', ref(coreV1 + 'TopologySelectorLabelRequirement')),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [coreV1 + 'TopologySelectorLabelRequirement']: obj(
    'A topology label key and the values it may take.',
    { key: str('Label key.'), values: strList('Allowed values.') },
    ['key', 'values'],
  ),
};

/** conditionSchema builds a typical condition definition with the given extra time fields. */
export function conditionSchema(description: string, extraTimes: Record<string, string> = {}): JSONSchema {
  const times = Object.fromEntries(Object.entries(extraTimes).map(([k, d]) => [k, time(d)]));
  return obj(
    description,
    {
      type: str('Condition type.'),
      status: str('True, False or Unknown.'),
      ...times,
      lastTransitionTime: time('When the status last changed.'),
      reason: str('Machine-readable reason for the last change.'),
      message: str('Explanation for people.'),
    },
    ['type', 'status'],
  );
}
