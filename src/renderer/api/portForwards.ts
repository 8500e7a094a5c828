// The engine's port-forwards, through the app API: the active list (cached and
// refreshed while the window is open), starting one and stopping one.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { appRoutes, type PortForward, type StartPortForwardRequest } from '../../shared/gateway';
import { gatewayFetch } from './client';

/** portForwardsKey is the react-query key of GET /api/app/port-forwards. */
export const portForwardsKey = ['app', 'port-forwards'] as const;

/** usePortForwards lists the active port-forwards, refreshed every few seconds. */
export function usePortForwards(): { forwards: PortForward[]; error: unknown } {
  const query = useQuery({
    queryKey: portForwardsKey,
    queryFn: ({ signal }) => gatewayFetch<PortForward[]>(appRoutes.portForwards, { signal }),
    refetchInterval: 5_000,
  });
  return { forwards: query.data ?? [], error: query.error };
}

/** usePortForwardActions starts and stops forwards and refreshes the list after each. */
export function usePortForwardActions(): {
  start(request: StartPortForwardRequest): Promise<PortForward>;
  stop(id: string): Promise<void>;
} {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: portForwardsKey });
  return {
    async start(request) {
      const forward = await gatewayFetch<PortForward>(appRoutes.portForwards, { method: 'POST', body: JSON.stringify(request) });
      await refresh();
      return forward;
    },
    async stop(id) {
      await gatewayFetch<unknown>(appRoutes.portForward(id), { method: 'DELETE' });
      await refresh();
    },
  };
}

/** localPortProblem checks the local port field: empty (any free port) or 1-65535. */
export function localPortProblem(text: string): 'range' | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^\d+$/.test(trimmed)) return 'range';
  const port = Number(trimmed);
  return port >= 1 && port <= 65535 ? undefined : 'range';
}
