// Accepting a WebSocket with a subprotocol chosen by the caller. The `ws` library only
// accepts RFC 7230 tokens as subprotocols, and `SPDY/3.1+portforward.k8s.io` is not one,
// so the offer is hidden from it and the answer header is added on the way out.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

const chosen = new WeakMap<IncomingMessage, string>();
let server: WebSocketServer | undefined;

function webSocketServer(): WebSocketServer {
  if (server) return server;
  server = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
  server.on('headers', (headers: string[], req: IncomingMessage) => {
    const protocol = chosen.get(req);
    if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
  });
  return server;
}

/**
 * acceptWebSocket completes the WebSocket handshake, answering with protocol as the
 * subprotocol (none when undefined), and hands over the open WebSocket.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string | undefined,
  onOpen: (ws: WebSocket) => void,
): void {
  delete req.headers['sec-websocket-protocol'];
  if (protocol) chosen.set(req, protocol);
  webSocketServer().handleUpgrade(req, socket, head, onOpen);
}
