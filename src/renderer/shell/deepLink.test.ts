// The links the tray and notifications open, read by the window's router.
import { describe, expect, it } from 'vitest';
import { clusterLink, podLink, podsLink, readPodTab } from '../../shared/deepLinks';
import { parseRoute } from '../areas/areas';
import { withoutClusterParam } from './useDeepLink';

describe('deep links', () => {
  it("open a pod's logs or terminal in the named cluster", () => {
    const route = parseRoute(podLink('dev', 'kube-system', 'dns-1', 'logs'));
    expect(route).toEqual({ area: 'pods', path: ['kube-system', 'dns-1'], params: { cluster: 'dev', tab: 'logs' } });
    expect(readPodTab(parseRoute(podLink('dev', 'default', 'web', 'terminal')).params.tab)).toBe('terminal');
    expect(readPodTab('bogus')).toBeUndefined();
  });

  it("open a cluster's overview and its pods", () => {
    expect(parseRoute(clusterLink('dev'))).toEqual({ area: 'overview', path: [], params: { cluster: 'dev' } });
    expect(parseRoute(podsLink('prod'))).toEqual({ area: 'pods', path: [], params: { cluster: 'prod' } });
  });

  it('survive odd names', () => {
    expect(parseRoute(podLink('a-b', 'ns', 'web?x=1#y', 'logs')).path).toEqual(['ns', 'web?x=1#y']);
  });

  it('drop the cluster once the window has switched, keeping the rest', () => {
    expect(withoutClusterParam(parseRoute(podLink('dev', 'default', 'web', 'logs')))).toBe('#/pods/default/web?tab=logs');
    expect(withoutClusterParam(parseRoute(clusterLink('dev')))).toBe('#/overview');
  });
});
