// Reading kubeconfig files for remote clusters: the contexts a file offers, and one
// context resolved into the server address and credentials the gateway connects with.
// Files the kubeconfig points at (CA, client certificate and key, token file) are read
// relative to the kubeconfig's folder, as kubectl does, and copied in at import time.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { clusterNameIssue, maxClusterNameLength } from '../../shared/clusterName';
import type { KubeconfigContextInfo } from '../../shared/gateway';
import { ApiError } from '../errors';

/** RemoteCredentials are what the gateway needs to reach a remote API server as the context's user. */
export interface RemoteCredentials {
  /** https://HOST:PORT[/PATH] (or http://) of the API server. */
  server: string;
  /** PEM of the CA that signed the server's certificate; the system CAs are used when absent. */
  caPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** The name to check the server certificate against, when it differs from the host. */
  tlsServerName?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  username?: string;
  password?: string;
}

/** ResolvedContext is one context with its credentials read in. */
export interface ResolvedContext {
  context: string;
  cluster: string;
  user: string;
  namespace?: string;
  credentials: RemoteCredentials;
}

type Fields = Record<string, unknown>;

/** Kubeconfig is a parsed kubeconfig: its named clusters, users and contexts. */
export interface Kubeconfig {
  clusters: Map<string, Fields>;
  users: Map<string, Fields>;
  contexts: Map<string, Fields>;
  currentContext?: string;
  /** Relative file paths in the kubeconfig are read from this folder. */
  baseDir: string;
}

/** ReadFile reads a file the kubeconfig names; tests pass their own. */
export type ReadFile = (path: string) => Buffer;

function bad(message: string, hint?: string): ApiError {
  return new ApiError('BadRequest', message, undefined, hint ? { hint } : undefined);
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namedEntries(doc: Fields, list: string, field: string): Map<string, Fields> {
  const entries = new Map<string, Fields>();
  const items = doc[list];
  if (items === undefined || items === null) return entries;
  if (!Array.isArray(items)) throw bad(`The kubeconfig's "${list}" is not a list.`);
  for (const item of items) {
    if (!isFields(item) || typeof item.name !== 'string') throw bad(`An entry of the kubeconfig's "${list}" has no name.`);
    entries.set(item.name, isFields(item[field]) ? item[field] : {});
  }
  return entries;
}

/** parseKubeconfig reads kubeconfig YAML; a text that is not a kubeconfig throws one sentence. */
export function parseKubeconfig(text: string, baseDir: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad(`The kubeconfig is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isFields(doc)) throw bad('The text is not a kubeconfig: it has no clusters, users or contexts.');
  if (doc.kind !== undefined && doc.kind !== 'Config') throw bad(`The text is a ${String(doc.kind)}, not a kubeconfig (kind: Config).`);
  const config: Kubeconfig = {
    clusters: namedEntries(doc, 'clusters', 'cluster'),
    users: namedEntries(doc, 'users', 'user'),
    contexts: namedEntries(doc, 'contexts', 'context'),
    currentContext: typeof doc['current-context'] === 'string' && doc['current-context'] !== '' ? doc['current-context'] : undefined,
    baseDir,
  };
  if (config.contexts.size === 0) throw bad('The kubeconfig has no contexts to import.');
  return config;
}

/** readKubeconfigFile reads and parses a kubeconfig file, saying plainly when it cannot. */
export function readKubeconfigFile(file: string, baseDir: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('NotFound', `There is no kubeconfig file at ${file}.`, undefined, { hint: 'Paste the kubeconfig instead, or name another file.' });
    throw bad(`The kubeconfig file ${file} cannot be read: ${(err as Error).message}`);
  }
  return parseKubeconfig(text, baseDir);
}

const str = (fields: Fields, key: string): string | undefined => {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * unsupportedAuth names why the context's user cannot be imported (an exec credential
 * plugin or an auth provider), or undefined when Wheelhouse can use it.
 */
function unsupportedAuth(context: string, user: Fields): string | undefined {
  const exec = user.exec;
  if (isFields(exec)) {
    const command = typeof exec.command === 'string' ? ` "${exec.command}"` : '';
    return `Context "${context}" gets its credentials from the exec plugin${command}, which Wheelhouse cannot run; import a context that uses a certificate, a token or a password.`;
  }
  const provider = user['auth-provider'];
  if (isFields(provider)) {
    const name = typeof provider.name === 'string' ? ` "${provider.name}"` : '';
    return `Context "${context}" gets its credentials from the auth provider${name}, which Wheelhouse does not support; import a context that uses a certificate, a token or a password.`;
  }
  return undefined;
}

/** contextProblem says why a context cannot be imported, or returns undefined. */
function contextProblem(config: Kubeconfig, name: string): string | undefined {
  const context = config.contexts.get(name)!;
  const clusterName = str(context, 'cluster');
  const cluster = clusterName === undefined ? undefined : config.clusters.get(clusterName);
  if (!cluster) return `Context "${name}" names cluster "${clusterName ?? ''}", which the kubeconfig does not define.`;
  if (!str(cluster, 'server')) return `Cluster "${clusterName}" of context "${name}" has no server address.`;
  const userName = str(context, 'user');
  const user = userName === undefined ? {} : config.users.get(userName);
  if (!user) return `Context "${name}" names user "${userName}", which the kubeconfig does not define.`;
  return unsupportedAuth(name, user);
}

/** listContexts lists every context of a kubeconfig, each with the reason it cannot be imported, if any. */
export function listContexts(config: Kubeconfig): KubeconfigContextInfo[] {
  return [...config.contexts].map(([name, context]) => {
    const clusterName = str(context, 'cluster') ?? '';
    const problem = contextProblem(config, name);
    const namespace = str(context, 'namespace');
    const server = str(config.clusters.get(clusterName) ?? {}, 'server');
    return {
      name,
      cluster: clusterName,
      user: str(context, 'user') ?? '',
      ...(namespace ? { namespace } : {}),
      ...(server ? { server } : {}),
      current: name === config.currentContext,
      suggestedName: suggestClusterName(name),
      ...(problem ? { problem } : {}),
    };
  });
}

/** suggestClusterName turns a context name into a valid Wheelhouse cluster name. */
export function suggestClusterName(context: string): string {
  const cleaned = context
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, maxClusterNameLength)
    .replace(/^-+|-+$/g, '');
  return clusterNameIssue(cleaned) ? 'remote' : cleaned;
}

function pemFrom(fields: Fields, dataKey: string, fileKey: string, what: string, config: Kubeconfig, readFile: ReadFile): string | undefined {
  const data = str(fields, dataKey);
  if (data) {
    const text = Buffer.from(data, 'base64').toString('utf8');
    if (!text.includes('-----BEGIN')) throw bad(`The ${what} in ${dataKey} is not base64-encoded PEM.`);
    return text;
  }
  const file = str(fields, fileKey);
  return file === undefined ? undefined : readReferenced(file, what, config, readFile).toString('utf8');
}

function readReferenced(file: string, what: string, config: Kubeconfig, readFile: ReadFile): Buffer {
  const path = isAbsolute(file) ? file : join(config.baseDir, file);
  try {
    return readFile(path);
  } catch (err) {
    throw bad(`The ${what} file ${path} cannot be read: ${(err as Error).message}`, 'Paths in a pasted kubeconfig are read on the machine Wheelhouse runs on.');
  }
}

/** resolveContext reads one context's server and credentials; a context Wheelhouse cannot use throws its reason. */
export function resolveContext(config: Kubeconfig, name: string, readFile: ReadFile = readFileSync): ResolvedContext {
  const context = config.contexts.get(name);
  if (!context) {
    throw new ApiError('NotFound', `The kubeconfig has no context named "${name}".`, undefined, {
      hint: `Its contexts are: ${[...config.contexts.keys()].join(', ')}.`,
    });
  }
  const problem = contextProblem(config, name);
  if (problem) throw bad(problem);
  const clusterName = str(context, 'cluster')!;
  const cluster = config.clusters.get(clusterName)!;
  const userName = str(context, 'user') ?? '';
  const user = config.users.get(userName) ?? {};
  const server = str(cluster, 'server')!;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw bad(`The server address "${server}" of cluster "${clusterName}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`The server address "${server}" of cluster "${clusterName}" must start with https://.`);
  const credentials: RemoteCredentials = { server: server.replace(/\/+$/, '') };
  const ca = pemFrom(cluster, 'certificate-authority-data', 'certificate-authority', 'certificate authority', config, readFile);
  if (ca) credentials.caPem = ca;
  if (cluster['insecure-skip-tls-verify'] === true) credentials.insecureSkipTlsVerify = true;
  const serverName = str(cluster, 'tls-server-name');
  if (serverName) credentials.tlsServerName = serverName;
  const cert = pemFrom(user, 'client-certificate-data', 'client-certificate', 'client certificate', config, readFile);
  const key = pemFrom(user, 'client-key-data', 'client-key', 'client key', config, readFile);
  if ((cert === undefined) !== (key === undefined)) {
    throw bad(`User "${userName}" of context "${name}" has a client ${cert ? 'certificate without its key' : 'key without its certificate'}.`);
  }
  if (cert && key) Object.assign(credentials, { clientCertPem: cert, clientKeyPem: key });
  // Like client-go, a token file is preferred over an inline token.
  const tokenFile = str(user, 'tokenFile');
  const token = tokenFile ? readReferenced(tokenFile, 'token', config, readFile).toString('utf8').trim() : str(user, 'token');
  if (token) credentials.token = token;
  const username = str(user, 'username');
  if (username) Object.assign(credentials, { username, password: str(user, 'password') ?? '' });
  const namespace = str(context, 'namespace');
  return { context: name, cluster: clusterName, user: userName, ...(namespace ? { namespace } : {}), credentials };
}
