// A starting document for "create from YAML": a small deployment people edit.

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
