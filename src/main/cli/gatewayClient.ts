// How the CLI talks to a running engine: it reads DATA_DIR/gateway.json for the
// address and the per-launch secret, then calls the app API with a bearer token.
import WebSocket from 'ws';
import { appRoutes, type AppError, type GatewayEvent, type GatewayInfo } from '../../shared/gateway';
import { readGatewayInfo } from '../gateway/gatewayInfo';

/** EngineUnavailable means no engine answers for this data dir. */
export class EngineUnavailable extends Error {
  constructor(dataDir: string) {
    super(
      `Wheelhouse is not running for data dir ${dataDir}. Start it with \`npm start\` (desktop) or \`wheelhouse serve\` (browser mode).`,
    );
    this.name = 'EngineUnavailable';
  }
}

/** GatewayRequestError is an app API failure, carrying the engine's sentence and hint. */
export class GatewayRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

/** GatewayClient calls one running engine's app API. */
export class GatewayClient {
  constructor(readonly info: GatewayInfo) {}

  /** request sends a JSON request and returns the decoded JSON answer. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.info.url + path, {
      method,
      headers: {
        Authorization: `Bearer ${this.info.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let decoded: unknown = undefined;
    try {
      decoded = text ? JSON.parse(text) : undefined;
    } catch {
      decoded = undefined;
    }
    if (!res.ok) {
      const err = decoded as AppError | undefined;
      throw new GatewayRequestError(err?.error ?? `The engine answered ${res.status}.`, res.status, err?.hint);
    }
    return decoded as T;
  }

  /** events follows the app event socket until the returned function is called. */
  events(onEvent: (event: GatewayEvent) => void): Promise<() => void> {
    const ws = new WebSocket(this.info.url.replace(/^http/, 'ws') + appRoutes.events, {
      headers: { Authorization: `Bearer ${this.info.token}` },
    });
    ws.on('message', (data) => {
      try {
        onEvent(JSON.parse(String(data)) as GatewayEvent);
      } catch {
        // A frame we cannot read is not worth failing a command over.
      }
    });
    return new Promise((resolve) => {
      const close = () => ws.close();
      ws.once('open', () => resolve(close));
      ws.once('error', () => resolve(() => undefined));
    });
  }
}

/** connectGateway finds the engine for dataDir and checks that it answers. */
export async function connectGateway(dataDir: string): Promise<GatewayClient> {
  const info = readGatewayInfo(dataDir);
  if (!info) throw new EngineUnavailable(dataDir);
  try {
    const res = await fetch(info.url + appRoutes.health, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(String(res.status));
  } catch {
    throw new EngineUnavailable(dataDir);
  }
  return new GatewayClient(info);
}
