// Applying YAML manifests (one or many documents) to a cluster: create, server-side
// apply, or replace an object being edited, optionally as a dry run. Each document
// gets its own result, and the API server's complaints about fields are mapped back
// to the lines of the text they are about.
import { type Document, parseAllDocuments } from 'yaml';
import type { KubeObject, StatusCause } from '../../shared/api/meta';
import { isStatus } from '../../shared/api/meta';
import { appRoutes } from '../../shared/gateway';
import { type KubeResource, kubeObjectPath, kubeResources, resourceForKind, withQuery } from './kubeResources';
import { plainCause, statusSentence } from './kubeWrite';
import type { YamlProblem } from './objectYaml';
import { locateField } from './yamlPaths';

/** ManifestDocument is one non-empty YAML document of a manifest text. */
export interface ManifestDocument {
  /** Position among the non-empty documents, from 0. */
  index: number;
  doc: Document;
  /** Offset where the document's content starts in the text. */
  from: number;
  /** The object, when the document is one. */
  object?: KubeObject;
  /** What is wrong with the document before anything is sent. */
  problem?: YamlProblem;
  /** Where the problem is, when the YAML parser said. */
  problemAt?: number;
}

/**
 * parseManifests reads every non-empty document of a YAML text ('---' separates
 * them) and checks that each is an object with apiVersion, kind and a name.
 */
export function parseManifests(text: string): ManifestDocument[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const out: ManifestDocument[] = [];
  for (const doc of list) {
    const from = doc.contents?.range?.[0] ?? doc.range[0];
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      out.push({ index: out.length, doc, from, problem: { code: 'syntax', detail: error.message.split('\n')[0] }, problemAt: error.pos[0] });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const entry: ManifestDocument = { index: out.length, doc, from };
    const problem = objectProblem(value);
    if (problem) entry.problem = problem;
    else entry.object = value as KubeObject;
    out.push(entry);
  }
  return out;
}

function objectProblem(value: unknown): YamlProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { code: 'notObject' };
  const object = value as Partial<KubeObject>;
  if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') return { code: 'noKind' };
  const metadata = object.metadata;
  if (typeof metadata !== 'object' || metadata === null || (!metadata.name && !metadata.generateName)) return { code: 'noName' };
  return undefined;
}

/** ResourceResolver finds the resource of a kind, or undefined when the cluster does not serve it. */
export type ResourceResolver = (apiVersion: string, kind: string) => Promise<KubeResource | undefined>;

/** KubeTransport sends one request to the gateway and returns the status and decoded body. */
export type KubeTransport = (path: string, init: { method: string; body?: string; contentType?: string }) => Promise<{ status: number; body: unknown }>;

/** fetchTransport is the KubeTransport of the UI: fetch on the page's origin with its session cookie. */
export const fetchTransport: KubeTransport = async (path, init) => {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method,
      body: init.body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(init.contentType ? { 'Content-Type': init.contentType } : {}) },
    });
  } catch {
    return { status: 0, body: undefined };
  }
  const text = await response.text();
  try {
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  } catch {
    return { status: response.status, body: text };
  }
};

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * discoveryResolver finds kinds the UI knows at once and asks the cluster's discovery
 * (GET /api/v1, /apis/GROUP/VERSION) about the others, once per group and version.
 */
export function discoveryResolver(cluster: string, transport: KubeTransport = fetchTransport): ResourceResolver {
  const lists = new Map<string, Promise<ApiResourceList | undefined>>();
  return async (apiVersion, kind) => {
    const known = resourceForKind(apiVersion, kind);
    if (known) return known;
    const path = `${appRoutes.kubeApi(cluster)}${apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`}`;
    let list = lists.get(path);
    if (!list) {
      list = transport(path, { method: 'GET' }).then((r) => (r.status === 200 ? (r.body as ApiResourceList) : undefined));
      lists.set(path, list);
    }
    const found = (await list)?.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) return undefined;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return { group, version, resource: found.name, kind, namespaced: found.namespaced };
  };
}

/**
 * ApplyMode is how a document is written: 'apply' is server-side apply (creates or
 * updates, like `kubectl apply --server-side`), 'create' only creates, and 'replace'
 * writes back what people changed in an object they opened (as a merge patch of the
 * differences, like `kubectl edit`, so status updates in the meantime do not conflict).
 */
export type ApplyMode = 'apply' | 'create' | 'replace';

/** ApplyOptions say where and how manifests are written. */
export interface ApplyOptions {
  cluster: string;
  /** Where namespaced objects without a namespace go. */
  namespace: string;
  mode: ApplyMode;
  /** Ask the API server to check and default everything, and store nothing. */
  dryRun?: boolean;
  resolve?: ResourceResolver;
  transport?: KubeTransport;
  /** For 'replace': the objects as they were opened, by document index. */
  original?: (KubeObject | undefined)[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * mergePatchBetween is the JSON merge patch (RFC 7386) that turns `from` into `to`:
 * changed values, null for removed keys, lists replaced whole. Status and the
 * resourceVersion are left out: the server owns them.
 */
export function mergePatchBetween(from: unknown, to: unknown, top = true): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (top && key === 'status') continue;
    if (!(key in to)) {
      patch[key] = null;
    } else if (!(key in from)) {
      patch[key] = to[key];
    } else if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) {
      patch[key] = isPlainObject(from[key]) && isPlainObject(to[key]) ? mergePatchBetween(from[key], to[key], false) : to[key];
    }
  }
  if (top && isPlainObject(patch.metadata)) {
    delete patch.metadata.resourceVersion;
    if (Object.keys(patch.metadata).length === 0) delete patch.metadata;
  }
  return patch;
}

/** DocumentResult is what happened to one document. */
export type DocumentResult =
  | { index: number; ok: true; object: KubeObject; resource: KubeResource; action: 'created' | 'configured' | 'replaced' }
  | { index: number; ok: false; message: string; causes: StatusCause[] };

/** fieldManager names the UI in the objects' managed fields. */
export const fieldManager = 'wheelhouse-ui';

function unknownFieldCauses(message: string | undefined): StatusCause[] {
  if (!message) return [];
  return [...message.matchAll(/unknown field "([^"]+)"/g)].map((m) => ({ reason: 'FieldValueInvalid', field: m[1], message: 'unknown field' }));
}

/** failureOf turns a refused write into a sentence and the causes that name fields. */
export function failureOf(status: number, body: unknown): { message: string; causes: StatusCause[] } {
  if (status === 0) return { message: 'The Wheelhouse engine is not answering.', causes: [] };
  if (isStatus(body)) {
    const named = (body.details?.causes ?? []).filter((c) => c.field);
    return { message: statusSentence(body), causes: named.length > 0 ? named : unknownFieldCauses(body.message) };
  }
  const app = body as { error?: unknown } | undefined;
  if (app && typeof app.error === 'string') return { message: app.error, causes: [] };
  return { message: `The cluster answered ${status}.`, causes: [] };
}

/** applyDocument writes one document as the mode says and reports what happened. */
export async function applyDocument(entry: ManifestDocument, options: ApplyOptions): Promise<DocumentResult> {
  const fail = (message: string): DocumentResult => ({ index: entry.index, ok: false, message, causes: [] });
  if (!entry.object) return fail(entry.problem?.code === 'syntax' ? `The YAML is not valid: ${entry.problem.detail}` : 'This document is not a Kubernetes object.');
  const transport = options.transport ?? fetchTransport;
  const resolve = options.resolve ?? discoveryResolver(options.cluster, transport);
  const source = entry.object;
  const resource = await resolve(source.apiVersion ?? '', source.kind ?? '');
  if (!resource) return fail(`The cluster does not know the kind ${source.kind} of ${source.apiVersion}.`);
  const metadata = { ...source.metadata };
  if (resource.namespaced && !metadata.namespace) metadata.namespace = options.namespace;
  if (!resource.namespaced) delete metadata.namespace;
  const object = { ...source, metadata };
  const name = metadata.name;
  const query = {
    dryRun: options.dryRun ? 'All' : undefined,
    fieldValidation: 'Strict',
    fieldManager: options.mode === 'apply' ? fieldManager : undefined,
    force: options.mode === 'apply' ? 'true' : undefined,
  };
  let path: string;
  let method: string;
  let contentType = 'application/json';
  let body: unknown = object;
  if (options.mode === 'create' || !name) {
    path = kubeObjectPath(options.cluster, resource, metadata.namespace);
    method = 'POST';
  } else if (options.mode === 'apply') {
    path = kubeObjectPath(options.cluster, resource, metadata.namespace, name);
    method = 'PATCH';
    // JSON is YAML, so the apply body needs no second encoder.
    contentType = 'application/apply-patch+yaml';
  } else {
    path = kubeObjectPath(options.cluster, resource, metadata.namespace, name);
    method = 'PATCH';
    contentType = 'application/merge-patch+json';
    body = mergePatchBetween(options.original?.[entry.index] ?? {}, source);
  }
  const answer = await transport(withQuery(path, query), { method, body: JSON.stringify(body), contentType });
  if (answer.status < 200 || answer.status >= 300) {
    return { index: entry.index, ok: false, ...failureOf(answer.status, answer.body) };
  }
  const action = options.mode === 'replace' ? 'replaced' : answer.status === 201 ? 'created' : 'configured';
  return { index: entry.index, ok: true, object: answer.body as KubeObject, resource, action };
}

/**
 * applyManifests writes every document in order, going on past failures as
 * `kubectl apply -f` does, and returns one result per document. Namespaces go first,
 * so a manifest can create the namespace its other objects live in.
 */
export async function applyManifests(entries: ManifestDocument[], options: ApplyOptions): Promise<DocumentResult[]> {
  const resolve = options.resolve ?? discoveryResolver(options.cluster, options.transport ?? fetchTransport);
  const ordered = [...entries].sort((a, b) => rank(a) - rank(b));
  const results = new Map<number, DocumentResult>();
  for (const entry of ordered) results.set(entry.index, await applyDocument(entry, { ...options, resolve }));
  return entries.map((e) => results.get(e.index)!);
}

function rank(entry: ManifestDocument): number {
  const kind = entry.object?.kind;
  return kind === kubeResources.namespaces.kind ? 0 : 1;
}

/** ManifestDiagnostic is a message at a place in the text, for the editor to mark. */
export interface ManifestDiagnostic {
  from: number;
  to: number;
  message: string;
}

/**
 * manifestDiagnostics places every failure at its line: a cause that names a field
 * at that field (or the deepest part of it that is written), anything else at the
 * start of its document.
 */
export function manifestDiagnostics(text: string, entries: ManifestDocument[], results: DocumentResult[]): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const result of results) {
    if (result.ok) continue;
    const entry = entries.find((e) => e.index === result.index);
    if (!entry) continue;
    const fielded = result.causes.filter((c) => c.field);
    if (fielded.length === 0) {
      const at = entry.problemAt ?? entry.from;
      out.push({ from: at, to: lineEndOf(text, at), message: result.message });
      continue;
    }
    for (const cause of fielded) {
      const where = locateField(text, entry.doc, cause.field!);
      const detail = cause.message ? plainCause(cause.message) : result.message;
      out.push({ from: where.from, to: where.to, message: `${cause.field}: ${detail}` });
    }
  }
  return out;
}

/** problemDiagnostics marks what is wrong with documents before anything is sent. */
export function problemDiagnostics(text: string, entries: ManifestDocument[], word: (problem: YamlProblem) => string): ManifestDiagnostic[] {
  return entries
    .filter((e) => e.problem)
    .map((e) => {
      const at = e.problemAt ?? e.from;
      return { from: at, to: lineEndOf(text, at), message: word(e.problem!) };
    });
}

/** documentSource is the text of one document, to tell later whether people changed it. */
export function documentSource(text: string, entry: ManifestDocument): string {
  const [start, , end] = entry.doc.range ?? [0, 0, text.length];
  return text.slice(start, end);
}

function lineEndOf(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}
