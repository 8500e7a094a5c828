// The gateway: the engine's one front door on 127.0.0.1. It serves the renderer, the
// app API (/api/app/...), the app event socket and each cluster's Kubernetes API
// (/clusters/NAME/...), after checking Host, Origin and a credential on every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { appRoutes, type CreateClusterRequest, type ImportRemoteRequest, type KubeconfigSource } from '../../shared/gateway';
import { ApiError } from '../errors';
import { handleExecUpgrade, writeStatusResponse } from '../streaming';
import type { Logger } from '../log';
import type { ClusterAction, GatewayBackend } from './backend';
import { readJsonBody, sendError, sendJson, sendThrown } from './http';
import { gatewayAccess, PortForwards } from './portForwards';
import { GatewayAuth } from './security';
import { sendPage, serveStatic } from './staticFiles';
import { coalesceWrites, isWatchRequest } from './watchCoalescing';

/** GatewayOptions configures where the gateway listens and what it serves. */
export interface GatewayOptions {
  backend: GatewayBackend;
  rendererDir: string;
  /** 0 or absent picks a free port. */
  port?: number;
  log: Logger;
}

const clusterActions: ClusterAction[] = ['start', 'stop', 'snapshot', 'restore', 'kubeconfig', 'images'];

/** Gateway is the running HTTP + WebSocket server. */
export class Gateway {
  readonly auth = new GatewayAuth();
  private server?: Server;
  private readonly events = new WebSocketServer({ noServer: true });

  /** forwards are the port-forwards the UI started; they reach pods through this gateway. */
  readonly forwards: PortForwards;

  constructor(private readonly options: GatewayOptions) {
    this.forwards = new PortForwards(
      gatewayAccess(
        () => this.url,
        () => this.auth.secret,
      ),
      options.log.child('port-forwards'),
    );
  }

  /** port is the port the gateway listens on (after start). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** url is the gateway origin, e.g. http://127.0.0.1:PORT. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** loginUrl issues a one-time token and returns the URL a browser can open once. */
  loginUrl(): string {
    return `${this.url}/?token=${this.auth.issueLoginToken()}`;
  }

  /** start listens on 127.0.0.1 only. */
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.auth.setPort(this.port);
  }

  /** stop closes the listener and every open connection. */
  async stop(): Promise<void> {
    await this.forwards.stopAll();
    for (const client of this.events.clients) client.terminate();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = this.auth.refuseReason(req);
    if (refused) {
      sendError(res, 403, refused);
      return;
    }
    const url = new URL(req.url ?? '/', this.url);
    try {
      if (url.pathname === appRoutes.health) {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      const token = url.searchParams.get('token');
      if (token !== null && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
        this.redeem(token, res);
        return;
      }
      if (!this.auth.isAuthenticated(req)) {
        this.unauthenticated(url.pathname, res);
        return;
      }
      if (url.pathname.startsWith('/api/app/')) {
        await this.appApi(req, res, url);
        return;
      }
      const cluster = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
      if (cluster) {
        this.kubeApi(decodeURIComponent(cluster[1]), req, res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendError(res, 405, `${req.method} is not allowed here.`);
        return;
      }
      if (!serveStatic(this.options.rendererDir, url.pathname, this.port, res)) {
        sendPage(res, 503, this.port, 'The Wheelhouse UI is not built', 'Run <code>npm run build</code>, then reload this page.');
      }
    } catch (err) {
      // A person's mistake (4xx) is answered, not logged as an engine problem.
      const logAs = err instanceof ApiError && err.code < 500 ? 'debug' : 'warn';
      this.options.log[logAs]('request failed', { method: req.method, path: url.pathname, error: err });
      if (!res.headersSent) sendThrown(res, err);
      else res.destroy();
    }
  }

  private redeem(token: string, res: ServerResponse): void {
    const session = this.auth.redeemLoginToken(token);
    if (!session) {
      sendPage(
        res,
        401,
        this.port,
        'This sign-in link has expired',
        'Each link works once. Run <code>wheelhouse open</code> to get a new one.',
      );
      return;
    }
    // Drop the token from the address bar; the cookie carries the session from here.
    res.writeHead(302, { Location: '/', 'Set-Cookie': this.auth.sessionCookie(session), 'Cache-Control': 'no-store' });
    res.end();
  }

  private unauthenticated(path: string, res: ServerResponse): void {
    if (path.startsWith('/api/') || path.startsWith('/clusters/')) {
      sendError(res, 401, 'Authentication required.', 'Open the link that `wheelhouse open --print` prints.');
      return;
    }
    sendPage(
      res,
      401,
      this.port,
      'Sign in to Wheelhouse',
      'Open the link that <code>wheelhouse serve</code> printed, or run <code>wheelhouse open</code>.',
    );
  }

  private async appApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { backend } = this.options;
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === appRoutes.status && method === 'GET') return sendJson(res, 200, await backend.status());
    if (path === appRoutes.loginUrl && method === 'POST') return sendJson(res, 200, { url: this.loginUrl() });
    if (path === appRoutes.clusters && method === 'GET') return sendJson(res, 200, await backend.listClusters());
    if (path === appRoutes.clusters && method === 'POST') {
      const request = await readJsonBody<CreateClusterRequest>(req);
      return sendJson(res, 201, await backend.createCluster(request));
    }
    if (path.startsWith('/api/app/remote/')) return this.remoteApi(req, res, path, method);
    if (path === appRoutes.portForwards && method === 'GET') return sendJson(res, 200, this.forwards.list());
    if (path === appRoutes.portForwards && method === 'POST') return sendJson(res, 201, await this.forwards.start(await readJsonBody(req)));
    const forward = /^\/api\/app\/port-forwards\/([^/]+)$/.exec(path);
    if (forward && method === 'DELETE') {
      await this.forwards.stop(decodeURIComponent(forward[1]));
      return sendJson(res, 200, { stopped: decodeURIComponent(forward[1]) });
    }
    const security = /^\/api\/app\/clusters\/([^/]+)\/(users|rotate-key|audit)(?:\/([^/]+))?$/.exec(path);
    if (security) {
      const name = decodeURIComponent(security[1]);
      const [what, user] = [security[2], security[3] === undefined ? undefined : decodeURIComponent(security[3])];
      if (what === 'users' && method === 'POST' && !user) return sendJson(res, 200, await backend.security(name, 'addUser', await readJsonBody(req)));
      if (what === 'users' && method === 'DELETE' && user) {
        return sendJson(res, 200, await backend.security(name, 'removeUser', { name: user, namespace: url.searchParams.get('namespace') ?? '' }));
      }
      if (what === 'rotate-key' && method === 'POST') return sendJson(res, 200, await backend.security(name, 'rotateKey', {}));
      if (what === 'audit' && method === 'GET') {
        const query = Object.fromEntries([...url.searchParams].map(([k, v]) => [k, k === 'limit' ? Number(v) : v]));
        return sendJson(res, 200, await backend.security(name, 'audit', query));
      }
    }
    const nodes = /^\/api\/app\/clusters\/([^/]+)\/nodes(?:\/([^/]+))?$/.exec(path);
    if (nodes) {
      const name = decodeURIComponent(nodes[1]);
      const node = nodes[2] === undefined ? undefined : decodeURIComponent(nodes[2]);
      if (method === 'POST' && node === undefined) return sendJson(res, 201, await backend.addNode(name));
      if (method === 'DELETE') return sendJson(res, 200, await backend.removeNode(name, node));
    }
    const match = /^\/api\/app\/clusters\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
    if (match) {
      const name = decodeURIComponent(match[1]);
      const action = match[2] as ClusterAction | undefined;
      if (action === undefined && method === 'DELETE') {
        await backend.deleteCluster(name);
        return sendJson(res, 200, { deleted: name });
      }
      if (action === undefined && method === 'GET') {
        const found = (await backend.listClusters()).find((c) => c.name === name);
        if (!found) throw new ApiError('NotFound', `There is no cluster named "${name}".`);
        return sendJson(res, 200, found);
      }
      if (action && clusterActions.includes(action) && (method === 'POST' || (action === 'kubeconfig' && method === 'GET'))) {
        const body = method === 'POST' ? await readJsonBody<Record<string, unknown>>(req) : {};
        return sendJson(res, 200, await backend.clusterAction(name, action, body));
      }
    }
    sendError(res, 404, `There is no app API at ${method} ${path}.`);
  }

  // Remote clusters: list a kubeconfig's contexts, import some, forget one.
  private async remoteApi(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    const remote = this.options.backend.remote;
    if (!remote) return sendError(res, 404, 'This engine cannot import remote clusters.');
    if (path === appRoutes.remoteContexts && method === 'POST') return sendJson(res, 200, await remote.contexts(await readJsonBody<KubeconfigSource>(req)));
    if (path === appRoutes.remoteImport && method === 'POST') return sendJson(res, 201, await remote.import(await readJsonBody<ImportRemoteRequest>(req)));
    const forget = /^\/api\/app\/remote\/clusters\/([^/]+)$/.exec(path);
    if (forget && method === 'DELETE') {
      const name = decodeURIComponent(forget[1]);
      await remote.forget(name);
      return sendJson(res, 200, { forgotten: name });
    }
    sendError(res, 404, `There is no app API at ${method} ${path}.`);
  }

  private kubeApi(name: string, req: IncomingMessage, res: ServerResponse): void {
    const proxy = this.options.backend.kubeApi(name);
    if (!proxy) {
      sendError(res, 503, `Cluster "${name}" is not running.`, `Start it with \`wheelhouse cluster start ${name}\`.`);
      return;
    }
    req.url = stripClusterPrefix(req.url ?? '/');
    if (isWatchRequest(req.url)) coalesceWrites(res);
    proxy.handle(req, res);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.auth.refuseReason(req)) return reject(403, 'Forbidden');
    if (!this.auth.isAuthenticated(req)) return reject(401, 'Unauthorized');
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === appRoutes.events) {
      this.events.handleUpgrade(req, socket, head, (ws) => {
        const unsubscribe = this.options.backend.subscribe((event) => ws.send(JSON.stringify(event)));
        ws.on('close', unsubscribe);
        ws.on('error', unsubscribe);
        void this.options.backend.status().then((status) => ws.send(JSON.stringify({ type: 'status', status })));
      });
      return;
    }
    const nodeShell = /^\/api\/app\/clusters\/([^/]+)\/nodes\/([^/]+)\/shell$/.exec(url.pathname);
    if (nodeShell) {
      this.nodeShell(decodeURIComponent(nodeShell[1]), decodeURIComponent(nodeShell[2]), req, socket, head);
      return;
    }
    const cluster = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const proxy = cluster ? this.options.backend.kubeApi(decodeURIComponent(cluster[1])) : undefined;
    if (proxy?.upgrade) {
      req.url = stripClusterPrefix(req.url ?? '/');
      proxy.upgrade(req, socket, head);
      return;
    }
    reject(404, 'Not Found');
  }

  // A node terminal: the same exec channel protocol as a pod's, run in the node container.
  private nodeShell(name: string, node: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const find = this.options.backend.nodeShell;
    if (!find) return writeStatusResponse(socket, new ApiError('NotFound', 'This engine cannot open node shells.'));
    find
      .call(this.options.backend, name, node)
      .then((backend) => handleExecUpgrade(req, socket, head, { backend, logger: this.options.log.child('node-shell') }))
      .catch((err: unknown) => writeStatusResponse(socket, err));
  }
}

/** stripClusterPrefix turns /clusters/NAME/api/v1/pods?x into /api/v1/pods?x. */
export function stripClusterPrefix(url: string): string {
  const rest = url.replace(/^\/clusters\/[^/?]+/, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}
