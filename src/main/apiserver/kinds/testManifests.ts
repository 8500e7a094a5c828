// Manifests people really write, used by the kind tests: every one must pass strict
// field checking, defaulting and validation unchanged.
import type { KubeObject } from '../../../shared/api/meta';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', ...extra });

/** fullPod exercises most PodSpec fields people use. */
export const fullPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta('full', {
    labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
    annotations: { 'kubectl.kubernetes.io/default-container': 'app', 'prometheus.io/scrape': 'true' },
    creationTimestamp: null,
  }),
  spec: {
    initContainers: [
      { name: 'init-db', image: 'busybox:1.36', command: ['sh', '-c', 'until nslookup db; do sleep 1; done'] },
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.30',
        restartPolicy: 'Always',
        readinessProbe: { tcpSocket: { port: 9901 } },
      },
    ],
    containers: [
      {
        name: 'app',
        image: 'registry.example.com:5000/team/app:2.1',
        imagePullPolicy: 'IfNotPresent',
        command: ['/app'],
        args: ['--port=8080'],
        workingDir: '/srv',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9090 },
          { containerPort: 5353, protocol: 'UDP', hostPort: 5353, hostIP: '0.0.0.0' },
        ],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'APP_LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          {
            name: 'MEM_LIMIT',
            valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          },
          {
            name: 'LOG_LEVEL',
            valueFrom: { configMapKeyRef: { name: 'app-config', key: 'log.level', optional: true } },
          },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        envFrom: [
          { configMapRef: { name: 'app-config' } },
          { prefix: 'DB_', secretRef: { name: 'db', optional: false } },
        ],
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: 1, memory: '256Mi', 'ephemeral-storage': '1Gi' },
        },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/app', readOnly: true },
          { name: 'data', mountPath: '/data', subPath: 'app' },
          { name: 'cache', mountPath: '/cache' },
          { name: 'token', mountPath: '/var/run/secrets/tokens' },
          { name: 'podinfo', mountPath: '/etc/podinfo' },
          { name: 'host', mountPath: '/host/log', mountPropagation: 'HostToContainer' },
        ],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
          initialDelaySeconds: 5,
          periodSeconds: 10,
        },
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 3, successThreshold: 2 },
        startupProbe: { grpc: { port: 9090, service: 'health' }, failureThreshold: 30, periodSeconds: 2 },
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hi'] } }, preStop: { sleep: { seconds: 5 } } },
        securityContext: {
          runAsUser: 1000,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        terminationMessagePolicy: 'FallbackToLogsOnError',
        stdin: false,
        tty: false,
      },
    ],
    volumes: [
      {
        name: 'config',
        configMap: { name: 'app-config', items: [{ key: 'app.yaml', path: 'app.yaml' }], defaultMode: 0o444 },
      },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      {
        name: 'token',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: 'vault' } },
            { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'creds', secret: { secretName: 'db', optional: true } },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 45,
    dnsPolicy: 'ClusterFirst',
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.example.com'], options: [{ name: 'ndots', value: '2' }] },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    hostname: 'web-0',
    subdomain: 'web',
    imagePullSecrets: [{ name: 'regcred' }],
    priorityClassName: 'high',
    securityContext: { fsGroup: 2000, runAsGroup: 3000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
          },
        ],
      },
    },
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ],
    hostAliases: [{ ip: '10.1.2.3', hostnames: ['db.local'] }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'web' } },
      },
    ],
    readinessGates: [{ conditionType: 'example.com/ready' }],
    enableServiceLinks: false,
    shareProcessNamespace: true,
  },
};

const template = (labels: Record<string, string>, image = 'nginx:1.27') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
});

/** manifests are typical objects of every persisted kind. */
export const manifests: KubeObject[] = [
  fullPod,
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a' } } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', nodePort: 30080 },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
      sessionAffinity: 'ClientIP',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('db'),
    spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('ext'),
    spec: { type: 'ExternalName', externalName: 'db.example.com' },
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('manual'),
    subsets: [
      {
        addresses: [{ ip: '10.244.1.5', targetRef: { kind: 'Pod', name: 'a', namespace: 'default' } }],
        ports: [{ port: 80 }],
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      labels: { 'kubernetes.io/hostname': 'worker-1', 'node-role.kubernetes.io/worker': '' },
    },
    spec: {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      providerID: 'wheelhouse://dev/worker-1',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'ready',
          lastHeartbeatTime: '2024-05-01T12:00:00Z',
          lastTransitionTime: '2024-05-01T12:00:00Z',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: 'worker-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        kubeletVersion: 'v1.31.0',
        osImage: 'Debian GNU/Linux 12',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'docker://20.10.24',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: 'x',
        systemUUID: 'y',
        bootID: 'z',
        kubeProxyVersion: '',
      },
      images: [{ names: ['nginx:1.27'], sizeBytes: 187000000 }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('app-config'),
    data: { 'app.yaml': 'a: 1\n', 'log.level': 'debug' },
    binaryData: { 'logo.png': 'iVBORw0KGgo=' },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('db'),
    type: 'Opaque',
    data: { password: 'c2VjcmV0' },
    stringData: { user: 'admin' },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('regcred'),
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from('{"auths":{"r.example.com":{"auth":"eDp5"}}}').toString('base64') },
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('web.17a'),
    involvedObject: {
      kind: 'Pod',
      namespace: 'default',
      name: 'web',
      uid: 'u1',
      apiVersion: 'v1',
      fieldPath: 'spec.containers{web}',
    },
    reason: 'Pulled',
    message: 'Successfully pulled image',
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: '2024-05-01T12:00:00Z',
    lastTimestamp: '2024-05-01T12:00:00Z',
    count: 1,
    type: 'Normal',
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta('web'),
    imagePullSecrets: [{ name: 'regcred' }],
    automountServiceAccountToken: false,
  },
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('compute'),
    spec: {
      hard: {
        'requests.cpu': '4',
        'requests.memory': '8Gi',
        'limits.cpu': 8,
        pods: '20',
        'count/deployments.apps': '5',
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('defaults'),
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m' },
          defaultRequest: { cpu: '100m' },
          max: { cpu: '2' },
          min: { cpu: '10m' },
        },
      ],
    },
  },
  // A claim may only name a class that exists, so the class comes first.
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'wheelhouse.io/host-path',
    parameters: { path: '/var/lib/wheelhouse' },
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-1' },
    spec: {
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: '/mnt/data' },
      storageClassName: 'manual',
      persistentVolumeReclaimPolicy: 'Delete',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('data'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', { labels: { app: 'web' } }),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } },
      minReadySeconds: 5,
      template: template({ app: 'web' }),
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-5d4f'),
    spec: {
      replicas: 2,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      template: template({ app: 'web' }),
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('db'),
    spec: {
      serviceName: 'db',
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [
            {
              name: 'db',
              image: 'postgres:16',
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('agent', { namespace: 'kube-system' }),
    spec: {
      selector: { matchLabels: { name: 'agent' } },
      template: {
        metadata: { labels: { name: 'agent' } },
        spec: {
          tolerations: [{ operator: 'Exists' }],
          hostNetwork: true,
          containers: [{ name: 'agent', image: 'agent:1.0', ports: [{ containerPort: 9100 }] }],
        },
      },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('pi'),
    spec: {
      backoffLimit: 4,
      ttlSecondsAfterFinished: 100,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'pi', image: 'perl:5.34', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] },
          ],
        },
      },
    },
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta('web-abc', { labels: { 'kubernetes.io/service-name': 'web' } }),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: [
      {
        addresses: ['10.244.1.5'],
        conditions: { ready: true },
        nodeName: 'worker-1',
        targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' },
      },
    ],
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta('worker-1', { namespace: 'kube-node-lease' }),
    spec: { holderIdentity: 'worker-1', leaseDurationSeconds: 40, renewTime: '2024-05-01T12:00:00.123456Z' },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('pod-reader'),
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('read-pods'),
    subjects: [
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'web', namespace: 'default' },
    ],
    roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'metrics' },
    rules: [
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['*'], verbs: ['*'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'metrics' },
    subjects: [
      { kind: 'Group', name: 'system:monitoring', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'prom', namespace: 'monitoring' },
    ],
    roleRef: { kind: 'ClusterRole', name: 'metrics', apiGroup: 'rbac.authorization.k8s.io' },
  },
];
