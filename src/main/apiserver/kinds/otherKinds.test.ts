import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import type { ResourceDefinition } from '../registry/types';
import { bindingKind } from './binding';
import { clusterRoleKind } from './clusterRole';
import { clusterRoleBindingKind } from './clusterRoleBinding';
import { endpointSliceKind } from './endpointSlice';
import { endpointsKind } from './endpoints';
import { eventKind } from './event';
import { leaseKind } from './lease';
import { limitRangeKind } from './limitRange';
import { namespaceKind } from './namespace';
import { nodeKind } from './node';
import { persistentVolumeKind } from './persistentVolume';
import { persistentVolumeClaimKind } from './persistentVolumeClaim';
import { resourceQuotaKind } from './resourceQuota';
import { roleKind } from './role';
import { roleBindingKind } from './roleBinding';
import { selfSubjectAccessReviewKind } from './selfSubjectAccessReview';
import { serviceAccountKind } from './serviceAccount';
import { storageClassKind } from './storageClass';

const now = new Date('2024-05-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

function obj(
  kind: string,
  apiVersion: string,
  metadata: Record<string, unknown>,
  fields: Record<string, unknown> = {},
): KubeObject {
  return { apiVersion, kind, metadata: { creationTimestamp: at(10), ...metadata }, ...fields };
}

function problems(def: ResourceDefinition, o: KubeObject, old?: KubeObject): string[] {
  const copy = structuredClone(o);
  def.defaults?.(copy);
  return (def.validate?.(copy, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

function created(def: ResourceDefinition, o: KubeObject): KubeObject {
  const copy = structuredClone(o);
  def.defaults?.(copy);
  def.prepareForCreate?.(copy);
  return copy;
}

describe('namespaces', () => {
  it('start Active with the kubernetes finalizer and their name label', () => {
    const ns = created(namespaceKind, obj('Namespace', 'v1', { name: 'team-a' }));
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(namespaceKind.table?.row(ns, now)).toEqual(['team-a', 'Active', '10m']);
    expect(namespaceKind.fieldSelectors?.['status.phase'](ns)).toBe('Active');
  });

  it('use DNS-1123 label names and keep finalizers and status on update', () => {
    expect(problems(namespaceKind, obj('Namespace', 'v1', { name: 'team.a' }))[0]).toMatch(
      /^metadata\.name: Invalid value: "team\.a": a lowercase RFC 1123 label must consist of/,
    );
    const stored = created(namespaceKind, obj('Namespace', 'v1', { name: 'a' }));
    const next = obj('Namespace', 'v1', { name: 'a' }, { spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    namespaceKind.prepareForUpdate?.(next, stored);
    expect(next.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(next.status).toEqual({ phase: 'Active' });
  });
});

describe('nodes', () => {
  const node = obj(
    'Node',
    'v1',
    { name: 'worker-1', labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } },
    {
      spec: { unschedulable: true, podCIDR: '10.244.1.0/24' },
      status: {
        capacity: { cpu: '2', memory: '4Gi' },
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
        nodeInfo: {
          kubeletVersion: 'v1.31.0',
          osImage: 'Debian GNU/Linux 12',
          kernelVersion: '6.1.0',
          containerRuntimeVersion: 'docker://20.10.24',
        },
      },
    },
  );

  it('print STATUS, ROLES, VERSION and the wide columns', () => {
    expect(nodeKind.table?.row(node, now)).toEqual([
      'worker-1',
      'Ready,SchedulingDisabled',
      'control-plane,worker',
      '10m',
      'v1.31.0',
      '172.18.0.2',
      '<none>',
      'Debian GNU/Linux 12',
      '6.1.0',
      'docker://20.10.24',
    ]);
    expect(nodeKind.fieldSelectors?.['spec.unschedulable'](node)).toBe('true');
  });

  it('default allocatable to capacity, keep status on update and pin the pod CIDR', () => {
    const n = created(nodeKind, node);
    expect((n.status as { allocatable?: unknown }).allocatable).toEqual({ cpu: '2', memory: '4Gi' });
    const changed = structuredClone(n);
    (changed.spec as { podCIDR: string }).podCIDR = '10.244.2.0/24';
    expect(problems(nodeKind, changed, n)).toEqual([
      'spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid',
    ]);
    const tainted = structuredClone(n);
    (tainted.spec as Record<string, unknown>).taints = [{ key: 'a', effect: 'Sometimes' }];
    expect(problems(nodeKind, tainted)).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});

describe('events', () => {
  const event = obj(
    'Event',
    'v1',
    { name: 'web.1', namespace: 'default' },
    {
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container\n',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: at(30),
      lastTimestamp: at(2),
      count: 7,
      type: 'Warning',
    },
  );

  it('print LAST SEEN, TYPE, REASON, OBJECT and MESSAGE (wide: more)', () => {
    expect(eventKind.table?.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    expect(eventKind.table?.row(event, now)).toEqual([
      '2m',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{app}',
      'kubelet, worker-1',
      'Back-off restarting failed container',
      '30m',
      7,
      'web.1',
    ]);
  });

  it('filter on the involved object, reason, source and type', () => {
    const f = eventKind.fieldSelectors ?? {};
    expect(f['involvedObject.name'](event)).toBe('web');
    expect(f['involvedObject.kind'](event)).toBe('Pod');
    expect(f['involvedObject.namespace'](event)).toBe('default');
    expect(f['involvedObject.fieldPath'](event)).toBe('spec.containers{app}');
    expect(f.reason(event)).toBe('BackOff');
    expect(f.source(event)).toBe('kubelet');
    expect(f.type(event)).toBe('Warning');
  });

  it('must live in the namespace of their object', () => {
    const wrong = structuredClone(event);
    wrong.metadata.namespace = 'other';
    expect(problems(eventKind, wrong)).toEqual([
      'involvedObject.namespace: Invalid value: "default": does not match event.namespace',
    ]);
  });
});

describe('RBAC', () => {
  it('validate rules with the API server wording', () => {
    const role = obj(
      'Role',
      'rbac.authorization.k8s.io/v1',
      { name: 'r', namespace: 'default' },
      {
        rules: [
          { resources: ['pods'], verbs: [] },
          { nonResourceURLs: ['/healthz'], verbs: ['get'] },
        ],
      },
    );
    expect(problems(roleKind, role)).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    const cr = obj(
      'ClusterRole',
      'rbac.authorization.k8s.io/v1',
      { name: 'system:viewer' },
      { rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
    );
    expect(problems(clusterRoleKind, cr)).toEqual([]);
    expect(clusterRoleKind.table?.row(cr, now)).toEqual(['system:viewer', at(10)]);
  });

  it('default subject API groups and check roleRef and subjects', () => {
    const rb = obj(
      'RoleBinding',
      'rbac.authorization.k8s.io/v1',
      { name: 'rb', namespace: 'default' },
      {
        roleRef: { kind: 'Role', name: 'r' },
        subjects: [
          { kind: 'User', name: 'jane' },
          { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
          { kind: 'Robot', name: 'x' },
        ],
      },
    );
    const made = created(roleBindingKind, rb);
    expect(made.roleRef).toEqual({ kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' });
    expect(problems(roleBindingKind, rb)).toEqual([
      'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const crb = obj(
      'ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1',
      { name: 'crb' },
      {
        roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
      },
    );
    expect(problems(clusterRoleBindingKind, crb)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
    const changed = structuredClone(made);
    (changed.roleRef as { name: string }).name = 'other';
    expect(problems(roleBindingKind, changed, made).at(-1)).toMatch(
      /^roleRef: Invalid value: .*: cannot change roleRef$/,
    );
  });

  it('print bindings with ROLE and wide subjects', () => {
    const rb = created(
      roleBindingKind,
      obj(
        'RoleBinding',
        'rbac.authorization.k8s.io/v1',
        { name: 'rb', namespace: 'default' },
        {
          roleRef: { kind: 'ClusterRole', name: 'view' },
          subjects: [
            { kind: 'User', name: 'jane' },
            { kind: 'Group', name: 'devs' },
            { kind: 'ServiceAccount', name: 'bot', namespace: 'ci' },
          ],
        },
      ),
    );
    expect(roleBindingKind.table?.row(rb, now)).toEqual(['rb', 'ClusterRole/view', '10m', 'jane', 'devs', 'ci/bot']);
  });

  it('allow colons in names but not slashes', () => {
    expect(
      problems(clusterRoleKind, obj('ClusterRole', 'rbac.authorization.k8s.io/v1', { name: 'a/b' }, { rules: [] })),
    ).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });
});

describe('storage', () => {
  it('default and print storage classes, marking the default one', () => {
    const sc = created(
      storageClassKind,
      obj(
        'StorageClass',
        'storage.k8s.io/v1',
        { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        { provisioner: 'wheelhouse.io/host-path' },
      ),
    );
    expect(sc).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(storageClassKind.table?.row(sc, now)).toEqual([
      'standard (default)',
      'wheelhouse.io/host-path',
      'Delete',
      'Immediate',
      false,
      '10m',
    ]);
    const changed = { ...sc, parameters: { a: 'b' } };
    expect(problems(storageClassKind, changed, sc)).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
    ]);
  });

  it('require capacity, access modes and one source on volumes', () => {
    expect(problems(persistentVolumeKind, obj('PersistentVolume', 'v1', { name: 'pv' }, { spec: {} }))).toEqual([
      'spec.capacity: Required value',
      'spec.accessModes: Required value',
      'spec: Required value: must specify a volume type',
    ]);
    const pv = created(
      persistentVolumeKind,
      obj(
        'PersistentVolume',
        'v1',
        { name: 'pv' },
        {
          spec: {
            capacity: { storage: '5Gi' },
            accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
            hostPath: { path: '/d' },
            claimRef: { namespace: 'default', name: 'data' },
          },
        },
      ),
    );
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect((pv.status as { phase: string }).phase).toBe('Pending');
    expect(persistentVolumeKind.table?.row(pv, now)).toEqual([
      'pv',
      '5Gi',
      'RWO,ROX',
      'Retain',
      'Pending',
      'default/data',
      '',
      '<unset>',
      '',
      '10m',
      'Filesystem',
    ]);
  });

  it('check claims, default them, and allow only resizing once bound', () => {
    const claim = obj(
      'PersistentVolumeClaim',
      'v1',
      { name: 'data', namespace: 'default' },
      { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    );
    expect(
      problems(
        persistentVolumeClaimKind,
        obj(
          'PersistentVolumeClaim',
          'v1',
          { name: 'd', namespace: 'default' },
          { spec: { accessModes: ['ReadWriteSometimes'] } },
        ),
      ),
    ).toEqual([
      'spec.accessModes[0]: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.resources[storage]: Required value',
    ]);
    const stored = created(persistentVolumeClaimKind, claim);
    expect(stored.status).toEqual({ phase: 'Pending' });
    expect((stored.spec as { volumeMode: string }).volumeMode).toBe('Filesystem');
    const bound = structuredClone(stored);
    (bound.spec as Record<string, unknown>).volumeName = 'pv-1';
    expect(problems(persistentVolumeClaimKind, bound, stored)).toEqual([]);
    const resized = structuredClone(bound);
    (resized.spec as { resources: unknown }).resources = { requests: { storage: '2Gi' } };
    expect(problems(persistentVolumeClaimKind, resized, bound)).toEqual([]);
    const remoded = structuredClone(bound);
    (remoded.spec as { accessModes: string[] }).accessModes = ['ReadWriteMany'];
    expect(problems(persistentVolumeClaimKind, remoded, bound)).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
    bound.status = { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
    expect(persistentVolumeClaimKind.table?.row(bound, now)).toEqual([
      'data',
      'Bound',
      'pv-1',
      '1Gi',
      'RWO',
      '',
      '<unset>',
      '10m',
      'Filesystem',
    ]);
  });
});

describe('endpoints and slices', () => {
  it('print at most three endpoints', () => {
    const ep = obj(
      'Endpoints',
      'v1',
      { name: 'web', namespace: 'default' },
      {
        subsets: [
          {
            addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }],
            ports: [{ port: 80 }],
          },
        ],
      },
    );
    expect(endpointsKind.table?.row(ep, now)).toEqual([
      'web',
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...',
      '10m',
    ]);
    expect(endpointsKind.table?.row(obj('Endpoints', 'v1', { name: 'none' }), now)[1]).toBe('<none>');
  });

  it('check slice addresses against their type', () => {
    const slice = obj(
      'EndpointSlice',
      'discovery.k8s.io/v1',
      { name: 'web-x', namespace: 'default' },
      {
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['fe80::1'] }, { addresses: [] }],
        ports: [{ port: 80 }],
      },
    );
    expect(problems(endpointSliceKind, slice)).toEqual([
      'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
      'endpoints[2].addresses: Required value: must contain at least 1 address',
    ]);
    const made = created(endpointSliceKind, slice);
    expect(made.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(endpointSliceKind.table?.row(made, now)).toEqual(['web-x', 'IPv4', '80', '10.0.0.1,fe80::1', '10m']);
  });
});

describe('small kinds', () => {
  it('leases print their holder and need a positive duration', () => {
    const lease = obj(
      'Lease',
      'coordination.k8s.io/v1',
      { name: 'worker-1', namespace: 'kube-node-lease' },
      { spec: { holderIdentity: 'worker-1', leaseDurationSeconds: 0 } },
    );
    expect(problems(leaseKind, lease)).toEqual(['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
    expect(leaseKind.table?.row(lease, now)).toEqual(['worker-1', 'worker-1', '10m']);
  });

  it('access reviews need exactly one kind of attributes and no name', () => {
    const review = obj('SelfSubjectAccessReview', 'authorization.k8s.io/v1', {}, { spec: {} });
    expect(problems(selfSubjectAccessReviewKind, review)).toEqual([
      'spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    ]);
    review.spec = { resourceAttributes: { verb: 'get', resource: 'pods' } };
    expect(problems(selfSubjectAccessReviewKind, review)).toEqual([]);
  });

  it('bindings need a target node', () => {
    expect(
      problems(bindingKind, obj('Binding', 'v1', { name: 'web', namespace: 'default' }, { target: { kind: 'Pod' } })),
    ).toEqual(['target.name: Required value', `target.kind: Invalid value: "Pod": must be empty or 'Node'`]);
  });

  it('quotas print usage and check resource names', () => {
    const q = created(
      resourceQuotaKind,
      obj(
        'ResourceQuota',
        'v1',
        { name: 'q', namespace: 'default' },
        { spec: { hard: { pods: '10', 'limits.cpu': '2' } } },
      ),
    );
    expect(q.status).toEqual({});
    q.status = {
      hard: { pods: '10', 'limits.cpu': '2', 'requests.memory': '1Gi' },
      used: { pods: '3', 'limits.cpu': '500m' },
    };
    expect(resourceQuotaKind.table?.row(q, now)).toEqual([
      'q',
      '10m',
      'pods: 3/10, requests.memory: 0/1Gi',
      'limits.cpu: 500m/2',
    ]);
    expect(
      problems(
        resourceQuotaKind,
        obj('ResourceQuota', 'v1', { name: 'q', namespace: 'default' }, { spec: { hard: { gpus: '1' } } }),
      ),
    ).toEqual(['spec.hard[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified']);
  });

  it('limit ranges default container requests and check min <= max', () => {
    const lr = created(
      limitRangeKind,
      obj(
        'LimitRange',
        'v1',
        { name: 'l', namespace: 'default' },
        { spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } },
      ),
    );
    expect((lr.spec as { limits: unknown[] }).limits[0]).toEqual({
      type: 'Container',
      max: { cpu: '2' },
      min: { memory: '64Mi' },
      default: { cpu: '2' },
      defaultRequest: { cpu: '2', memory: '64Mi' },
    });
    expect(
      problems(
        limitRangeKind,
        obj(
          'LimitRange',
          'v1',
          { name: 'l', namespace: 'default' },
          { spec: { limits: [{ type: 'Pod', max: { cpu: '1' }, min: { cpu: '2' } }] } },
        ),
      ),
    ).toEqual(['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1']);
  });

  it('service accounts print their secret count', () => {
    const sa = obj('ServiceAccount', 'v1', { name: 'bot', namespace: 'default' }, { secrets: [{ name: 'bot-token' }] });
    expect(serviceAccountKind.table?.row(sa, now)).toEqual(['bot', 1, '10m']);
  });
});
