// Writing Kubernetes objects through the gateway: create, patch (merge or JSON
// patch, also on subresources such as scale) and delete.
// Failures come back as Kubernetes Status objects; kubeWrite turns them into one
// sentence a person can act on.
import type { KubeObject, Status } from '../../shared/api/meta';
import { isStatus } from '../../shared/api/meta';
import { GatewayError } from './client';
import type { KubeResource } from './kubeResources';
import { kubeObjectPath, withQuery } from './kubeResources';

// Resource (plural) and Kind names as people say them.
const nouns: Record<string, string> = {
  pods: 'pod',
  pod: 'pod',
  namespaces: 'namespace',
  namespace: 'namespace',
  nodes: 'node',
  node: 'node',
  events: 'event',
  services: 'service',
  service: 'service',
  deployments: 'deployment',
  deployment: 'deployment',
  configmaps: 'config map',
  configmap: 'config map',
  secrets: 'secret',
  secret: 'secret',
  replicasets: 'replica set',
  replicaset: 'replica set',
  statefulsets: 'stateful set',
  statefulset: 'stateful set',
  daemonsets: 'daemon set',
  daemonset: 'daemon set',
  jobs: 'job',
  job: 'job',
  endpointslices: 'endpoint slice',
  endpointslice: 'endpoint slice',
  persistentvolumeclaims: 'persistent volume claim',
  persistentvolumeclaim: 'persistent volume claim',
  persistentvolumes: 'persistent volume',
  persistentvolume: 'persistent volume',
  storageclasses: 'storage class',
  storageclass: 'storage class',
};

function noun(kind: string | undefined): string {
  if (!kind) return 'object';
  return nouns[kind.toLowerCase()] ?? kind.replace(/s$/, '').toLowerCase();
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function sentence(text: string): string {
  const trimmed = capitalize(text.trim());
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * statusSentence turns a Kubernetes Status into one sentence for people, e.g.
 * 'The pod "web" no longer exists.' or 'The namespace "Bad" is not valid:
 * metadata.name must consist of lower case alphanumeric characters...'.
 */
export function statusSentence(status: Pick<Status, 'reason' | 'message' | 'details' | 'code'>): string {
  const name = status.details?.name;
  const what = noun(status.details?.kind);
  const named = name ? `${what} "${name}"` : what;
  switch (status.reason) {
    case 'NotFound':
      return name ? `The ${named} does not exist (any more).` : sentence(status.message ?? 'It does not exist.');
    case 'AlreadyExists':
      return name ? `A ${what} named "${name}" already exists.` : sentence(status.message ?? 'It already exists.');
    case 'Conflict':
      return name
        ? `The ${named} was changed by someone else in the meantime; look at it again and retry.`
        : sentence(status.message ?? 'Someone else changed it in the meantime.');
    case 'Invalid': {
      const causes = (status.details?.causes ?? [])
        .map((c) => [c.field, c.message && plainCause(c.message)].filter(Boolean).join(': '))
        .filter((c) => c !== '');
      if (causes.length > 0) return `The ${named} is not valid: ${causes.join('; ')}.`.replace(/\.\.$/, '.');
      return sentence(status.message ?? `The ${named} is not valid.`);
    }
    case 'Forbidden':
      return sentence(status.message ?? 'The cluster does not allow this.');
    default:
      return sentence(status.message ?? `The cluster answered ${status.code}.`);
  }
}

/**
 * plainCause shortens one of the API server's field messages for people: it repeats
 * the value and the validation regex, and people need neither.
 */
export function plainCause(message: string): string {
  return message
    .replace(/^(Invalid value|Unsupported value|Duplicate value): (".*?"|\S+): /, '')
    .replace(/ \(e\.g\. .*regex used for validation is '.*'\)/, '')
    .replace(/ \(regex used for validation is '.*'\)/, '')
    .trim();
}

async function kubeRequest<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch {
    throw new GatewayError('The Wheelhouse engine is not answering.', 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (isStatus(body)) throw new GatewayError(statusSentence(body), response.status, undefined, body.reason);
    const appError = body as { error?: unknown; hint?: unknown } | undefined;
    if (appError && typeof appError.error === 'string') {
      throw new GatewayError(appError.error, response.status, typeof appError.hint === 'string' ? appError.hint : undefined);
    }
    throw new GatewayError(`The cluster answered ${response.status} ${response.statusText}.`.replace(' .', '.'), response.status);
  }
  return body as T;
}

/** kubeCreate creates an object (POST to its collection) and returns it as stored. */
export function kubeCreate<T extends KubeObject>(cluster: string, resource: KubeResource, object: T): Promise<T> {
  return kubeRequest<T>(kubeObjectPath(cluster, resource, object.metadata.namespace), {
    method: 'POST',
    body: JSON.stringify(object),
    headers: { 'Content-Type': 'application/json' },
  });
}

/** kubeGet reads one object. */
export function kubeGet<T extends KubeObject>(cluster: string, resource: KubeResource, namespace: string | undefined, name: string): Promise<T> {
  return kubeRequest<T>(kubeObjectPath(cluster, resource, namespace, name), { method: 'GET' });
}

/** JsonPatchOperation is one operation of a JSON patch (RFC 6902). */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
}

/** PatchOptions choose the patch format and, optionally, a subresource such as 'scale'. */
export interface PatchOptions {
  type?: 'merge' | 'json';
  subresource?: string;
}

const patchTypes = { merge: 'application/merge-patch+json', json: 'application/json-patch+json' } as const;

/**
 * kubePatch patches one object (or its subresource): a JSON merge patch (RFC 7386)
 * by default, or a JSON patch (RFC 6902) whose 'test' operations make it exact.
 */
export function kubePatch<T extends KubeObject>(
  cluster: string,
  resource: KubeResource,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  options: PatchOptions = {},
): Promise<T> {
  const path = kubeObjectPath(cluster, resource, namespace, name) + (options.subresource ? `/${options.subresource}` : '');
  return kubeRequest<T>(path, {
    method: 'PATCH',
    body: JSON.stringify(patch),
    headers: { 'Content-Type': patchTypes[options.type ?? 'merge'] },
  });
}

/** kubeMergePatch applies a JSON merge patch (RFC 7386) to one object; null values remove keys. */
export function kubeMergePatch<T extends KubeObject>(
  cluster: string,
  resource: KubeResource,
  namespace: string | undefined,
  name: string,
  patch: unknown,
): Promise<T> {
  return kubePatch<T>(cluster, resource, namespace, name, patch);
}

/**
 * kubeDelete deletes one object; a NotFound counts as done, since the object is gone
 * either way. A propagation policy says what happens to what it owns ('Background'
 * deletes a workload's pods too, as kubectl does).
 */
export async function kubeDelete(
  cluster: string,
  resource: KubeResource,
  namespace: string | undefined,
  name: string,
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan',
): Promise<void> {
  try {
    const path = withQuery(kubeObjectPath(cluster, resource, namespace, name), { propagationPolicy });
    await kubeRequest<unknown>(path, { method: 'DELETE' });
  } catch (err) {
    if (err instanceof GatewayError && err.reason === 'NotFound') return;
    throw err;
  }
}
