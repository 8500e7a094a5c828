// Everything one cluster needs for security, put together in one call so the cluster
// runtime wires it in a few lines: the encrypting store (Secrets encrypted at rest with
// the key file secrets.key), the RBAC authorizer and its escalation check, service
// account tokens (signing key pki/sa.key, the authenticator, the TokenRequest handler
// and the in-process requester the node agents use), ServiceAccount admission of
// pods, the audit log (audit.log), and the engine-side actions behind the app API:
// adding namespace users, rotating the encryption key and reading the audit log.
import { join } from 'node:path';
import type { AdmissionPlugin } from '../apiserver/admission/types';
import {
  loadServiceAccountKey,
  serviceAccountTokenAuthenticator,
  ServiceAccountTokenIssuer,
  storeObjectLookup,
  tokenRequestHandler,
  tokenRequester,
  type TokenRequester,
} from '../apiserver/auth/serviceAccountTokens';
import { serviceAccountAdmission } from '../apiserver/admission/serviceAccount';
import type { TokenAuthenticator } from '../apiserver/auth/tokens';
import type { ApiClient } from '../apiserver/client/apiClient';
import type { AuditSink } from '../apiserver/http/apiHandler';
import type { ClusterPki } from '../apiserver/http/pki';
import type { ConnectHandler } from '../apiserver/http/resourceHandler';
import { bootstrapRbac, createRbacAuthorizer, rbacEscalationCheck, type RbacAuthorizer } from '../apiserver/rbac';
import type { Logger } from '../log';
import type { Store } from '../store/types';
import {
  createAuditLog,
  readAuditLog,
  type AuditEntry,
  type AuditLog,
  type AuditLogOptions,
  type AuditQuery,
} from './audit';
import type { EncryptedStore } from './encryptedStore';
import { keyFileName, type KeyProtection } from './keyring';
import { openEncryptedStore, rotateKey, type RotationResult } from './keyRotation';
import { addNamespaceUser, removeNamespaceUser, type NamespaceUser } from './users';

/** ClusterSecurityOptions say where a cluster's files are and how its keys are protected. */
export interface ClusterSecurityOptions {
  /** The cluster's folder, DATA_DIR/clusters/NAME (secrets.key and audit.log live here). */
  dir: string;
  /** The cluster's pki folder (sa.key lives here). */
  pkiDir: string;
  /** The cluster's store as opened (the raw SQLite store). */
  store: Store;
  /** The OS keychain hook from the desktop shell; headless engines leave it out. */
  protection?: KeyProtection;
  audit?: AuditLogOptions;
  log?: Logger;
}

/** ClusterSecurity is what the runtime hands to startApiServer, plus the actions of the app API. */
export interface ClusterSecurity {
  /** The store to give the API server and everything else: Secrets are encrypted in it. */
  store: EncryptedStore;
  authorizer: RbacAuthorizer;
  /** Admission plugins: the RBAC escalation check and ServiceAccount admission of pods. */
  admission: AdmissionPlugin[];
  /** Service account tokens. */
  tokenAuthenticator: TokenAuthenticator;
  tokenIssuer: ServiceAccountTokenIssuer;
  /** Asks for service account tokens in-process (the node agents' projected token volumes). */
  requestToken: TokenRequester;
  /** Connect handlers to add to the API server's: serviceaccounts/token. */
  connect: { token: ConnectHandler };
  /** The audit sink for the API handler. */
  audit: AuditSink;
  auditLog: AuditLog;
  /** bootstrap creates the default roles and bindings (idempotent; run after the API server starts). */
  bootstrap(client: ApiClient): Promise<void>;
  /** addUser serves POST /api/app/clusters/NAME/users. */
  addUser(
    pki: ClusterPki,
    client: ApiClient,
    cluster: { name: string; server: string },
    body: unknown,
  ): Promise<NamespaceUser>;
  /** removeUser serves DELETE /api/app/clusters/NAME/users/USER?namespace=NS. */
  removeUser(client: ApiClient, body: unknown): Promise<{ user: string; namespace: string; binding: string }>;
  /** rotateKey serves POST /api/app/clusters/NAME/rotate-key. */
  rotateKey(): Promise<RotationResult>;
  /** readAudit serves GET /api/app/clusters/NAME/audit. */
  readAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  /** close stops the RBAC watch and flushes the audit log; the store is closed by its owner. */
  close(): void;
}

/** openClusterSecurity opens the key file, the signing key and the audit log of one cluster. */
export async function openClusterSecurity(options: ClusterSecurityOptions): Promise<ClusterSecurity> {
  const store = await openEncryptedStore(options.store, join(options.dir, keyFileName), {
    protection: options.protection,
  });
  const authorizer = createRbacAuthorizer(store, { log: options.log?.child('rbac') });
  const tokenIssuer = new ServiceAccountTokenIssuer(await loadServiceAccountKey(options.pkiDir));
  const lookup = storeObjectLookup(store);
  const auditLog = createAuditLog(options.dir, options.audit);
  return {
    store,
    authorizer,
    admission: [rbacEscalationCheck(authorizer), serviceAccountAdmission()],
    tokenAuthenticator: serviceAccountTokenAuthenticator(tokenIssuer, lookup),
    tokenIssuer,
    requestToken: tokenRequester(tokenIssuer, lookup),
    connect: { token: tokenRequestHandler(tokenIssuer, lookup) },
    audit: (record) => auditLog.record(record),
    auditLog,
    bootstrap: (client) => bootstrapRbac(client),
    addUser: (pki, client, cluster, body) => addNamespaceUser(pki, client, cluster, body),
    removeUser: (client, body) => removeNamespaceUser(client, body),
    rotateKey: () => rotateKey(store, store.keyring),
    readAudit: (query) => readAuditLog(options.dir, query),
    close() {
      authorizer.stop();
      auditLog.close();
    },
  };
}
