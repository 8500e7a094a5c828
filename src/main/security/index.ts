// Security of a local cluster beyond the API server's own checks: Secrets encrypted at
// rest (keyring.ts, encryptedStore.ts, keyRotation.ts), the audit log (audit.ts),
// namespace users with their own certificates (users.ts), and openClusterSecurity
// (clusterSecurity.ts), which puts these together with RBAC and service account tokens
// for one cluster.
export {
  createAuditLog,
  readAuditLog,
  auditFileName,
  type AuditEntry,
  type AuditLog,
  type AuditLogOptions,
  type AuditQuery,
} from './audit';
export { openClusterSecurity, type ClusterSecurity, type ClusterSecurityOptions } from './clusterSecurity';
export {
  DecryptionError,
  decryptValue,
  encryptValue,
  encryptedPrefixes,
  encryptedStore,
  envelopeKeyId,
  envelopePrefix,
  isEncryptedStore,
  type EncryptedStore,
  type EncryptedStoreOptions,
} from './encryptedStore';
export { KeyFileError, Keyring, keyFileName, type DataKey, type KeyProtection } from './keyring';
export {
  openEncryptedStore,
  reencryptSecrets,
  rotateKey,
  verifyKeyring,
  type OpenEncryptedStoreOptions,
  type RotationResult,
} from './keyRotation';
export {
  addNamespaceUser,
  bindingNameFor,
  namespaceRoles,
  parseNamespaceUserRequest,
  removeNamespaceUser,
  renderUserKubeconfig,
  userNameProblem,
  type NamespaceRole,
  type NamespaceUser,
  type NamespaceUserRequest,
} from './users';
