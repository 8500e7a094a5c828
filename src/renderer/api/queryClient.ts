// The renderer's one react-query client. Any call that comes back 401 ends the
// session; calls that fail because the engine is away are not retried here, since
// the event socket already probes for the engine with backoff.
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isEngineUnreachable, isSessionExpired } from './client';
import { markSessionExpired } from './session';

function watchForExpiry(error: unknown): void {
  if (isSessionExpired(error)) markSessionExpired();
}

/** createQueryClient builds the query client with the app's error and retry policy. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: watchForExpiry }),
    mutationCache: new MutationCache({ onError: watchForExpiry }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => !isSessionExpired(error) && !isEngineUnreachable(error) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}
