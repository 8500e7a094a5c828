// Small kind definitions for the API server's own tests: enough schema (merge keys,
// status and scale subresources, table columns, field selectors, validation) to
// exercise the generic machinery without depending on the full kinds package.
import type { KubeObject } from '../../../shared/api/meta';
import { ageSince } from '../../../shared/duration';
import type { FieldError, JSONSchema, ResourceDefinition } from '../registry/types';

const ref = (name: string): JSONSchema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string): JSONSchema => ({ type: 'string', description });
const metaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const objectMeta: JSONSchema = {
  type: 'object',
  description: 'Standard object metadata.',
  properties: {
    name: str('Name of the object.'),
    generateName: str('Prefix for a generated name.'),
    namespace: str('Namespace of the object.'),
    uid: str('Unique id.'),
    resourceVersion: str('Version of the object.'),
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: str('Creation time.'),
    deletionTimestamp: str('Deletion time.'),
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

const labelSelector: JSONSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

const container: JSONSchema = {
  type: 'object',
  description: 'A single application container that you want to run within a pod.',
  required: ['name'],
  properties: {
    name: str('Name of the container.'),
    image: str('Container image name.'),
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    ports: {
      type: 'array',
      items: { type: 'object', properties: { name: str('port name'), containerPort: { type: 'integer' }, protocol: str('protocol') } },
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
    },
    env: {
      type: 'array',
      items: { type: 'object', properties: { name: str('variable name'), value: str('variable value') } },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    },
  },
};

const volume: JSONSchema = {
  type: 'object',
  properties: {
    name: str('volume name'),
    emptyDir: { type: 'object', properties: { medium: str('medium') } },
    configMap: { type: 'object', properties: { name: str('config map name') } },
  },
};

const podSpec: JSONSchema = {
  type: 'object',
  description: 'PodSpec is a description of a pod.',
  properties: {
    containers: {
      type: 'array',
      description: 'List of containers belonging to the pod.',
      items: ref('io.k8s.api.core.v1.Container'),
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    volumes: {
      type: 'array',
      items: ref('io.k8s.api.core.v1.Volume'),
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge,retainKeys',
    },
    nodeName: str('Node the pod runs on.'),
    restartPolicy: str('Restart policy.'),
    terminationGracePeriodSeconds: { type: 'integer', format: 'int64' },
    tolerations: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

function kindSchema(group: string, version: string, kind: string, properties: Record<string, JSONSchema>, description: string): JSONSchema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: str('APIVersion of the object.'),
      kind: str('Kind of the object.'),
      metadata: { description: 'Standard object metadata.', allOf: [ref(metaName)] },
      ...properties,
    },
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  };
}

function requireContainers(obj: KubeObject, at: string, spec: unknown): FieldError[] {
  const containers = (spec as { containers?: { name?: string; image?: string }[] } | undefined)?.containers;
  if (!containers || containers.length === 0) return [{ reason: 'FieldValueRequired', field: `${at}.containers`, message: 'Required value' }];
  const errors: FieldError[] = [];
  containers.forEach((c, i) => {
    if (!c.image) errors.push({ reason: 'FieldValueRequired', field: `${at}.containers[${i}].image`, message: 'Required value' });
  });
  void obj;
  return errors;
}

/** testNamespaces is a minimal Namespace kind. */
export function testNamespaces(): ResourceDefinition {
  return {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    resource: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true, other: ['finalize'] },
    schemaName: 'io.k8s.api.core.v1.Namespace',
    definitions: {
      'io.k8s.api.core.v1.Namespace': kindSchema('', 'v1', 'Namespace', {
        spec: { type: 'object', properties: { finalizers: { type: 'array', items: { type: 'string' } } } },
        status: { type: 'object', properties: { phase: str('phase') } },
      }, 'Namespace provides a scope for Names.'),
      [metaName]: objectMeta,
    },
    defaults(obj) {
      const spec = (obj.spec ??= {}) as { finalizers?: string[] };
      spec.finalizers ??= ['kubernetes'];
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
    },
    table: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
        { name: 'Status', type: 'string', description: 'Phase', priority: 0 },
        { name: 'Age', type: 'string', description: 'Age', priority: 0 },
      ],
      row: (obj, now) => [obj.metadata.name, (obj.status as { phase?: string } | undefined)?.phase ?? '', ageSince(obj.metadata.creationTimestamp, now)],
    },
  };
}

/** testPods is a minimal Pod kind with a status subresource and graceful deletion. */
export function testPods(): ResourceDefinition {
  return {
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true, other: ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward'] },
    schemaName: 'io.k8s.api.core.v1.Pod',
    definitions: {
      'io.k8s.api.core.v1.Pod': kindSchema('', 'v1', 'Pod', {
        spec: { description: 'Specification of the desired behavior of the pod.', allOf: [ref('io.k8s.api.core.v1.PodSpec')] },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      }, 'Pod is a collection of containers that can run on a host.'),
      'io.k8s.api.core.v1.PodSpec': podSpec,
      'io.k8s.api.core.v1.Container': container,
      'io.k8s.api.core.v1.Volume': volume,
      [metaName]: objectMeta,
    },
    defaults(obj) {
      const spec = (obj.spec ??= {}) as { restartPolicy?: string };
      spec.restartPolicy ??= 'Always';
    },
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending' };
    },
    validate(obj) {
      return requireContainers(obj, 'spec', obj.spec);
    },
    table: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
        { name: 'Status', type: 'string', description: 'Phase', priority: 0 },
        { name: 'Age', type: 'string', description: 'Age', priority: 0 },
        { name: 'Node', type: 'string', description: 'Node', priority: 1 },
      ],
      row: (obj, now) => [
        obj.metadata.name,
        (obj.status as { phase?: string } | undefined)?.phase ?? '',
        ageSince(obj.metadata.creationTimestamp, now),
        (obj.spec as { nodeName?: string } | undefined)?.nodeName ?? '<none>',
      ],
    },
    fieldSelectors: {
      'spec.nodeName': (obj) => (obj.spec as { nodeName?: string } | undefined)?.nodeName ?? '',
      'status.phase': (obj) => (obj.status as { phase?: string } | undefined)?.phase ?? '',
    },
  };
}

/** testDeployments is a minimal Deployment kind with status and scale subresources. */
export function testDeployments(): ResourceDefinition {
  return {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    resource: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
    schemaName: 'io.k8s.api.apps.v1.Deployment',
    definitions: {
      'io.k8s.api.apps.v1.Deployment': kindSchema('apps', 'v1', 'Deployment', {
        spec: {
          type: 'object',
          properties: {
            replicas: { type: 'integer', format: 'int32' },
            selector: labelSelector,
            template: {
              type: 'object',
              properties: {
                metadata: { allOf: [ref(metaName)] },
                spec: { allOf: [ref('io.k8s.api.core.v1.PodSpec')] },
              },
            },
            strategy: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-patch-strategy': 'retainKeys' },
          },
        },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      }, 'Deployment enables declarative updates for Pods and ReplicaSets.'),
      'io.k8s.api.core.v1.PodSpec': podSpec,
      'io.k8s.api.core.v1.Container': container,
      'io.k8s.api.core.v1.Volume': volume,
      [metaName]: objectMeta,
    },
    defaults(obj) {
      const spec = (obj.spec ??= {}) as { replicas?: number };
      spec.replicas ??= 1;
    },
    prepareForCreate(obj) {
      delete obj.status;
    },
    validate(obj) {
      const spec = obj.spec as { selector?: unknown; template?: { spec?: unknown }; replicas?: number } | undefined;
      const errors: FieldError[] = [];
      if (!spec?.selector) errors.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
      if (spec?.replicas !== undefined && spec.replicas < 0) {
        errors.push({ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0` });
      }
      errors.push(...requireContainers(obj, 'spec.template.spec', spec?.template?.spec));
      return errors;
    },
  };
}

/** testConfigMaps is a minimal ConfigMap kind without a table definition. */
export function testConfigMaps(): ResourceDefinition {
  return {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    resource: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    schemaName: 'io.k8s.api.core.v1.ConfigMap',
    definitions: {
      'io.k8s.api.core.v1.ConfigMap': kindSchema('', 'v1', 'ConfigMap', {
        data: { type: 'object', additionalProperties: { type: 'string' } },
        binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
        immutable: { type: 'boolean' },
      }, 'ConfigMap holds configuration data for pods to consume.'),
      [metaName]: objectMeta,
    },
  };
}

/** testKinds returns every test kind. */
export function testKinds(): ResourceDefinition[] {
  return [testNamespaces(), testPods(), testConfigMaps(), testDeployments()];
}
