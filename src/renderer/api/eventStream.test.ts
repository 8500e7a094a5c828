// Tests for the event socket's reconnect behaviour, with a fake socket and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus, GatewayEvent } from '../../shared/gateway';
import { EventStream, eventsUrl, parseGatewayEvent, reconnectDelay, type SocketLike } from './eventStream';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  send(event: GatewayEvent): void {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }
}

const status: EngineStatus = {
  version: '0.1.0',
  host: 'serve',
  dataDir: 'data',
  docker: { reachable: true, endpoint: '/var/run/docker.sock', version: '27.0.0', checkedAt: '2025-01-01T00:00:00Z' },
  clusters: [],
};

function setup() {
  const sockets: FakeSocket[] = [];
  const events: GatewayEvent[] = [];
  const drops = vi.fn();
  const stream = new EventStream({
    url: 'ws://127.0.0.1:1/api/app/events',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onEvent: (e) => events.push(e),
    onDrop: drops,
    delay: (failures) => failures * 1000,
    now: () => Date.now(),
  });
  return { stream, sockets, events, drops };
}

describe('EventStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers status events once the socket opens', () => {
    const { stream, sockets, events } = setup();
    stream.start();
    expect(stream.getState().phase).toBe('connecting');
    sockets[0].open();
    sockets[0].send({ type: 'status', status });
    expect(stream.getState().phase).toBe('open');
    expect(events).toEqual([{ type: 'status', status }]);
  });

  it('reports the drop and reconnects after a growing wait', () => {
    const { stream, sockets, drops } = setup();
    stream.start();
    sockets[0].open();
    sockets[0].drop();
    expect(drops).toHaveBeenCalledTimes(1);
    expect(stream.getState()).toMatchObject({ phase: 'retrying', failures: 1 });
    expect(stream.getState().retryAt).toBe(Date.now() + 1000);

    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(stream.getState().phase).toBe('retrying');

    sockets[1].drop();
    expect(stream.getState().failures).toBe(2);
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
  });

  it('is healthy again only after the engine speaks on a new connection', () => {
    const { stream, sockets } = setup();
    stream.start();
    sockets[0].drop();
    vi.advanceTimersByTime(1000);
    sockets[1].open();
    expect(stream.getState().failures).toBe(1);
    sockets[1].send({ type: 'status', status });
    expect(stream.getState()).toEqual({ phase: 'open', failures: 0 });
  });

  it('abandons an attempt that never opens', () => {
    const { stream, sockets } = setup();
    stream.start();
    vi.advanceTimersByTime(10_000);
    expect(sockets[0].closed).toBe(true);
    expect(stream.getState().phase).toBe('retrying');
  });

  it('retries at once on request and stops for good', () => {
    const { stream, sockets } = setup();
    stream.start();
    sockets[0].drop();
    stream.retryNow();
    expect(sockets).toHaveLength(2);
    stream.stop();
    expect(sockets[1].closed).toBe(true);
    expect(stream.getState().phase).toBe('stopped');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('notifies subscribers of state changes', () => {
    const { stream, sockets } = setup();
    const listener = vi.fn();
    const unsubscribe = stream.subscribe(listener);
    stream.start();
    sockets[0].open();
    expect(listener).toHaveBeenCalled();
    unsubscribe();
    listener.mockClear();
    sockets[0].drop();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('parseGatewayEvent', () => {
  it('accepts status and progress events and rejects anything else', () => {
    expect(parseGatewayEvent(JSON.stringify({ type: 'status', status }))).toEqual({ type: 'status', status });
    const progress = { type: 'progress', progress: { operation: 'create', step: 'network', state: 'running' } };
    expect(parseGatewayEvent(JSON.stringify(progress))).toEqual(progress);
    expect(parseGatewayEvent('not json')).toBeUndefined();
    expect(parseGatewayEvent(JSON.stringify({ type: 'status' }))).toBeUndefined();
    expect(parseGatewayEvent(JSON.stringify({ type: 'other' }))).toBeUndefined();
    expect(parseGatewayEvent(new ArrayBuffer(2))).toBeUndefined();
  });
});

describe('reconnectDelay and eventsUrl', () => {
  it('doubles from half a second up to a cap, with bounded jitter', () => {
    expect(reconnectDelay(1, () => 0.5)).toBe(500);
    expect(reconnectDelay(2, () => 0.5)).toBe(1000);
    expect(reconnectDelay(30, () => 0.5)).toBe(15_000);
    expect(reconnectDelay(1, () => 0)).toBe(400);
    expect(reconnectDelay(1, () => 1)).toBe(600);
  });

  it('uses the page origin with the matching WebSocket scheme', () => {
    expect(eventsUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/api/app/events');
    expect(eventsUrl({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api/app/events');
  });
});
