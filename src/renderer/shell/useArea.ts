// The current route, read from the URL hash and updated on every hash change.
import { useSyncExternalStore } from 'react';
import { type AreaId, type Route, parseRoute } from '../areas/areas';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** useArea returns the area named in the address bar. */
export function useArea(): AreaId {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash).area);
}

/** useRoute returns the whole route named in the address bar (a new object only when the hash changes). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return cachedRoute(hash);
}

let lastHash: string | undefined;
let lastRoute: Route | undefined;

function cachedRoute(hash: string): Route {
  if (hash !== lastHash || !lastRoute) {
    lastHash = hash;
    lastRoute = parseRoute(hash);
  }
  return lastRoute;
}

/** navigate moves the window to a route hash (e.g. from hashFor). */
export function navigate(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}
