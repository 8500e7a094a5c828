// The current area, read from the URL hash and updated on every hash change.
import { useSyncExternalStore } from 'react';
import { type AreaId, areaFromHash } from '../areas/areas';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** useArea returns the area named in the address bar. */
export function useArea(): AreaId {
  return useSyncExternalStore(subscribe, () => areaFromHash(window.location.hash));
}
