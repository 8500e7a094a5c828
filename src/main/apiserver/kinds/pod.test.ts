import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import { podKind } from './pod';
import type { Pod } from './types';

function newPod(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

/** created runs defaulting and create preparation, as the API server does on POST. */
function created(p: Pod): Pod {
  const obj = structuredClone(p);
  podKind.defaults?.(obj);
  podKind.prepareForCreate?.(obj);
  return obj;
}

function problems(p: Pod, old?: Pod): string[] {
  const obj = structuredClone(p);
  podKind.defaults?.(obj);
  return (podKind.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('pod defaults', () => {
  it('fills what the API server fills', () => {
    const p = created(newPod({ containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] }));
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
    });
    expect(p.spec?.containers?.[0]).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(p.spec?.tolerations?.map((t) => t.key)).toEqual([
      'node.kubernetes.io/not-ready',
      'node.kubernetes.io/unreachable',
    ]);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123', 'IfNotPresent'],
  ])('pull policy for %s is %s', (image, policy) => {
    const p = created(newPod({ containers: [{ name: 'app', image }] }));
    expect(p.spec?.containers?.[0].imagePullPolicy).toBe(policy);
  });

  it('defaults probes, requests from limits and the QoS class', () => {
    const p = created(
      newPod({
        containers: [
          {
            name: 'app',
            image: 'app:1',
            readinessProbe: { httpGet: { port: 8080 } },
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
          },
        ],
      }),
    );
    expect(p.spec?.containers?.[0].readinessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(p.spec?.containers?.[0].resources?.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    expect(p.status?.qosClass).toBe('Guaranteed');
  });

  it('keeps an explicit service account and does not duplicate tolerations', () => {
    const p = created(newPod({ serviceAccountName: 'robot', tolerations: [{ operator: 'Exists' }] }));
    expect(p.spec?.serviceAccountName).toBe('robot');
    expect(p.spec?.tolerations).toEqual([{ operator: 'Exists' }]);
  });
});

describe('pod validation', () => {
  it('accepts a minimal pod', () => {
    expect(problems(newPod())).toEqual([]);
  });

  it('rejects bad names with the API server wording', () => {
    expect(problems(newPod({}, { name: 'My_Pod' }))).toEqual([
      `metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(problems(newPod({}, { name: '' }))).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('rejects bad labels and annotations', () => {
    const errs = problems(newPod({}, { labels: { 'bad key': 'x', ok: 'not ok!' }, annotations: { 'a/b/c': 'x' } }));
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(
      /^metadata\.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/,
    );
    expect(errs[1]).toMatch(/^metadata\.labels: Invalid value: "not ok!": a valid label must be an empty string/);
    expect(errs[2]).toMatch(/^metadata\.annotations: Invalid value: "a\/b\/c": a qualified name must consist of/);
  });

  it('limits annotations to 256 KiB in total', () => {
    expect(problems(newPod({}, { annotations: { big: 'x'.repeat(256 * 1024) } }))).toEqual([
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]);
  });

  it('requires containers with a name and an image', () => {
    expect(problems(newPod({ containers: [] }))).toEqual(['spec.containers: Required value']);
    expect(problems(newPod({ containers: [{ name: 'app' }] }))).toEqual(['spec.containers[0].image: Required value']);
    expect(problems(newPod({ containers: [{ image: 'nginx' }] }))).toEqual(['spec.containers[0].name: Required value']);
  });

  it('rejects duplicate container names across init and app containers', () => {
    expect(
      problems(
        newPod({
          initContainers: [{ name: 'app', image: 'busybox' }],
          containers: [
            { name: 'app', image: 'nginx' },
            { name: 'App_2', image: 'nginx' },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].name: Duplicate value: "app"',
      expect.stringMatching(
        /^spec\.containers\[1\]\.name: Invalid value: "App_2": a lowercase RFC 1123 label must consist of/,
      ),
    ]);
  });

  it('checks ports, env, mounts, resources and probes', () => {
    const errs = problems(
      newPod({
        restartPolicy: 'Sometimes',
        containers: [
          {
            name: 'app',
            image: 'nginx',
            ports: [
              { containerPort: 70000, protocol: 'HTTP', name: 'web' },
              { containerPort: 81, name: 'web' },
            ],
            env: [{ name: 'A=B' }, { name: 'C', value: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            volumeMounts: [{ name: 'missing', mountPath: '/x' }],
            resources: { requests: { cpu: '2' }, limits: { cpu: '1', memory: 'lots' } },
            livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 }, successThreshold: 2 },
          },
        ],
      }),
    );
    expect(errs).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[1].name: Duplicate value: "web"',
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      `spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].livenessProbe: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('checks volumes, tolerations and DNS settings', () => {
    const errs = problems(
      newPod({
        volumes: [{ name: 'a', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'a', configMap: {} }, { name: 'b' }],
        tolerations: [
          { key: 'k', operator: 'Exists', value: 'v' },
          { operator: 'Equal', value: 'x' },
          { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 },
        ],
        dnsPolicy: 'None',
      }),
    );
    expect(errs).toEqual([
      'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1].configMap.name: Required value',
      'spec.volumes[1].name: Duplicate value: "a"',
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      `spec.tolerations[0].operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`,
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      `spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
    ]);
  });
});

describe('pod updates', () => {
  const stored = created(
    newPod({ containers: [{ name: 'app', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }] }),
  );
  stored.status = { phase: 'Running', podIP: '10.244.1.5' };

  it('allow a new image and added tolerations, and keep the status', () => {
    const next = structuredClone(stored);
    next.spec!.containers![0].image = 'nginx:1.27';
    next.spec!.tolerations!.push({ key: 'extra', operator: 'Exists' });
    next.status = { phase: 'Failed' };
    podKind.prepareForUpdate?.(next, stored);
    expect(next.status).toEqual({ phase: 'Running', podIP: '10.244.1.5' });
    expect(problems(next, stored)).toEqual([]);
  });

  it('forbid other spec changes with the API server message', () => {
    const next = structuredClone(stored);
    next.spec!.containers![0].ports = [{ containerPort: 81 }];
    expect(problems(next, stored)).toEqual([
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ]);
  });

  it('forbid removing tolerations and changing the name', () => {
    const next = structuredClone(stored);
    next.spec!.tolerations = [];
    next.metadata.name = 'other';
    expect(problems(next, stored)).toEqual([
      'metadata.name: Invalid value: "other": field is immutable',
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
  });
});

describe('pod table', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const running: Pod = {
    ...created(
      newPod(
        { nodeName: 'worker-1', readinessGates: [{ conditionType: 'example.com/ready' }] },
        { creationTimestamp: '2024-05-01T11:55:00Z' },
      ),
    ),
  };
  running.status = {
    phase: 'Running',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    conditions: [{ type: 'example.com/ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: 5,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:59:30Z' } },
      },
    ],
  };

  it('has the kubectl columns, wide ones at priority 1', () => {
    expect(podKind.table?.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(podKind.table?.columns[0].format).toBe('name');
  });

  it('renders a crash-looping pod like kubectl', () => {
    expect(podKind.table?.row(running as KubeObject, now)).toEqual([
      'web',
      '0/1',
      'CrashLoopBackOff',
      '5 (30s ago)',
      '5m',
      '10.244.1.5',
      'worker-1',
      '<none>',
      '1/1',
    ]);
  });

  it('renders Terminating and placeholders', () => {
    const p = created(newPod({}, { deletionTimestamp: '2024-05-01T12:00:00Z' }));
    expect(podKind.table?.row(p as KubeObject, now)).toEqual([
      'web',
      '0/1',
      'Terminating',
      '0',
      '<unknown>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });
});

describe('pod field selectors', () => {
  it('exposes the fields kubectl and controllers filter on', () => {
    const p = created(newPod({ nodeName: 'worker-1' }));
    const f = podKind.fieldSelectors ?? {};
    expect(f['spec.nodeName'](p)).toBe('worker-1');
    expect(f['status.phase'](p)).toBe('Pending');
    expect(f['spec.restartPolicy'](p)).toBe('Always');
    expect(f['spec.schedulerName'](p)).toBe('default-scheduler');
    expect(f['spec.serviceAccountName'](p)).toBe('default');
    expect(f['status.podIP'](p)).toBe('');
    expect(f['status.nominatedNodeName'](p)).toBe('');
  });
});
