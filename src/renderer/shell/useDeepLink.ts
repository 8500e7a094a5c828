// Links from outside the window (the tray, notifications) name a cluster in the
// hash (?cluster=NAME). The window switches to it once, then drops the parameter so
// the cluster picker stays in charge.
import { useEffect } from 'react';
import { deepLinkParams } from '../../shared/deepLinks';
import { hashFor, type Route } from '../areas/areas';
import { chooseCluster } from '../state/selection';

/** withoutClusterParam is the route's hash with the deep link's cluster parameter taken out. */
export function withoutClusterParam(route: Route): string {
  return hashFor(route.area, route.path, { ...route.params, [deepLinkParams.cluster]: undefined });
}

/** useDeepLinkCluster switches to the cluster a link names. */
export function useDeepLinkCluster(route: Route): void {
  const wanted = route.params[deepLinkParams.cluster];
  useEffect(() => {
    if (!wanted) return;
    chooseCluster(wanted);
    // Replacing (not pushing) keeps Back from bouncing to the link's cluster again.
    window.history.replaceState(window.history.state, '', withoutClusterParam(route));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }, [wanted, route]);
}
