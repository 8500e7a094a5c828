// The app event socket (/api/app/events): one WebSocket per window that delivers
// GatewayEvents, reconnecting with capped exponential backoff after every drop and
// publishing its connection state so the UI can say honestly when it is offline.
import { appRoutes, type GatewayEvent } from '../../shared/gateway';

/** ConnectionPhase is where the event socket stands. */
export type ConnectionPhase = 'connecting' | 'open' | 'retrying' | 'stopped';

/** ConnectionState is what the UI shows about the link to the engine. */
export interface ConnectionState {
  /** 'connecting' only before the first connection; 'retrying' after any failure. */
  phase: ConnectionPhase;
  /** Failed attempts in a row. */
  failures: number;
  /** When the next attempt starts (epoch ms); absent while an attempt is under way. */
  retryAt?: number;
}

/** SocketLike is the part of the browser WebSocket the stream uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

/** EventStreamOptions configures an EventStream. */
export interface EventStreamOptions {
  url: string;
  /** onEvent receives every well-formed event. */
  onEvent: (event: GatewayEvent) => void;
  /** onDrop runs when a connection closes or fails, before the retry is scheduled. */
  onDrop?: () => void;
  createSocket?: (url: string) => SocketLike;
  /** delay gives the wait before retry number `failures` (1, 2, ...). */
  delay?: (failures: number) => number;
  /** An attempt that has not opened after this long is abandoned and retried. */
  connectTimeoutMs?: number;
  now?: () => number;
}

/** reconnectDelay waits 0.5 s, 1 s, 2 s, ... up to 15 s, with ±20% jitter so many windows spread out. */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** eventsUrl is the WebSocket URL of the event socket on the page's own origin. */
export function eventsUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${appRoutes.events}`;
}

/** parseGatewayEvent decodes one socket message, or returns undefined for anything malformed. */
export function parseGatewayEvent(data: unknown): GatewayEvent | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as { type?: unknown; status?: unknown; progress?: unknown };
  if (event.type === 'status' && isRecord(event.status) && isRecord((event.status as { docker?: unknown }).docker)) {
    return value as GatewayEvent;
  }
  if (event.type === 'progress' && isRecord(event.progress)) return value as GatewayEvent;
  return undefined;
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** EventStream keeps one event socket open until stop() is called. */
export class EventStream {
  private socket?: SocketLike;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private connectTimer?: ReturnType<typeof setTimeout>;
  private state: ConnectionState = { phase: 'connecting', failures: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: EventStreamOptions) {}

  /** getState returns the current connection state (a stable object between changes). */
  getState = (): ConnectionState => this.state;

  /** subscribe calls listener on every state change until the returned function is called. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** start opens the connection; it does nothing while the stream is already running. */
  start(): void {
    if (this.socket || this.retryTimer) return;
    this.state = { phase: 'connecting', failures: 0 };
    this.connect();
  }

  /** stop closes the socket for good and cancels any retry. */
  stop(): void {
    this.clearTimers();
    this.detach()?.close();
    this.setState({ phase: 'stopped', failures: this.state.failures });
  }

  /** retryNow skips the wait before the next attempt. */
  retryNow(): void {
    if (this.state.phase !== 'retrying' || this.socket) return;
    this.clearTimers();
    this.connect();
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    this.setState({
      phase: this.state.phase === 'retrying' ? 'retrying' : 'connecting',
      failures: this.state.failures,
    });
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.dropped();
      return;
    }
    this.socket = socket;
    let opened = false;
    this.connectTimer = setTimeout(() => {
      if (!opened) this.dropped();
    }, this.options.connectTimeoutMs ?? 10_000);
    socket.onopen = () => {
      opened = true;
      clearTimeout(this.connectTimer);
      this.setState({ phase: 'open', failures: this.state.failures });
    };
    socket.onmessage = (message) => {
      const event = parseGatewayEvent(message.data);
      if (!event) return;
      // Count a connection as healthy only once the engine has spoken; a socket
      // that opens and closes at once must keep backing off.
      if (this.state.failures !== 0) this.setState({ phase: 'open', failures: 0 });
      this.options.onEvent(event);
    };
    socket.onclose = () => this.dropped();
    socket.onerror = () => {
      // A close event always follows an error; the retry is scheduled there.
    };
  }

  private dropped(): void {
    this.clearTimers();
    this.detach()?.close();
    if (this.state.phase === 'stopped') return;
    const failures = this.state.failures + 1;
    const wait = (this.options.delay ?? reconnectDelay)(failures);
    const now = (this.options.now ?? Date.now)();
    this.setState({ phase: 'retrying', failures, retryAt: now + wait });
    this.options.onDrop?.();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.setState({ phase: 'retrying', failures: this.state.failures });
      this.connect();
    }, wait);
  }

  private detach(): SocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    }
    return socket;
  }

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.connectTimer);
    this.retryTimer = undefined;
    this.connectTimer = undefined;
  }

  private setState(next: ConnectionState): void {
    const prev = this.state;
    if (prev.phase === next.phase && prev.failures === next.failures && prev.retryAt === next.retryAt) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
