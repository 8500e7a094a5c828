// Live engine status: GET /api/app/status seeds the react-query cache, and the event
// socket replaces it on every change. Components read it with useEngineStatus() and
// the socket's health with useConnection().
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { ClusterSummary, EngineStatus, ProgressStep } from '../../shared/gateway';
import { fetchEngineStatus } from './client';
import { type ConnectionState, EventStream, eventsUrl } from './eventStream';
import { queryKeys } from './queryKeys';
import { subscribeSession, isSessionOver } from './session';

/** progressKey is the react-query key holding the latest step of each running operation. */
export const progressKey = ['app', 'progress'] as const;

/** ProgressByOperation maps "operation/cluster" to its latest step. */
export type ProgressByOperation = Record<string, ProgressStep>;

const StreamContext = createContext<EventStream | null>(null);

/** EngineStatusProvider keeps the event socket open for everything below it. */
export function EngineStatusProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stream] = useState(
    () =>
      new EventStream({
        url: eventsUrl(window.location),
        onEvent: (event) => {
          if (event.type === 'status') {
            queryClient.setQueryData(queryKeys.engineStatus, event.status);
            return;
          }
          const step = event.progress;
          queryClient.setQueryData<ProgressByOperation>(progressKey, (old) => ({
            ...old,
            [`${step.operation}/${step.cluster ?? ''}`]: step,
          }));
        },
        // A drop may mean the engine restarted and forgot this session: asking over
        // HTTP turns that into a 401, which ends the session instead of retrying forever.
        onDrop: () => void queryClient.invalidateQueries({ queryKey: queryKeys.engineStatus }),
      }),
  );

  useEffect(() => {
    if (isSessionOver()) return;
    stream.start();
    const unsubscribe = subscribeSession(() => stream.stop());
    return () => {
      unsubscribe();
      stream.stop();
    };
  }, [stream]);

  return <StreamContext.Provider value={stream}>{children}</StreamContext.Provider>;
}

const stoppedState: ConnectionState = { phase: 'stopped', failures: 0 };
const noStream = {
  subscribe: () => () => undefined,
  getState: () => stoppedState,
};

/** Connection is the event socket's state plus a way to skip the wait before the next attempt. */
export interface Connection extends ConnectionState {
  retryNow(): void;
}

/** useConnection returns the state of the link to the engine, re-rendering on change. */
export function useConnection(): Connection {
  const stream = useContext(StreamContext);
  const source = stream ?? noStream;
  const state = useSyncExternalStore(source.subscribe, source.getState);
  return { ...state, retryNow: () => stream?.retryNow() };
}

/** EngineStatusView is what useEngineStatus returns. */
export interface EngineStatusView {
  /** The latest status, possibly stale while the connection is down. */
  status?: EngineStatus;
  connection: Connection;
  /** True when status is current: the socket is open and delivering changes. */
  isLive: boolean;
  /** The last failure to read the status over HTTP, if any. */
  error: Error | null;
}

/** useEngineStatus returns the engine status, kept live by the event socket. */
export function useEngineStatus(): EngineStatusView {
  const connection = useConnection();
  const query = useQuery({
    queryKey: queryKeys.engineStatus,
    queryFn: ({ signal }) => fetchEngineStatus(signal),
    // The socket pushes every change; the cache never goes stale on its own.
    staleTime: Infinity,
  });
  return {
    status: query.data,
    connection,
    isLive: connection.phase === 'open' && query.data !== undefined,
    error: query.error,
  };
}

/** useClusters returns the local clusters from the live status, or undefined before it arrives. */
export function useClusters(): ClusterSummary[] | undefined {
  return useEngineStatus().status?.clusters;
}

/** useProgress returns the latest step of each operation the engine reported. */
export function useProgress(): ProgressByOperation {
  const query = useQuery({
    queryKey: progressKey,
    queryFn: () => ({}) as ProgressByOperation,
    staleTime: Infinity,
  });
  return query.data ?? {};
}
