// People confined to one namespace: `wheelhouse user add NAME --namespace NS --role R`
// issues a client certificate (CN=NAME, signed by the cluster CA), binds the ClusterRole
// view, edit or admin to that user in the namespace only, and returns a kubeconfig
// whose context points at that namespace. Removing the user deletes the binding; the
// certificate then authenticates a user who may do no more than any authenticated
// user (discovery and asking what they may do).
import { stringify } from 'yaml';
import { validateDNS1123Label } from '../../shared/labels';
import type { ApiClient } from '../apiserver/client/apiClient';
import { isAlreadyExists, isNotFound } from '../apiserver/client/apiClient';
import type { ClusterPki } from '../apiserver/http/pki';
import { rbacGroup, type BindingObject } from '../apiserver/kinds/rbac';
import { ApiError } from '../errors';

/** namespaceRoles are the roles a namespace user can get. */
export const namespaceRoles = ['view', 'edit', 'admin'] as const;

/** NamespaceRole is view (read), edit (read and write, not RBAC) or admin (edit plus roles and bindings). */
export type NamespaceRole = (typeof namespaceRoles)[number];

/** NamespaceUserRequest is the body of POST /api/app/clusters/NAME/users. */
export interface NamespaceUserRequest {
  name: string;
  namespace: string;
  role: NamespaceRole;
}

/** NamespaceUser is what adding a user returns: the kubeconfig to hand over, and what was set up. */
export interface NamespaceUser {
  user: string;
  namespace: string;
  role: NamespaceRole;
  /** The RoleBinding that grants the role. */
  binding: string;
  /** The context name inside the kubeconfig. */
  context: string;
  /** True when the namespace did not exist and was created. */
  createdNamespace: boolean;
  kubeconfig: string;
}

const userNamePattern = /^[A-Za-z0-9]([A-Za-z0-9._@-]*[A-Za-z0-9])?$/;
const managedBy = { 'app.kubernetes.io/managed-by': 'wheelhouse' };

/** userNameProblem explains what is wrong with a user name, or returns undefined. */
export function userNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'A user needs a name.';
  if (name.length > 64) return `The user name "${name}" is too long: use at most 64 characters.`;
  if (name.startsWith('system:') || !userNamePattern.test(name)) {
    return `The user name "${name}" is not valid: use letters, digits, '.', '_', '@' and '-', starting and ending with a letter or digit.`;
  }
  return undefined;
}

/** bindingNameFor is the name of the RoleBinding that gives a user their role. */
export function bindingNameFor(user: string): string {
  return `wheelhouse-user-${user}`;
}

function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

/** parseNamespaceUserRequest checks a request body and returns it typed, or throws a BadRequest sentence. */
export function parseNamespaceUserRequest(body: unknown): NamespaceUserRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const nameProblem = userNameProblem(b.name);
  if (nameProblem) throw badRequest(nameProblem);
  if (typeof b.namespace !== 'string' || b.namespace === '')
    throw badRequest('Say which namespace the user may work in: {"namespace": "NS"}.');
  const nsProblems = validateDNS1123Label(b.namespace);
  if (nsProblems.length > 0) throw badRequest(`The namespace "${b.namespace}" is not valid: ${nsProblems[0]}.`);
  const role = b.role ?? 'edit';
  if (typeof role !== 'string' || !(namespaceRoles as readonly string[]).includes(role)) {
    throw badRequest(`The role "${String(role)}" is not one of ${namespaceRoles.join(', ')}.`);
  }
  return { name: b.name as string, namespace: b.namespace, role: role as NamespaceRole };
}

/** UserKubeconfigInput is what a namespace user's kubeconfig holds. */
export interface UserKubeconfigInput {
  cluster: string;
  server: string;
  caPem: string;
  user: string;
  namespace: string;
  certPem: string;
  keyPem: string;
}

/** renderUserKubeconfig renders a kubeconfig whose one context is USER@wheelhouse-CLUSTER in the user's namespace. */
export function renderUserKubeconfig(input: UserKubeconfigInput): { kubeconfig: string; context: string } {
  const cluster = `wheelhouse-${input.cluster}`;
  const context = `${input.user}@${cluster}`;
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } }],
    users: [
      { name: context, user: { 'client-certificate-data': b64(input.certPem), 'client-key-data': b64(input.keyPem) } },
    ],
    contexts: [{ name: context, context: { cluster, user: context, namespace: input.namespace } }],
    'current-context': context,
    preferences: {},
  });
  return { kubeconfig, context };
}

async function ensureNamespace(client: ApiClient, namespace: string): Promise<boolean> {
  const namespaces = client.resource('v1/namespaces');
  const existing = await namespaces.tryGet(undefined, namespace);
  if (existing) {
    if (existing.metadata.deletionTimestamp)
      throw badRequest(`The namespace "${namespace}" is being deleted; wait until it is gone or pick another one.`);
    return false;
  }
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

async function ensureBinding(client: ApiClient, request: NamespaceUserRequest): Promise<string> {
  const bindings = client.resource<BindingObject>(`${rbacGroup}/v1/rolebindings`);
  const name = bindingNameFor(request.name);
  const wanted: BindingObject = {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'RoleBinding',
    metadata: { name, namespace: request.namespace, labels: { ...managedBy } },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: request.role },
    subjects: [{ kind: 'User', apiGroup: rbacGroup, name: request.name }],
  };
  const existing = await bindings.tryGet(request.namespace, name);
  if (existing && existing.roleRef?.kind === 'ClusterRole' && existing.roleRef.name === request.role) {
    await bindings.update({ ...existing, subjects: wanted.subjects });
    return name;
  }
  // roleRef cannot change: a binding to another role is replaced.
  if (existing) await bindings.delete(request.namespace, name);
  await bindings.create(wanted);
  return name;
}

/**
 * addNamespaceUser confines a new (or existing) user to one namespace with a role and
 * returns a kubeconfig for them. cluster names the cluster and its API server URL.
 */
export async function addNamespaceUser(
  pki: ClusterPki,
  client: ApiClient,
  cluster: { name: string; server: string },
  body: unknown,
): Promise<NamespaceUser> {
  const request = parseNamespaceUserRequest(body);
  const createdNamespace = await ensureNamespace(client, request.namespace);
  const binding = await ensureBinding(client, request);
  const issued = await pki.issueClientCertificate(request.name, []);
  const { kubeconfig, context } = renderUserKubeconfig({
    cluster: cluster.name,
    server: cluster.server,
    caPem: pki.caCert,
    user: request.name,
    namespace: request.namespace,
    certPem: issued.cert,
    keyPem: issued.key,
  });
  return {
    user: request.name,
    namespace: request.namespace,
    role: request.role,
    binding,
    context,
    createdNamespace,
    kubeconfig,
  };
}

/** removeNamespaceUser deletes the RoleBinding that gives a user access to a namespace. */
export async function removeNamespaceUser(
  client: ApiClient,
  body: unknown,
): Promise<{ user: string; namespace: string; binding: string }> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const nameProblem = userNameProblem(b.name);
  if (nameProblem) throw badRequest(nameProblem);
  if (typeof b.namespace !== 'string' || b.namespace === '')
    throw badRequest('Say which namespace to remove the user from: {"namespace": "NS"}.');
  const user = b.name as string;
  const binding = bindingNameFor(user);
  try {
    await client.resource(`${rbacGroup}/v1/rolebindings`).delete(b.namespace, binding);
  } catch (err) {
    if (isNotFound(err))
      throw new ApiError('NotFound', `The user "${user}" has no access to the namespace "${b.namespace}".`);
    throw err;
  }
  return { user, namespace: b.namespace, binding };
}
