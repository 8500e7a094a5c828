// Whether this window is still signed in to the engine. A 401 from any gateway call
// ends the session for good (the cookie is gone or the engine restarted), so this is
// a one-way switch that the whole UI can read.
import { useSyncExternalStore } from 'react';

let expired = false;
const listeners = new Set<() => void>();

/** markSessionExpired records that the gateway refused this window's session. */
export function markSessionExpired(): void {
  if (expired) return;
  expired = true;
  for (const listener of listeners) listener();
}

/** subscribeSession calls listener when the session expires, until the returned function is called. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** isSessionOver tells whether the session has expired. */
export function isSessionOver(): boolean {
  return expired;
}

/** useSessionExpired re-renders the caller when the session expires. */
export function useSessionExpired(): boolean {
  return useSyncExternalStore(subscribeSession, isSessionOver);
}
