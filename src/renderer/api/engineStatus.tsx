// Live engine status: GET /api/app/status seeds the react-query cache, and the event
// socket replaces it on every change. Components read it with useEngineStatus() and
// the socket's health with useConnection(). Progress steps gather into runs
// (progressLog.ts), and a cluster that starts or goes away refreshes or drops its
// cached Kubernetes lists.
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { ClusterSummary, EngineStatus, ProgressStep } from '../../shared/gateway';
import { fetchEngineStatus } from './client';
import { type ConnectionState, EventStream, eventsUrl } from './eventStream';
import { finishRun, type ProgressLog, recordProgress, startRun } from './progressLog';
import { queryKeys } from './queryKeys';
import { subscribeSession, isSessionOver } from './session';

/** progressKey is the react-query key holding the progress runs (ProgressLog). */
export const progressKey = ['app', 'progress'] as const;

function recordStep(queryClient: QueryClient, step: ProgressStep): void {
  queryClient.setQueryData<ProgressLog>(progressKey, (old) => recordProgress(old ?? {}, step));
}

/**
 * clusterChanges compares two statuses: clusters that now run (their lists must be
 * read again) and clusters that are gone (their cached lists must go).
 */
export function clusterChanges(
  before: readonly ClusterSummary[] | undefined,
  after: readonly ClusterSummary[],
): { started: string[]; removed: string[] } {
  const was = new Map((before ?? []).map((c) => [c.name, c.state]));
  const started = after.filter((c) => c.state === 'running' && was.has(c.name) && was.get(c.name) !== 'running');
  const names = new Set(after.map((c) => c.name));
  const removed = [...was.keys()].filter((name) => !names.has(name));
  return { started: started.map((c) => c.name), removed };
}

function applyStatus(queryClient: QueryClient, status: EngineStatus): void {
  const before = queryClient.getQueryData<EngineStatus>(queryKeys.engineStatus);
  queryClient.setQueryData(queryKeys.engineStatus, status);
  const { started, removed } = clusterChanges(before?.clusters, status.clusters);
  for (const name of started) void queryClient.invalidateQueries({ queryKey: queryKeys.kube(name) });
  for (const name of removed) queryClient.removeQueries({ queryKey: queryKeys.kube(name) });
}

/** beginOperation opens a progress run for an action this window starts, so its steps gather from the first. */
export function beginOperation(queryClient: QueryClient, operation: string, cluster: string): void {
  queryClient.setQueryData<ProgressLog>(progressKey, (old) => startRun(old ?? {}, operation, cluster));
}

/** endOperation closes the run once the engine has answered the action's request. */
export function endOperation(queryClient: QueryClient, operation: string, cluster: string): void {
  queryClient.setQueryData<ProgressLog>(progressKey, (old) => finishRun(old ?? {}, operation, cluster));
}

const StreamContext = createContext<EventStream | null>(null);

/** EngineStatusProvider keeps the event socket open for everything below it. */
export function EngineStatusProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stream] = useState(
    () =>
      new EventStream({
        url: eventsUrl(window.location),
        onEvent: (event) => {
          if (event.type === 'status') applyStatus(queryClient, event.status);
          else if (event.type === 'progress') recordStep(queryClient, event.progress);
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

/** useProgress returns the progress runs the engine reported while this window was open. */
export function useProgress(): ProgressLog {
  const query = useQuery({
    queryKey: progressKey,
    queryFn: () => ({}) as ProgressLog,
    staleTime: Infinity,
  });
  return query.data ?? {};
}
