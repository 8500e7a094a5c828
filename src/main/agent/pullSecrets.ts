// imagePullSecrets: the registry credentials of a pod, from its
// kubernetes.io/dockerconfigjson (or legacy dockercfg) Secrets, matched to the
// registry of each image the way kubelet matches them: by registry host, with
// docker.io known under its several historical names.
import type { ConfigSource } from './env';

/** RegistryAuth is what the node's Docker needs to pull from a private registry. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

const dockerHubNames = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** registryHost returns the registry an image reference pulls from (docker.io when it names none). */
export function registryHost(ref: string): string {
  const first = ref.split('/')[0];
  const namesRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return namesRegistry ? first.toLowerCase() : 'docker.io';
}

/** normalizeRegistryKey turns a config key ("https://index.docker.io/v1/", "reg:5000") into a host. */
export function normalizeRegistryKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
  return dockerHubNames.has(host) ? 'docker.io' : host;
}

interface AuthEntry {
  username?: string;
  password?: string;
  auth?: string;
}

function entryAuth(key: string, entry: AuthEntry): RegistryAuth | undefined {
  let { username, password } = entry;
  if ((!username || password === undefined) && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (!username || password === undefined) return undefined;
  return { username, password, serveraddress: key };
}

/**
 * dockerConfigEntries reads the registry entries of one pull Secret's (decoded) data.
 * Secrets that are not registry credentials, or do not parse, give none.
 */
export function dockerConfigEntries(data: ConfigSource): Map<string, RegistryAuth> {
  const entries = new Map<string, RegistryAuth>();
  let auths: Record<string, AuthEntry> | undefined;
  try {
    if (data['.dockerconfigjson'] !== undefined) auths = (JSON.parse(data['.dockerconfigjson']) as { auths?: Record<string, AuthEntry> }).auths;
    else if (data['.dockercfg'] !== undefined) auths = JSON.parse(data['.dockercfg']) as Record<string, AuthEntry>;
  } catch {
    return entries;
  }
  for (const [key, entry] of Object.entries(auths ?? {})) {
    const auth = entry && typeof entry === 'object' ? entryAuth(key, entry) : undefined;
    const host = normalizeRegistryKey(key);
    if (auth && !entries.has(host)) entries.set(host, auth);
  }
  return entries;
}

/** registryAuthFor picks the credentials for an image from a pod's pull Secrets, in their order. */
export function registryAuthFor(ref: string, secrets: ConfigSource[]): RegistryAuth | undefined {
  const host = registryHost(ref);
  for (const data of secrets) {
    const auth = dockerConfigEntries(data).get(host);
    if (auth) return auth;
  }
  return undefined;
}
