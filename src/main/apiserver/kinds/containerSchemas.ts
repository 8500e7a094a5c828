// Schemas of a container: image and command, ports, environment, resources, mounts,
// probes, lifecycle hooks and security settings.
import type { Definitions } from './schema';
import type { JSONSchema } from '../registry/types';
import {
  atomicList,
  bool,
  coreV1,
  enumStr,
  int32,
  int64,
  intOrString,
  keyedList,
  list,
  mergeList,
  obj,
  preserve,
  quantityMap,
  quantityName,
  ref,
  str,
  strList,
} from './schema';

const C = coreV1;

/** containerFields are the fields shared by Container and EphemeralContainer. */
function containerFields(): Record<string, JSONSchema> {
  return {
    name: str('Name of the container, unique within the pod (a DNS label). Cannot be changed.'),
    image: str('Container image to run, e.g. nginx:1.27 or registry.example.com/app@sha256:...'),
    command: strList('Entrypoint; replaces the image ENTRYPOINT. Not run in a shell. $(VAR) expands from env.'),
    args: strList('Arguments to the entrypoint; replace the image CMD. $(VAR) expands from env.'),
    workingDir: str('Working directory; the image default when empty.'),
    ports: keyedList(
      'Ports the container listens on. Informational: any port the process opens is reachable.',
      C + 'ContainerPort',
      'containerPort',
      ['containerPort', 'protocol'],
    ),
    envFrom: atomicList('Sources that each put all their keys into the environment.', ref(C + 'EnvFromSource')),
    env: mergeList('Environment variables to set in the container.', C + 'EnvVar', 'name'),
    resources: ref(C + 'ResourceRequirements', 'CPU, memory and other resources requested and allowed.'),
    resizePolicy: atomicList(
      'How the container reacts to a resize of each resource.',
      ref(C + 'ContainerResizePolicy'),
    ),
    restartPolicy: str('For init containers only: Always makes it a sidecar that keeps running beside the app.'),
    volumeMounts: mergeList('Pod volumes mounted into the container filesystem.', C + 'VolumeMount', 'mountPath'),
    volumeDevices: mergeList('Block volumes exposed to the container as devices.', C + 'VolumeDevice', 'devicePath'),
    livenessProbe: ref(C + 'Probe', 'Check that restarts the container when it fails.'),
    readinessProbe: ref(C + 'Probe', 'Check that takes the pod out of service endpoints while it fails.'),
    startupProbe: ref(C + 'Probe', 'Check that must pass once before the other probes start.'),
    lifecycle: ref(C + 'Lifecycle', 'Hooks run right after start and right before stop.'),
    terminationMessagePath: str('File the container may write its final message to; defaults to /dev/termination-log.'),
    terminationMessagePolicy: enumStr(
      'File reads only the termination message file; FallbackToLogsOnError uses the log tail when the file is empty and the container failed.',
      ['FallbackToLogsOnError', 'File'],
    ),
    imagePullPolicy: enumStr(
      'Always, Never or IfNotPresent. Defaults to Always for :latest or untagged images, IfNotPresent otherwise.',
      ['Always', 'IfNotPresent', 'Never'],
    ),
    securityContext: ref(C + 'SecurityContext', 'Security options for this container; override the pod-level ones.'),
    stdin: bool('Keep a stdin buffer open for the container (for attach).'),
    stdinOnce: bool('Close stdin after the first attach session ends.'),
    tty: bool('Allocate a terminal for the container; needs stdin.'),
  };
}

/** containerDefinitions are the container-level schemas of core/v1. */
export const containerDefinitions: Definitions = {
  [C + 'Container']: obj('A process running in the pod.', containerFields(), ['name']),
  [C + 'EphemeralContainer']: obj(
    'A temporary container added to a running pod for debugging.',
    {
      ...containerFields(),
      targetContainerName: str('Name of a container whose process namespace this one joins.'),
    },
    ['name'],
  ),
  [C + 'ContainerPort']: obj(
    'A network port of a container.',
    {
      name: str('Name of the port (an IANA service name), usable by services as targetPort.'),
      hostPort: int32('Port to open on the node for this container port; rarely needed.'),
      containerPort: int32('Port number the container listens on (1-65535).'),
      protocol: enumStr('TCP, UDP or SCTP; defaults to TCP.', ['SCTP', 'TCP', 'UDP']),
      hostIP: str('Node address the host port binds to.'),
    },
    ['containerPort'],
  ),
  [C + 'EnvVar']: obj(
    'One environment variable.',
    {
      name: str('Variable name.'),
      value: str('Literal value; $(VAR) expands from variables defined earlier.'),
      valueFrom: ref(C + 'EnvVarSource', 'Where to read the value from, instead of value.'),
    },
    ['name'],
  ),
  [C + 'EnvVarSource']: obj('The source of an environment variable value; exactly one field.', {
    fieldRef: ref(C + 'ObjectFieldSelector', 'A field of the pod, e.g. metadata.name or status.podIP.'),
    resourceFieldRef: ref(C + 'ResourceFieldSelector', 'A resource limit or request of a container.'),
    configMapKeyRef: ref(C + 'ConfigMapKeySelector', 'A key of a ConfigMap.'),
    secretKeyRef: ref(C + 'SecretKeySelector', 'A key of a Secret.'),
    fileKeyRef: preserve('A key of an env file in a volume.'),
  }),
  [C + 'ObjectFieldSelector']: {
    ...obj(
      'Selects a field of the pod.',
      {
        apiVersion: str('Version the field path is written in; defaults to v1.'),
        fieldPath: str("Path of the field, e.g. metadata.labels['app']."),
      },
      ['fieldPath'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'ResourceFieldSelector']: {
    ...obj(
      'Selects a resource of a container, e.g. limits.memory.',
      {
        containerName: str('Container to read from; required in volumes.'),
        resource: str('Resource to read, e.g. limits.cpu or requests.memory.'),
        divisor: ref(quantityName, 'Unit the value is divided by; defaults to 1.'),
      },
      ['resource'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'ConfigMapKeySelector']: {
    ...obj(
      'Selects one key of a ConfigMap.',
      {
        name: str('Name of the ConfigMap.'),
        key: str('Key to read.'),
        optional: bool('When true, a missing ConfigMap or key is not an error.'),
      },
      ['key'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'SecretKeySelector']: {
    ...obj(
      'Selects one key of a Secret.',
      {
        name: str('Name of the Secret.'),
        key: str('Key to read.'),
        optional: bool('When true, a missing Secret or key is not an error.'),
      },
      ['key'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'EnvFromSource']: obj('A ConfigMap or Secret whose keys all become environment variables.', {
    prefix: str('Prefix added to every variable name.'),
    configMapRef: ref(C + 'ConfigMapEnvSource', 'The ConfigMap to read.'),
    secretRef: ref(C + 'SecretEnvSource', 'The Secret to read.'),
  }),
  [C + 'ConfigMapEnvSource']: {
    ...obj('A ConfigMap used as a whole for environment variables.', {
      name: str('Name of the ConfigMap.'),
      optional: bool('When true, a missing ConfigMap is not an error.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'SecretEnvSource']: {
    ...obj('A Secret used as a whole for environment variables.', {
      name: str('Name of the Secret.'),
      optional: bool('When true, a missing Secret is not an error.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [C + 'ResourceRequirements']: obj('Compute resources: what is reserved (requests) and the ceiling (limits).', {
    limits: quantityMap('Most of each resource the container may use, e.g. cpu: 500m, memory: 256Mi.'),
    requests: quantityMap('Resources reserved for scheduling; default to the limits when only limits are set.'),
    claims: keyedList('Dynamic resource claims of the pod this container uses.', C + 'ResourceClaim', 'name'),
  }),
  [C + 'ResourceClaim']: obj(
    'Use of one of the pod resource claims.',
    { name: str('Name of the pod resource claim.'), request: str('A single request inside the claim.') },
    ['name'],
  ),
  [C + 'ContainerResizePolicy']: obj(
    'Resize behaviour for one resource.',
    {
      resourceName: str('cpu or memory.'),
      restartPolicy: str('NotRequired or RestartContainer.'),
    },
    ['resourceName', 'restartPolicy'],
  ),
  [C + 'VolumeMount']: obj(
    'A volume mounted into a container.',
    {
      name: str('Name of a volume of the pod.'),
      readOnly: bool('Mount read-only.'),
      recursiveReadOnly: str('Whether read-only applies to sub-mounts: Disabled, IfPossible or Enabled.'),
      mountPath: str('Absolute path inside the container; may not contain ":".'),
      subPath: str('Path inside the volume to mount instead of its root.'),
      mountPropagation: str('None, HostToContainer or Bidirectional.'),
      subPathExpr: str('Like subPath, with $(VAR) expanded from the environment.'),
    },
    ['name', 'mountPath'],
  ),
  [C + 'VolumeDevice']: obj(
    'A raw block volume exposed as a device.',
    {
      name: str('Name of a persistentVolumeClaim volume of the pod.'),
      devicePath: str('Device path inside the container.'),
    },
    ['name', 'devicePath'],
  ),
  [C + 'Probe']: obj('A health check of a container and how often to run it.', {
    exec: ref(C + 'ExecAction', 'Run a command; exit status 0 means healthy.'),
    httpGet: ref(C + 'HTTPGetAction', 'Send an HTTP GET; a 2xx or 3xx answer means healthy.'),
    tcpSocket: ref(C + 'TCPSocketAction', 'Open a TCP connection; success means healthy.'),
    grpc: ref(C + 'GRPCAction', 'Call the gRPC health service.'),
    initialDelaySeconds: int32('Seconds to wait after start before the first check.'),
    timeoutSeconds: int32('Seconds before a check times out; defaults to 1.'),
    periodSeconds: int32('Seconds between checks; defaults to 10.'),
    successThreshold: int32(
      'Consecutive successes needed after a failure; defaults to 1 (must be 1 for liveness and startup).',
    ),
    failureThreshold: int32('Consecutive failures before the probe counts as failed; defaults to 3.'),
    terminationGracePeriodSeconds: int64('Grace period used when this probe fails and the container is stopped.'),
  }),
  [C + 'ExecAction']: obj('A command run inside the container.', {
    command: strList('Command and arguments; not run in a shell.'),
  }),
  [C + 'HTTPGetAction']: obj(
    'An HTTP GET request.',
    {
      path: str('Path to request; defaults to /.'),
      port: intOrString('Port number or name on the container.'),
      host: str('Host to connect to; defaults to the pod IP.'),
      scheme: enumStr('HTTP or HTTPS; defaults to HTTP.', ['HTTP', 'HTTPS']),
      httpHeaders: atomicList('Extra request headers.', ref(C + 'HTTPHeader')),
    },
    ['port'],
  ),
  [C + 'HTTPHeader']: obj('An HTTP header.', { name: str('Header name.'), value: str('Header value.') }, [
    'name',
    'value',
  ]),
  [C + 'TCPSocketAction']: obj(
    'A TCP connection attempt.',
    {
      port: intOrString('Port number or name on the container.'),
      host: str('Host to connect to; defaults to the pod IP.'),
    },
    ['port'],
  ),
  [C + 'GRPCAction']: obj(
    'A gRPC health check call.',
    {
      port: int32('Port number of the gRPC service.'),
      service: str('Service name passed to the health check; empty for the server as a whole.'),
    },
    ['port'],
  ),
  [C + 'Lifecycle']: obj('Actions run when a container starts and before it stops.', {
    postStart: ref(C + 'LifecycleHandler', 'Runs right after the container is created.'),
    preStop: ref(C + 'LifecycleHandler', 'Runs before the container is stopped; delays the stop signal.'),
    stopSignal: str('Signal sent to stop the container, e.g. SIGTERM.'),
  }),
  [C + 'LifecycleHandler']: obj('One lifecycle action; exactly one field.', {
    exec: ref(C + 'ExecAction', 'Run a command in the container.'),
    httpGet: ref(C + 'HTTPGetAction', 'Send an HTTP GET.'),
    tcpSocket: ref(C + 'TCPSocketAction', 'Deprecated: open a TCP connection.'),
    sleep: ref(C + 'SleepAction', 'Wait a number of seconds.'),
  }),
  [C + 'SleepAction']: obj('A pause.', { seconds: int64('Seconds to sleep.') }, ['seconds']),
  [C + 'SecurityContext']: obj('Security options of a container.', {
    capabilities: ref(C + 'Capabilities', 'Linux capabilities to add and drop.'),
    privileged: bool('Run with full access to the node (use sparingly).'),
    seLinuxOptions: ref(C + 'SELinuxOptions', 'SELinux context of the container.'),
    windowsOptions: ref(C + 'WindowsSecurityContextOptions', 'Windows-specific options.'),
    runAsUser: int64('UID the process runs as.'),
    runAsGroup: int64('GID the process runs as.'),
    runAsNonRoot: bool('Refuse to start when the process would run as root.'),
    readOnlyRootFilesystem: bool('Mount the container root filesystem read-only.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent.'),
    procMount: str('Default or Unmasked /proc.'),
    seccompProfile: ref(C + 'SeccompProfile', 'Seccomp filter to apply.'),
    appArmorProfile: ref(C + 'AppArmorProfile', 'AppArmor profile to apply.'),
  }),
  [C + 'Capabilities']: obj('Linux capabilities to add and drop.', {
    add: strList('Capabilities to add, e.g. NET_ADMIN.'),
    drop: strList('Capabilities to drop, e.g. ALL.'),
  }),
  [C + 'SELinuxOptions']: obj('SELinux labels.', {
    user: str('SELinux user.'),
    role: str('SELinux role.'),
    type: str('SELinux type.'),
    level: str('SELinux level.'),
  }),
  [C + 'WindowsSecurityContextOptions']: obj('Windows-specific security options.', {
    gmsaCredentialSpecName: str('Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: str('Inline GMSA credential spec.'),
    runAsUserName: str('Windows user to run as.'),
    hostProcess: bool('Run as a host process container.'),
  }),
  [C + 'SeccompProfile']: obj(
    'A seccomp profile.',
    {
      type: enumStr('RuntimeDefault, Unconfined or Localhost.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
      localhostProfile: str('Profile file on the node, for type Localhost.'),
    },
    ['type'],
  ),
  [C + 'AppArmorProfile']: obj(
    'An AppArmor profile.',
    {
      type: enumStr('RuntimeDefault, Unconfined or Localhost.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
      localhostProfile: str('Profile loaded on the node, for type Localhost.'),
    },
    ['type'],
  ),
  [C + 'PodSecurityContext']: obj('Security options for every container of the pod.', {
    seLinuxOptions: ref(C + 'SELinuxOptions', 'SELinux context for all containers.'),
    windowsOptions: ref(C + 'WindowsSecurityContextOptions', 'Windows-specific options.'),
    runAsUser: int64('UID processes run as.'),
    runAsGroup: int64('GID processes run as.'),
    runAsNonRoot: bool('Refuse to start containers that would run as root.'),
    supplementalGroups: list(
      'Extra GIDs for every process.',
      { type: 'integer', format: 'int64' },
      { listType: 'atomic' },
    ),
    supplementalGroupsPolicy: str('Merge or Strict: how supplemental groups are computed.'),
    fsGroup: int64('GID that owns supported volumes and is added to every process.'),
    sysctls: atomicList('Namespaced kernel parameters to set.', ref(C + 'Sysctl')),
    fsGroupChangePolicy: str('OnRootMismatch or Always: when volume ownership is changed.'),
    seccompProfile: ref(C + 'SeccompProfile', 'Seccomp filter for all containers.'),
    appArmorProfile: ref(C + 'AppArmorProfile', 'AppArmor profile for all containers.'),
    seLinuxChangePolicy: str('How the SELinux label is applied to volumes.'),
  }),
  [C + 'Sysctl']: obj('A kernel parameter.', { name: str('Parameter name.'), value: str('Value to set.') }, [
    'name',
    'value',
  ]),
};
