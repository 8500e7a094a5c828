// Reading one object from typed YAML before it is created.
import { describe, expect, it } from 'vitest';
import { kubeResources, resourceForKind } from './kubeResources';
import { parseObjectYaml } from './objectYaml';

describe('parseObjectYaml', () => {
  it('finds the resource by apiVersion and kind and fills in the namespace', () => {
    const parsed = parseObjectYaml('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n', 'team-a');
    expect(parsed).toEqual({
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' }, spec: {} },
      resource: kubeResources.deployments,
    });
  });

  it('keeps a namespace the YAML names, and none for cluster-wide kinds', () => {
    const own = parseObjectYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n', 'team-a');
    expect('object' in own && own.object.metadata.namespace).toBe('other');
    const pv = parseObjectYaml('apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\n', 'team-a');
    expect('object' in pv && pv.object.metadata.namespace).toBeUndefined();
  });

  it('says what is wrong before anything is sent', () => {
    const problem = (text: string, only?: string) => {
      const parsed = parseObjectYaml(text, 'default', only);
      return 'problem' in parsed ? parsed.problem.code : 'ok';
    };
    expect(problem('  ')).toBe('empty');
    expect(problem('kind: [')).toBe('syntax');
    expect(problem('- a\n- b\n')).toBe('notObject');
    expect(problem('metadata: {name: x}\n')).toBe('noKind');
    expect(problem('apiVersion: v9\nkind: Gizmo\nmetadata: {name: x}\n')).toBe('unknownKind');
    expect(problem('apiVersion: v1\nkind: Service\nmetadata: {}\n')).toBe('noName');
    expect(problem('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', 'Service')).toBe('wrongKind');
    expect(problem('apiVersion: v1\nkind: Service\nmetadata: {generateName: web-}\n')).toBe('ok');
  });

  it('knows resources of named groups', () => {
    expect(resourceForKind('discovery.k8s.io/v1', 'EndpointSlice')).toBe(kubeResources.endpointslices);
    expect(resourceForKind('storage.k8s.io/v1', 'StorageClass')).toBe(kubeResources.storageclasses);
    expect(resourceForKind('v1', 'Deployment')).toBeUndefined();
  });
});
