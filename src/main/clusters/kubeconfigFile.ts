// Kubeconfig files: rendering one for a cluster, and merging it into the user's
// kubeconfig without disturbing the contexts already there.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** KubeconfigInput is what a kubeconfig for one cluster needs. */
export interface KubeconfigInput {
  cluster: string;
  server: string;
  caPem: string;
  /** Client certificate and key (PEM), or a bearer token. */
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  user?: string;
  namespace?: string;
}

/** contextName is the context name Wheelhouse uses for a cluster. */
export function contextName(cluster: string): string {
  return `wheelhouse-${cluster}`;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** renderKubeconfig returns a kubeconfig (YAML) with one cluster, user and context. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = contextName(input.cluster);
  const user = input.user ?? name;
  const credentials: Record<string, string> = {};
  if (input.clientCertPem && input.clientKeyPem) {
    credentials['client-certificate-data'] = b64(input.clientCertPem);
    credentials['client-key-data'] = b64(input.clientKeyPem);
  }
  if (input.token) credentials.token = input.token;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } }],
    users: [{ name: user, user: credentials }],
    contexts: [{ name, context: { cluster: name, user, ...(input.namespace ? { namespace: input.namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  });
}

interface Named {
  name: string;
}

interface KubeconfigDoc {
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

function upsert(list: Named[] | undefined, entries: Named[] | undefined): Named[] {
  const result = [...(list ?? [])];
  for (const entry of entries ?? []) {
    const at = result.findIndex((e) => e.name === entry.name);
    if (at === -1) result.push(entry);
    else result[at] = entry;
  }
  return result;
}

/** defaultKubeconfigPath is the first file of $KUBECONFIG, or ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':').find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

/**
 * mergeKubeconfig adds (or replaces) the cluster, user and context of `incoming`
 * in the target file. Entries with other names are kept as they are. The file is
 * replaced atomically with mode 0600; current-context is set only when it was empty.
 */
export function mergeKubeconfig(incoming: string, target = defaultKubeconfigPath()): { file: string; context: string } {
  const add = parse(incoming) as KubeconfigDoc;
  let doc: KubeconfigDoc = { apiVersion: 'v1', kind: 'Config', preferences: {} };
  if (existsSync(target)) {
    const text = readFileSync(target, 'utf8');
    const parsed = text.trim() === '' ? {} : (parse(text) as KubeconfigDoc | null);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`${target} is not a kubeconfig file; it was left unchanged.`);
    }
    doc = parsed;
  }
  doc.clusters = upsert(doc.clusters, add.clusters);
  doc.users = upsert(doc.users, add.users);
  doc.contexts = upsert(doc.contexts, add.contexts);
  const context = add['current-context'] ?? add.contexts?.[0]?.name ?? '';
  if (!doc['current-context']) doc['current-context'] = context;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.wheelhouse-${process.pid}.tmp`;
  writeFileSync(tmp, stringify(doc), { mode: 0o600 });
  renameSync(tmp, target);
  return { file: target, context };
}
