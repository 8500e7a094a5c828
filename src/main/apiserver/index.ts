// The Kubernetes API server of a local cluster, built like kube-apiserver: a registry
// of kinds (registry/, kinds/), generic REST operations over the store (rest/, patch/,
// schema/), server-side printing (table/), discovery and OpenAPI (discovery/, openapi/),
// the HTTPS front with authentication and authorization (http/, auth/, protobuf/ for the
// bodies newer kubectl sends), access reviews (reviews/), and an in-process client for
// the engine (client/). testing/ holds an in-memory store and small kinds for tests.
export { startApiServer, createClusterApi } from './http/apiServer';
export type { ApiServer, ApiServerOptions, ClusterApi, ClusterApiOptions } from './http/apiServer';
export { createClusterPki, adminUser } from './http/pki';
export type { ClusterPki, ClusterPkiOptions } from './http/pki';
export type { ConnectHandler, ConnectRequest } from './http/resourceHandler';
export type { UpgradeHandler, UpgradeRequest } from './http/upgrade';
export { ApiClient, ResourceClient, isAlreadyExists, isConflict, isNotFound } from './client/apiClient';
export type { ResourceRef, ClientListOptions, ClientWatchOptions } from './client/apiClient';
export { RestApi } from './rest/restApi';
export type { RestApiOptions } from './rest/restApi';
export type {
  Caller,
  DeleteOptions,
  DeleteResult,
  FieldValidation,
  ListOptions,
  PatchOptions,
  PatchType,
  WatchHandle,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from './rest/types';
export { buildRegistry } from './registry/buildRegistry';
export { Registry, apiVersionOf, storageKey, storagePrefix } from './registry/registry';
export { allowAllAuthorizer } from './auth/authorizer';
export type { Authorizer, AuthorizationAttributes, Decision, RulesResult } from './auth/authorizer';
export { staticTokenAuthenticator, unionTokenAuthenticator } from './auth/tokens';
export type { TokenAuthenticator } from './auth/tokens';
export { engineUser, systemMastersGroup } from './auth/user';
export type { UserInfo } from './auth/user';
export { kubernetesGitVersion } from './discovery/version';
