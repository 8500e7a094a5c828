// The cluster's HTTPS API server on 127.0.0.1: TLS with the cluster's serving
// certificate, client certificates (requested, verified against the cluster CA) and
// bearer tokens for authentication, then the shared API handler.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from '../../errors';
import type { Logger } from '../../log';
import { createLogger } from '../../log';
import type { Store } from '../../store/types';
import type { Authorizer } from '../auth/authorizer';
import { allowAllAuthorizer } from '../auth/authorizer';
import { staticTokenAuthenticator, unionTokenAuthenticator, type TokenAuthenticator } from '../auth/tokens';
import { systemMastersGroup, type UserInfo } from '../auth/user';
import type { Registry } from '../registry/registry';
import { bindingHandler } from '../rest/podSubresources';
import { RestApi } from '../rest/restApi';
import type { AdmissionPlugin } from '../admission/types';
import { serviceAllocation, type ServiceRanges } from '../admission/serviceAllocation';
import { limitRangeAdmission } from '../admission/limitRange';
import { resourceQuotaAdmission } from '../admission/resourceQuota';
import { defaultStorageClassAdmission } from '../admission/defaultStorageClass';
import { reviewHandlers } from '../reviews/reviewHandlers';
import { createApiHandler, isPublicPath, type ApiHandler, type AuditSink } from './apiHandler';
import { anonymousUser, createRequestAuthenticator } from './authentication';
import { adminUser, type ClusterPki } from './pki';
import type { ConnectHandler } from './resourceHandler';
import { writeError } from './responses';
import { handleUpgradeRequest, writeStatusToSocket, type UpgradeHandler } from './upgrade';
import type { Duplex } from 'node:stream';

/** ClusterApiOptions configure the API of one cluster, with or without its HTTPS server. */
export interface ClusterApiOptions {
  store: Store;
  /** Admission plugins besides service allocation, the default StorageClass, limit ranges and quotas, which every cluster has. */
  admission?: AdmissionPlugin[];
  /** The service CIDR and node port range (Kubernetes' defaults when absent). */
  serviceRanges?: ServiceRanges;
  registry: Registry;
  authorizer?: Authorizer;
  connect?: Partial<Record<string, ConnectHandler>>;
  /** Takes over upgraded connections for exec, attach and portforward. */
  upgrade?: UpgradeHandler;
  bookmarkIntervalMs?: number;
  now?: () => Date;
  log?: Logger;
  /** Told about every answered API request (the cluster's audit log). */
  audit?: AuditSink;
}

/** ClusterApi is the REST layer and the HTTP handler of one cluster. */
export interface ClusterApi extends ApiHandler {
  rest: RestApi;
  /** handleApiUpgrade serves an upgrade request (exec, attach, portforward) for an authenticated user. */
  handleApiUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): Promise<void>;
}

/** createClusterApi builds the REST layer and request handler without any server. */
export function createClusterApi(options: ClusterApiOptions): ClusterApi {
  const authorizer = options.authorizer ?? allowAllAuthorizer;
  const rest = new RestApi({
    // Limit ranges fill in defaults before quotas count them.
    // The default StorageClass too, since quotas count claims per class.
    admission: [serviceAllocation(options.serviceRanges), defaultStorageClassAdmission(), limitRangeAdmission(), resourceQuotaAdmission(), ...(options.admission ?? [])],
    store: options.store,
    registry: options.registry,
    authorizer,
    now: options.now,
    virtualHandlers: new Map([...reviewHandlers(authorizer), ['/Binding', bindingHandler]]),
  });
  const handler = createApiHandler({
    rest,
    authorizer,
    connect: options.connect,
    log: options.log,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    audit: options.audit,
  });
  return {
    rest,
    handleApiRequest: handler.handleApiRequest,
    handleApiUpgrade: (req, socket, head, user) => handleUpgradeRequest(rest, authorizer, options.upgrade, req, socket, head, user),
    closeWatches: handler.closeWatches,
    get openWatches() {
      return handler.openWatches;
    },
  };
}

/** ApiServerOptions add the listening address, the PKI and extra token authenticators. */
export interface ApiServerOptions extends ClusterApiOptions {
  pki: ClusterPki;
  /** Port to listen on; 0 or absent picks a free one. */
  port?: number;
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** More bearer tokens (service accounts, later); the admin token always works. */
  tokenAuthenticator?: TokenAuthenticator;
}

/** ApiServer is a running HTTPS API server. */
export interface ApiServer extends ClusterApi {
  port: number;
  host: string;
  /** https://127.0.0.1:PORT */
  url: string;
  /** close stops listening, ends watches and drops open connections. */
  close(): Promise<void>;
}

/** startApiServer starts the cluster's HTTPS API server. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? createLogger('apiserver');
  const api = createClusterApi({ ...options, log });
  const admin: UserInfo = { username: adminUser, groups: [systemMastersGroup] };
  const tokens = unionTokenAuthenticator([
    staticTokenAuthenticator(options.pki.adminToken, admin),
    ...(options.tokenAuthenticator ? [options.tokenAuthenticator] : []),
  ]);
  const authenticator = createRequestAuthenticator(tokens);
  const host = options.host ?? '127.0.0.1';

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        let user = await authenticator.authenticate(req);
        if (!user) {
          const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
          if (!isPublicPath(path)) throw new ApiError('Unauthorized', 'Unauthorized');
          user = anonymousUser;
        }
        await api.handleApiRequest(req, res, user);
      } catch (err) {
        writeError(res, err);
      }
    })();
  };

  const server: Server = createServer(
    {
      key: options.pki.serverKey,
      cert: options.pki.serverCert,
      ca: options.pki.caCert,
      requestCert: true,
      // Clients without a certificate may still use a bearer token; the handler checks.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    onRequest,
  );
  server.keepAliveTimeout = 60_000;
  // Upgrades are only taken over when someone serves them; otherwise the request
  // handler answers them like any request, with a Status.
  if (options.upgrade) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void (async () => {
        try {
          const user = await authenticator.authenticate(req);
          if (!user) throw new ApiError('Unauthorized', 'Unauthorized');
          await api.handleApiUpgrade(req, socket, head, user);
        } catch (err) {
          writeStatusToSocket(socket, err);
        }
      })();
    });
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (err) => log.debug('TLS handshake failed', { err }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('API server listening', { url });

  return {
    ...api,
    get openWatches() {
      return api.openWatches;
    },
    port,
    host,
    url,
    async close() {
      api.closeWatches();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
