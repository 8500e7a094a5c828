// core/v1 Node: a worker machine (here a Docker-in-Docker container) that runs pods.
import type { KubeObject } from '../../../shared/api/meta';
import type { FieldError } from '../registry/types';
import { validateLabelValue, validateQualifiedName } from '../../../shared/labels';
import { defineKind, keepStatus } from './defineKind';
import { Path, duplicate, forbidden, invalid, invalidEach, required } from './fieldErrors';
import { conditionSchema } from './metaSchemas';
import {
  atomicList,
  bool,
  conditionList,
  coreV1,
  enumStr,
  int32,
  int64,
  keyedList,
  list,
  obj,
  preserve,
  quantityMap,
  ref,
  str,
  strList,
  time,
} from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { Condition, ResourceList } from './types';
import { isCIDR, oneOf } from './validation';

const C = coreV1;
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface Taint {
  key?: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

/** Node is a core/v1 Node. */
export interface Node extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; providerID?: string; unschedulable?: boolean; taints?: Taint[] };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: Condition[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
    };
  };
}

function validateNode(node: Node, old?: Node): FieldError[] {
  const errs: FieldError[] = [];
  const path = new Path('spec');
  const spec = node.spec ?? {};
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const p = path.child('taints').index(i);
    if (!t.key) errs.push(required(p.child('key')));
    else errs.push(...invalidEach(p.child('key'), t.key, validateQualifiedName(t.key)));
    if (t.value) errs.push(...invalidEach(p.child('value'), t.value, validateLabelValue(t.value)));
    if (!t.effect) errs.push(required(p.child('effect')));
    else errs.push(...oneOf(t.effect, taintEffects, p.child('effect')));
    const key = `${t.key ?? ''}:${t.effect ?? ''}`;
    if (seen.has(key)) errs.push(duplicate(p, t));
    seen.add(key);
  });
  const cidrs = spec.podCIDRs ?? (spec.podCIDR ? [spec.podCIDR] : []);
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) errs.push(invalid(path.child('podCIDRs').index(i), c, 'must be a valid CIDR'));
  });
  if (spec.podCIDR && cidrs.length > 0 && cidrs[0] !== spec.podCIDR) {
    errs.push(invalid(path.child('podCIDRs'), cidrs, 'the first entry must equal podCIDR'));
  }
  if (old) {
    const before = old.spec ?? {};
    if (before.podCIDR && spec.podCIDR !== before.podCIDR) {
      errs.push(forbidden(path.child('podCIDR'), 'node updates may not change podCIDR except from "" to valid'));
    }
    if (before.providerID && spec.providerID !== before.providerID) {
      errs.push(forbidden(path.child('providerID'), 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errs;
}

/** nodeRoles returns the roles of a node from its node-role.kubernetes.io/<role> and kubernetes.io/role labels. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/** nodeStatusWord renders STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusWord(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const words = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) words.push('SchedulingDisabled');
  return words.join(',');
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address || '<none>';
}

/** nodeKind is the ResourceDefinition of core/v1 nodes. */
export const nodeKind = defineKind<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  namespaced: false,
  shortNames: ['no'],
  subresources: { status: true },
  description: 'A machine that runs pods; its node agent reports its capacity and health.',
  properties: {
    spec: ref(C + 'NodeSpec', 'How the node is configured: pod CIDR, taints, cordon.'),
    status: ref(C + 'NodeStatus', 'Most recently observed state of the node.'),
  },
  definitions: {
    [C + 'NodeSpec']: obj('Configuration of a node.', {
      podCIDR: str('IP range pods on this node get their addresses from.'),
      podCIDRs: list(
        'IP ranges for pods, one per family; the first equals podCIDR.',
        { type: 'string' },
        { strategy: 'merge', listType: 'set' },
      ),
      providerID: str('Id of the node in its provider, e.g. wheelhouse://<cluster>/<node>.'),
      unschedulable: bool('Cordon: no new pods are scheduled here.'),
      taints: atomicList('Taints that repel pods without a matching toleration.', ref(C + 'Taint')),
      configSource: preserve('Deprecated dynamic kubelet configuration.'),
      externalID: str('Deprecated.'),
    }),
    [C + 'Taint']: obj(
      'A taint: pods that do not tolerate it stay away (or are evicted, for NoExecute).',
      {
        key: str('Taint key.'),
        value: str('Taint value.'),
        effect: enumStr('NoSchedule, PreferNoSchedule or NoExecute.', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']),
        timeAdded: time('When a NoExecute taint was added.'),
      },
      ['key', 'effect'],
    ),
    [C + 'NodeStatus']: obj('Observed state of a node.', {
      capacity: quantityMap('Total resources of the node.'),
      allocatable: quantityMap('Resources available to pods; defaults to capacity.'),
      phase: str('Deprecated.'),
      conditions: conditionList(
        'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.',
        C + 'NodeCondition',
      ),
      addresses: keyedList('Addresses of the node: InternalIP, ExternalIP, Hostname.', C + 'NodeAddress', 'type', [
        'type',
      ]),
      daemonEndpoints: ref(C + 'NodeDaemonEndpoints', 'Ports of the daemons on the node.'),
      nodeInfo: ref(C + 'NodeSystemInfo', 'Versions and ids of the node.'),
      images: atomicList('Images present on the node.', ref(C + 'ContainerImage')),
      volumesInUse: strList('Volumes mounted on the node.'),
      volumesAttached: atomicList('Volumes attached to the node.', ref(C + 'AttachedVolume')),
      config: preserve('Status of dynamic configuration.'),
      runtimeHandlers: atomicList('Runtime handlers available.', preserve('A runtime handler.')),
      features: preserve('Features the node supports.'),
      declaredFeatures: strList('Features the node declares.'),
    }),
    [C + 'NodeCondition']: conditionSchema('One condition of a node.', {
      lastHeartbeatTime: 'When the node last reported it.',
    }),
    [C + 'NodeAddress']: obj(
      'An address of a node.',
      { type: str('InternalIP, ExternalIP, Hostname, ...'), address: str('The address.') },
      ['type', 'address'],
    ),
    [C + 'NodeDaemonEndpoints']: obj('Ports of node daemons.', {
      kubeletEndpoint: ref(C + 'DaemonEndpoint', 'Port of the node agent.'),
    }),
    [C + 'DaemonEndpoint']: obj('A daemon port.', { Port: int32('Port number.') }, ['Port']),
    [C + 'NodeSystemInfo']: obj('Versions and ids of a node.', {
      machineID: str('Machine id.'),
      systemUUID: str('System UUID.'),
      bootID: str('Boot id.'),
      kernelVersion: str('Kernel version.'),
      osImage: str('Operating system image.'),
      containerRuntimeVersion: str('Container runtime and version, e.g. docker://27.3.1.'),
      kubeletVersion: str('Version of the node agent.'),
      kubeProxyVersion: str('Deprecated.'),
      operatingSystem: str('linux or windows.'),
      architecture: str('CPU architecture, e.g. amd64.'),
      swap: preserve('Swap information.'),
    }),
    [C + 'ContainerImage']: obj('An image on a node.', {
      names: strList('Names of the image.'),
      sizeBytes: int64('Size in bytes.'),
    }),
    [C + 'AttachedVolume']: obj('An attached volume.', { name: str('Volume name.'), devicePath: str('Device path.') }, [
      'name',
      'devicePath',
    ]),
  },
  defaults(node) {
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
  },
  prepareForUpdate(node, old) {
    keepStatus(node, old);
  },
  validate: validateNode,
  table: {
    columns: [
      nameColumn,
      column('Status', 'Whether the node is ready, and whether it is cordoned.'),
      column('Roles', 'Roles of the node, from its node-role labels.'),
      ageColumn,
      column('Version', 'Version of the node agent.'),
      column('Internal-IP', 'Address of the node inside the cluster network.', 'string', 1),
      column('External-IP', 'Address of the node outside the cluster.', 'string', 1),
      column('OS-Image', 'Operating system image of the node.', 'string', 1),
      column('Kernel-Version', 'Kernel version of the node.', 'string', 1),
      column('Container-Runtime', 'Container runtime and its version.', 'string', 1),
    ],
    row(node, now) {
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name ?? '',
        nodeStatusWord(node),
        nodeRoles(node).join(',') || '<none>',
        age(node, now),
        info.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  fieldSelectors: {
    'spec.unschedulable': (n) => String(n.spec?.unschedulable === true),
  },
});
