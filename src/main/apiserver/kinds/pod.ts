// core/v1 Pod: the smallest deployable unit, one or more containers sharing a network
// namespace and volumes.
import { podDisplayStatus, restartsCell } from '../../../shared/podStatus';
import { defineKind, keepStatus } from './defineKind';
import { Path } from './fieldErrors';
import { admitPodSpec, defaultPodSpec, desktopTolerationSeconds, qosClassOf } from './podDefaults';
import { validatePodSpec, validatePodSpecUpdate } from './podValidation';
import { coreV1, ref } from './schema';
import { age, ageColumn, column, nameColumn } from './table';
import type { Pod } from './types';

/**
 * podKindWith returns the ResourceDefinition of core/v1 pods whose admission gives
 * new pods not-ready/unreachable tolerations of tolerationSeconds.
 */
export function podKindWith(tolerationSeconds: number) {
  return defineKind<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: { status: true, other: ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward'] },
  description: 'A group of containers that run together on one node, sharing an IP address and volumes.',
  properties: {
    spec: ref(coreV1 + 'PodSpec', 'Desired state of the pod.'),
    status: ref(coreV1 + 'PodStatus', 'Most recently observed state of the pod; written by the node agent.'),
  },
  defaults(pod) {
    if (pod.spec) defaultPodSpec(pod.spec);
  },
  prepareForCreate(pod) {
    if (pod.spec) admitPodSpec(pod.spec, tolerationSeconds);
    pod.status = { phase: 'Pending', qosClass: qosClassOf(pod.spec) };
  },
  prepareForUpdate(pod, old) {
    keepStatus(pod, old);
  },
  validate(pod, old) {
    const spec = new Path('spec');
    const errs = validatePodSpec(pod.spec, spec);
    if (old) errs.push(...validatePodSpecUpdate(pod.spec, old.spec, spec));
    return errs;
  },
  table: {
    columns: [
      nameColumn,
      column('Ready', 'Ready containers out of all containers of the pod.'),
      column('Status', 'What the pod is doing, in one word.'),
      column('Restarts', 'How often the containers restarted, and when the last restart was.'),
      ageColumn,
      column('IP', 'IP address of the pod.', 'string', 1),
      column('Node', 'Node the pod runs on.', 'string', 1),
      column('Nominated Node', 'Node the pod may move to once preemption frees room.', 'string', 1),
      column('Readiness Gates', 'Readiness gates that are True, out of all of them.', 'string', 1),
    ],
    row(pod, now) {
      const s = podDisplayStatus(pod);
      const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
      const gates = pod.spec?.readinessGates ?? [];
      let gatesCell = '<none>';
      if (gates.length > 0) {
        const conditions = pod.status?.conditions ?? [];
        const passed = gates.filter((g) =>
          conditions.some((c) => c.type === g.conditionType && c.status === 'True'),
        ).length;
        gatesCell = `${passed}/${gates.length}`;
      }
      return [
        pod.metadata.name ?? '',
        s.ready,
        s.status,
        restartsCell(s, now),
        age(pod, now),
        ip,
        pod.spec?.nodeName || '<none>',
        pod.status?.nominatedNodeName || '<none>',
        gatesCell,
      ];
    },
  },
  fieldSelectors: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork === true),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIP ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  });
}

/** podKind is the ResourceDefinition of core/v1 pods with the desktop toleration default. */
export const podKind = podKindWith(desktopTolerationSeconds);
