// Tests for the Kubernetes list paths the renderer will request through the gateway.
import { describe, expect, it } from 'vitest';
import { appRoutes } from '../../shared/gateway';
import { kubeListPath, queryKeys } from './queryKeys';

describe('kubeListPath', () => {
  it('addresses core and grouped kinds, namespaced or not, through the cluster prefix', () => {
    expect(kubeListPath({ cluster: 'dev', group: '', version: 'v1', resource: 'pods', namespace: 'default' })).toBe(
      '/clusters/dev/api/v1/namespaces/default/pods',
    );
    expect(kubeListPath({ cluster: 'dev', group: 'apps', version: 'v1', resource: 'deployments' })).toBe(
      '/clusters/dev/apis/apps/v1/deployments',
    );
    expect(
      kubeListPath({ cluster: 'dev', group: '', version: 'v1', resource: 'nodes' }).startsWith(
        appRoutes.kubeApi('dev'),
      ),
    ).toBe(true);
  });

  it('gives all-namespace and one-namespace lists different keys under their cluster', () => {
    const all = queryKeys.kubeList({ cluster: 'dev', group: '', version: 'v1', resource: 'pods' });
    const one = queryKeys.kubeList({
      cluster: 'dev',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'default',
    });
    expect(all).not.toEqual(one);
    expect(all.slice(0, 2)).toEqual(queryKeys.kube('dev'));
  });
});
