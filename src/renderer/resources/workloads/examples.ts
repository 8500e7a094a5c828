// Starting documents for "create from YAML": a small deployment people edit, and a
// gallery of starter manifests for the common kinds.

/** exampleDeployment is a two-replica web deployment in a namespace, as YAML. */
export function exampleDeployment(namespace: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
`;
}

/** StarterManifest is one entry of the gallery of starting documents. */
export interface StarterManifest {
  id: 'deployment' | 'job' | 'cronjob' | 'configmap' | 'secret' | 'pvc' | 'statefulset' | 'daemonset';
  /** The kind the cluster must serve for the entry to be offered (apiVersion, kind). */
  needs?: [string, string];
  yaml(namespace: string): string;
}

/** starterManifests is the gallery: small, working documents people start from. */
export const starterManifests: StarterManifest[] = [
  {
    id: 'deployment',
    yaml: (namespace) => `${exampleDeployment(namespace)}---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 80
`,
  },
  {
    id: 'job',
    yaml: (namespace) => `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
  namespace: ${namespace}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hello
          image: busybox:1.36
          command: ["sh", "-c", "echo hello from a job; date"]
`,
  },
  {
    id: 'cronjob',
    needs: ['batch/v1', 'CronJob'],
    yaml: (namespace) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
  namespace: ${namespace}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: tick
              image: busybox:1.36
              command: ["sh", "-c", "date"]
`,
  },
  {
    id: 'configmap',
    yaml: (namespace) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${namespace}
data:
  LOG_LEVEL: info
  app.properties: |
    greeting=hello
    retries=3
`,
  },
  {
    id: 'secret',
    yaml: (namespace) => `apiVersion: v1
kind: Secret
metadata:
  name: credentials
  namespace: ${namespace}
type: Opaque
stringData:
  username: admin
  password: change-me
`,
  },
  {
    id: 'pvc',
    yaml: (namespace) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: ${namespace}
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
`,
  },
  {
    id: 'statefulset',
    yaml: (namespace) => `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: ${namespace}
spec:
  clusterIP: None
  selector:
    app: db
  ports:
    - name: db
      port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: ${namespace}
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: busybox:1.36
          command: ["sh", "-c", "echo I am $(hostname); sleep 3600"]
          ports:
            - name: db
              containerPort: 5432
`,
  },
  {
    id: 'daemonset',
    yaml: (namespace) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      containers:
        - name: agent
          image: busybox:1.36
          command: ["sh", "-c", "echo running on $(hostname); sleep 3600"]
`,
  },
];
