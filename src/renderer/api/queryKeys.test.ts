// Tests for the Kubernetes list paths the renderer will request through the gateway.
import { describe, expect, it } from 'vitest';
import { appRoutes } from '../../shared/gateway';
import { kubeListKey, kubeListUrl, relistDelay } from './kubeList';
import { kubeObjectPath, kubeResources, withQuery } from './kubeResources';
import { kubeListPath, queryKeys } from './queryKeys';
import { clusterChanges } from './engineStatus';

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

describe('kube list keys and urls', () => {
  it('keys lists by their selectors too, under the cluster', () => {
    const plain = kubeListKey('dev', 'pods', { namespace: 'default' });
    const selected = kubeListKey('dev', 'pods', { namespace: 'default', labelSelector: 'app=web' });
    expect(plain).not.toEqual(selected);
    expect(selected.slice(0, 2)).toEqual(queryKeys.kube('dev'));
    // Cluster-scoped resources ignore a namespace.
    expect(kubeListKey('dev', 'nodes', { namespace: 'x' })).toEqual(kubeListKey('dev', 'nodes'));
  });

  it('builds list urls with selectors and appends watch parameters to them', () => {
    const url = kubeListUrl('dev', 'events', { namespace: 'default', fieldSelector: 'involvedObject.name=web' });
    expect(url).toBe('/clusters/dev/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb');
    expect(withQuery(url, { watch: '1', resourceVersion: '7', none: undefined })).toBe(`${url}&watch=1&resourceVersion=7`);
    expect(kubeObjectPath('dev', kubeResources.namespaces, 'ignored', 'team-a')).toBe('/clusters/dev/api/v1/namespaces/team-a');
  });

  it('waits longer after each failed relist, up to 30 s', () => {
    expect([0, 1, 2, 3, 10].map(relistDelay)).toEqual([0, 500, 1000, 2000, 30_000]);
  });
});

describe('clusterChanges', () => {
  const c = (name: string, state: 'running' | 'stopped' | 'starting') => ({ name, state, workers: 0, createdAt: '' });
  it('names clusters that began running and clusters that are gone', () => {
    expect(clusterChanges([c('a', 'starting'), c('b', 'running'), c('gone', 'running')], [c('a', 'running'), c('b', 'running'), c('new', 'running')])).toEqual({
      started: ['a'],
      removed: ['gone'],
    });
    expect(clusterChanges(undefined, [c('a', 'running')])).toEqual({ started: [], removed: [] });
  });
});
