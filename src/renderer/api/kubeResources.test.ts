// Gateway paths of objects in the core group and in named API groups.
import { describe, expect, it } from 'vitest';
import { kubeListKey, kubeListUrl } from './kubeList';
import { apiVersionOf, kubeObjectPath, kubeResources } from './kubeResources';

describe('kubeObjectPath', () => {
  it('puts core resources under /api and grouped ones under /apis/GROUP', () => {
    expect(kubeObjectPath('dev', kubeResources.services, 'default', 'web')).toBe('/clusters/dev/api/v1/namespaces/default/services/web');
    expect(kubeObjectPath('dev', kubeResources.deployments, 'team-a')).toBe('/clusters/dev/apis/apps/v1/namespaces/team-a/deployments');
    expect(kubeObjectPath('dev', kubeResources.endpointslices, 'default')).toBe(
      '/clusters/dev/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    );
    expect(kubeObjectPath('dev', kubeResources.storageclasses, 'ignored', 'standard')).toBe('/clusters/dev/apis/storage.k8s.io/v1/storageclasses/standard');
  });

  it('lists with selectors and keys lists by group', () => {
    expect(kubeListUrl('dev', 'endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' })).toBe(
      '/clusters/dev/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb',
    );
    expect(kubeListKey('dev', 'jobs')).not.toEqual(kubeListKey('dev', 'pods'));
    expect(JSON.stringify(kubeListKey('dev', 'jobs'))).toContain('batch');
  });

  it('writes apiVersion the way objects carry it', () => {
    expect(apiVersionOf(kubeResources.pods)).toBe('v1');
    expect(apiVersionOf(kubeResources.jobs)).toBe('batch/v1');
  });
});
