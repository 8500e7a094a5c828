// The client side of port-forward over the WebSocket channel protocol: one WebSocket
// to `pods/NAME/portforward?ports=PORT` carries one connection to the pod's port as a
// byte stream. The engine uses it to forward a local port through its own gateway,
// so the same API path (authorization, audit, node agent) serves kubectl and the UI.
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { decodeChannelMessage, encodeChannelMessage, type ChannelProtocol } from './wsChannels';

const protocol: ChannelProtocol = { name: 'v4.channel.k8s.io', binary: true, closeSignal: false };

/** PortForwardClientOptions say where the API is and how to sign in to it. */
export interface PortForwardClientOptions {
  /** ws:// URL of the pod's portforward subresource, without the ports query. */
  url: string;
  port: number;
  headers?: Record<string, string>;
}

async function refusal(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: the status line says enough.
  }
  return `the API answered ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim();
}

/**
 * openPortForwardStream opens one connection to a port of a pod and resolves with it
 * as a Duplex once the WebSocket is up. What the pod sends comes out of the stream;
 * what is written goes to the pod. A failure on the pod's side (nothing listens on
 * the port) destroys the stream with the API server's sentence.
 */
export function openPortForwardStream(options: PortForwardClientOptions): Promise<Duplex> {
  const url = new URL(options.url);
  url.searchParams.set('ports', String(options.port));
  const ws = new WebSocket(url, [protocol.name], { headers: options.headers, perMessageDeflate: false });
  // The first message of each channel is its port number; it carries no data.
  const prefixed = [false, false];
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, done) {
      if (ws.readyState !== WebSocket.OPEN) return done(new Error('the forwarded connection is closed'));
      const { payload } = encodeChannelMessage(protocol, 0, chunk);
      ws.send(payload, { binary: true }, (err) => done(err ?? undefined));
    },
    // The v4 channel protocol cannot half-close, so the pod's answer is still read after the caller ends.
    final(done) {
      done();
    },
    read() {
      if (ws.isPaused) ws.resume();
    },
    destroy(err, done) {
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.terminate();
      done(err);
    },
  });
  ws.on('message', (data: RawData) => {
    const message = decodeChannelMessage(protocol, Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
    if (!message || message.kind !== 'data' || message.channel > 1) return;
    let bytes = message.data;
    if (!prefixed[message.channel]) {
      prefixed[message.channel] = true;
      bytes = bytes.subarray(2);
    }
    if (bytes.length === 0) return;
    if (message.channel === 1) {
      // Deferred, so that a caller who just received the stream is listening for errors.
      const error = new Error(bytes.toString('utf8'));
      setImmediate(() => stream.destroy(error));
      return;
    }
    if (!stream.push(bytes)) ws.pause();
  });
  ws.on('close', () => {
    if (!stream.destroyed) stream.push(null);
  });
  return new Promise((resolve, reject) => {
    let open = false;
    ws.on('error', (err) => {
      if (open) stream.destroy(err);
      else reject(err);
    });
    ws.once('open', () => {
      open = true;
      resolve(stream);
    });
    ws.once('unexpected-response', (_req, res) => {
      void refusal(res).then((text) => {
        reject(new Error(text));
        ws.terminate();
      });
    });
  });
}
