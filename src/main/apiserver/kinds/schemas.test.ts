import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/api/meta';
import type { JSONSchema, ResourceDefinition } from '../registry/types';
import { allKinds } from './index';
import { refPrefix, refsOf } from './schema';
import { fullPod, manifests } from './testManifests';

const kinds = allKinds();

function kindOf(obj: KubeObject): ResourceDefinition {
  const [group, version] = (obj.apiVersion ?? '').includes('/')
    ? (obj.apiVersion ?? '').split('/')
    : ['', obj.apiVersion];
  const def = kinds.find((k) => k.group === group && k.version === version && k.kind === obj.kind);
  if (!def) throw new Error(`no kind for ${obj.apiVersion} ${obj.kind}`);
  return def;
}

function resolve(defs: Record<string, JSONSchema>, s: JSONSchema): JSONSchema {
  if (s.$ref) return resolve(defs, defs[s.$ref.slice(refPrefix.length)]);
  if (s.allOf && s.allOf.length === 1 && !s.properties && !s.type) return resolve(defs, s.allOf[0]);
  return s;
}

/** unknownFields walks a value against a schema the way strict field validation does, listing unknown or mistyped fields. */
function unknownFields(
  defs: Record<string, JSONSchema>,
  schema: JSONSchema,
  value: unknown,
  path: string,
  out: string[],
): void {
  // A JSON null means "unset" for built-in kinds, as Go's decoder treats it.
  if (value === null || value === undefined) return;
  const s = resolve(defs, schema);
  if (s['x-kubernetes-preserve-unknown-fields']) return;
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && typeof value !== 'number') out.push(`${path}: not int-or-string`);
    return;
  }
  switch (s.type) {
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${path}: not an object`);
        return;
      }
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const p = path ? `${path}.${k}` : k;
        if (s.properties && k in s.properties) unknownFields(defs, s.properties[k], v, p, out);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object')
          unknownFields(defs, s.additionalProperties, v, p, out);
        else out.push(`${p}: unknown field`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) out.push(`${path}: not an array`);
      else value.forEach((v, i) => unknownFields(defs, s.items as JSONSchema, v, `${path}[${i}]`, out));
      return;
    case 'string':
      if (typeof value !== 'string') out.push(`${path}: not a string`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) out.push(`${path}: not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') out.push(`${path}: not a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${path}: not a boolean`);
      return;
    default:
      out.push(`${path}: schema without a type`);
  }
}

function strictProblems(obj: KubeObject): string[] {
  const def = kindOf(obj);
  const out: string[] = [];
  unknownFields(def.definitions, def.definitions[def.schemaName], obj, '', out);
  return out;
}

/** admit runs what the API server runs on create: defaults, prepareForCreate, validate. */
function admit(input: KubeObject): { obj: KubeObject; errors: string[] } {
  const def = kindOf(input);
  const obj = structuredClone(input);
  obj.metadata.namespace = def.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
  if (!def.namespaced) delete obj.metadata.namespace;
  obj.metadata.uid ??= '3f1c2a5e-0000-4000-8000-000000000001';
  def.defaults?.(obj);
  def.prepareForCreate?.(obj);
  const errors = (def.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
  return { obj, errors };
}

describe('kind registry', () => {
  it('lists every required kind once with its real short names and categories', () => {
    const byResource = new Map(kinds.map((k) => [`${k.group}/${k.resource}`, k]));
    expect(byResource.size).toBe(kinds.length);
    const expectShort = (res: string, short: string[]) => expect(byResource.get(res)?.shortNames ?? []).toEqual(short);
    expectShort('/pods', ['po']);
    expectShort('/services', ['svc']);
    expectShort('/endpoints', ['ep']);
    expectShort('/nodes', ['no']);
    expectShort('/configmaps', ['cm']);
    expectShort('/namespaces', ['ns']);
    expectShort('/serviceaccounts', ['sa']);
    expectShort('/resourcequotas', ['quota']);
    expectShort('/limitranges', ['limits']);
    expectShort('/persistentvolumes', ['pv']);
    expectShort('/persistentvolumeclaims', ['pvc']);
    expectShort('/events', ['ev']);
    expectShort('apps/deployments', ['deploy']);
    expectShort('apps/replicasets', ['rs']);
    expectShort('apps/statefulsets', ['sts']);
    expectShort('apps/daemonsets', ['ds']);
    expectShort('storage.k8s.io/storageclasses', ['sc']);
    const all = kinds
      .filter((k) => k.categories?.includes('all'))
      .map((k) => k.resource)
      .sort();
    expect(all).toEqual(['daemonsets', 'deployments', 'jobs', 'pods', 'replicasets', 'services', 'statefulsets']);
    expect(byResource.get('/pods')?.subresources?.other).toEqual(
      expect.arrayContaining(['log', 'exec', 'attach', 'portforward', 'binding', 'eviction']),
    );
    for (const r of ['apps/deployments', 'apps/replicasets', 'apps/statefulsets']) {
      expect(byResource.get(r)?.subresources?.scale?.specReplicasPath).toBe('.spec.replicas');
    }
    for (const r of [
      '/bindings',
      'authorization.k8s.io/selfsubjectaccessreviews',
      'authorization.k8s.io/selfsubjectrulesreviews',
    ]) {
      expect(byResource.get(r)).toMatchObject({ virtual: true, verbs: ['create'] });
    }
  });

  it.each(kinds.map((k) => [k.kind, k] as const))(
    '%s has a self-contained schema with our own descriptions',
    (_, def) => {
      expect(def.definitions[def.schemaName]).toBeDefined();
      expect(def.definitions[def.schemaName]['x-kubernetes-group-version-kind']).toEqual([
        { group: def.group, version: def.version, kind: def.kind },
      ]);
      for (const [name, schema] of Object.entries(def.definitions)) {
        for (const ref of refsOf(schema)) expect(def.definitions[ref], `${name} -> ${ref}`).toBeDefined();
        for (const [field, prop] of Object.entries(schema.properties ?? {})) {
          expect(prop.description, `${name}.${field} needs a description`).toBeTruthy();
        }
      }
      expect(def.singular).toBe(def.kind.toLowerCase());
    },
  );

  it('carries the strategic merge keys of real Kubernetes', () => {
    const pod = kinds.find((k) => k.kind === 'Pod') as ResourceDefinition;
    const d = pod.definitions;
    const prop = (type: string, field: string) => d[`io.k8s.api.core.v1.${type}`].properties?.[field] as JSONSchema;
    expect(prop('PodSpec', 'containers')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop('PodSpec', 'initContainers')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop('PodSpec', 'volumes')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop('PodSpec', 'imagePullSecrets')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop('PodSpec', 'tolerations')['x-kubernetes-list-type']).toBe('atomic');
    expect(prop('PodSpec', 'tolerations')['x-kubernetes-patch-merge-key']).toBeUndefined();
    expect(prop('Container', 'ports')).toMatchObject({
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
    });
    expect(prop('Container', 'env')['x-kubernetes-patch-merge-key']).toBe('name');
    expect(prop('Container', 'volumeMounts')['x-kubernetes-patch-merge-key']).toBe('mountPath');
    expect(prop('PodStatus', 'conditions')['x-kubernetes-patch-merge-key']).toBe('type');
    const meta = d['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties ?? {};
    expect(meta.ownerReferences['x-kubernetes-patch-merge-key']).toBe('uid');
    expect(meta.finalizers['x-kubernetes-patch-strategy']).toBe('merge');
    const svc = kinds.find((k) => k.kind === 'Service') as ResourceDefinition;
    expect(svc.definitions['io.k8s.api.core.v1.ServiceSpec'].properties?.ports['x-kubernetes-patch-merge-key']).toBe(
      'port',
    );
    const deploy = kinds.find((k) => k.kind === 'Deployment') as ResourceDefinition;
    expect(
      deploy.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties?.strategy['x-kubernetes-patch-strategy'],
    ).toBe('retainKeys');
    expect(deploy.definitions['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
  });

  it('describes quantities and int-or-string values so numbers and strings both pass', () => {
    const pod = kinds.find((k) => k.kind === 'Pod') as ResourceDefinition;
    expect(pod.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']['x-kubernetes-int-or-string']).toBe(true);
    expect(pod.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']['x-kubernetes-int-or-string']).toBe(true);
  });
});

describe('manifests people write', () => {
  it.each(manifests.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))(
    '%s passes strict field checking, defaulting and validation',
    (_, manifest) => {
      expect(strictProblems(manifest)).toEqual([]);
      const { obj, errors } = admit(manifest);
      expect(errors).toEqual([]);
      expect(strictProblems(obj)).toEqual([]);
    },
  );

  it('flags unknown and mistyped fields', () => {
    const bad = structuredClone(fullPod) as KubeObject & { spec: { containers: Record<string, unknown>[] } };
    bad.spec.containers[0].imagePullPolicyy = 'Always';
    (bad.spec.containers[0].ports as Record<string, unknown>[])[0].containerPort = '80';
    expect(strictProblems(bad)).toEqual([
      'spec.containers[0].ports[0].containerPort: not an integer',
      'spec.containers[0].imagePullPolicyy: unknown field',
    ]);
  });
});

const kubectlVersions = ['1.27', '1.33'];
// PLATFORM.md: versioned kubectl binaries live here on the build machines.
const kubectlDir = process.env.WHEELHOUSE_KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const kubectlPath = (v: string) => join(kubectlDir, `kubectl.${v}`);
const haveKubectl = kubectlVersions.every((v) => existsSync(kubectlPath(v)));
if (!haveKubectl) {
  if (process.env.CI) throw new Error('kubectl 1.27 and 1.33 are required in CI (see PLATFORM.md)');
  console.warn('Skipping kubectl-generated manifests: kubectl.1.27 / kubectl.1.33 not installed');
}

describe.skipIf(!haveKubectl)('manifests generated by real kubectl (client-side dry run)', () => {
  const commands: string[][] = [
    ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80'],
    ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
    ['create', 'cronjob', 'skip', '--image=busybox', '--schedule=* * * * *'],
    ['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b.txt=two'],
    ['create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret'],
    [
      'create',
      'secret',
      'docker-registry',
      'reg',
      '--docker-server=r.example.com',
      '--docker-username=u',
      '--docker-password=p',
    ],
    ['create', 'service', 'clusterip', 'web', '--tcp=80:8080'],
    ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30001'],
    ['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443'],
    ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com'],
    ['create', 'namespace', 'team'],
    ['create', 'serviceaccount', 'bot'],
    ['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=4'],
    ['create', 'rolebinding', 'rb', '--role=reader', '--user=jane', '--serviceaccount=default:bot'],
    ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
    ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs'],
  ];
  for (const version of kubectlVersions) {
    it.each(commands.map((c) => [c.slice(0, 3).join(' '), c] as const))(`kubectl ${version} %s`, (_, args) => {
      // Flags go before any "--" command; the server address is a closed loopback port, so nothing is contacted.
      const split = args.includes('--') ? args.indexOf('--') : args.length;
      const flags = ['--dry-run=client', '-o', 'json', '-n', 'default', '--server=http://127.0.0.1:1'];
      const out = execFileSync(kubectlPath(version), [...args.slice(0, split), ...flags, ...args.slice(split)], {
        env: { ...process.env, KUBECONFIG: '/dev/null' },
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
      const obj = JSON.parse(out) as KubeObject;
      if (obj.kind === 'CronJob') return; // CronJob is not a built-in kind of Wheelhouse yet.
      expect(strictProblems(obj)).toEqual([]);
      const { errors } = admit(obj);
      expect(errors).toEqual([]);
    });
  }
});
