// core/v1 Binding: assigns a pod to a node (what the scheduler posts to
// pods/NAME/binding). Not stored: creating one sets the pod's spec.nodeName.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { defineKind } from './defineKind';
import { invalid, required } from './fieldErrors';
import { coreV1, ref } from './schema';
import type { ObjectReference } from './types';

/** Binding is a core/v1 Binding. */
export interface Binding extends KubeObject {
  target?: ObjectReference;
}

function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  if (!b.target) return [required('target')];
  if (!b.target.name) errs.push(required('target.name'));
  if (b.target.kind && b.target.kind !== 'Node')
    errs.push(invalid('target.kind', b.target.kind, "must be empty or 'Node'"));
  return errs;
}

/** bindingKind is the ResourceDefinition of core/v1 bindings (create only, not persisted). */
export const bindingKind = defineKind<Binding>({
  group: '',
  version: 'v1',
  kind: 'Binding',
  resource: 'bindings',
  namespaced: true,
  verbs: ['create'],
  virtual: true,
  // The pod named by the request is the binding's identity; the handler checks it.
  metadata: 'none',
  description: 'Ties a pod to a node; the scheduler creates one per pod it places.',
  properties: {
    target: ref(coreV1 + 'ObjectReference', 'The node to bind to (kind Node, name).'),
  },
  required: ['target'],
  validate: validateBinding,
});
