// OpenAPI documents generated from the registry: the v3 discovery root, one v3
// document per group version (schemas + paths, PATCH operations carrying
// x-kubernetes-group-version-kind and a fieldValidation parameter, which is how
// kubectl decides to let the server validate), and the v2 document. `kubectl explain`
// reads the v3 documents.
import { createHash } from 'node:crypto';
import type { Registry } from '../registry/registry';
import type { JSONSchema, ResourceDefinition } from '../registry/types';
import { refName } from '../schema/schemaResolver';
import { kubernetesGitVersion } from '../discovery/version';
import type { Json } from './openapiTypes';
import { commonSchemas, deleteOptionsName, listMetaName, patchName, scaleName, statusName, watchEventName } from './commonSchemas';


interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  action: string;
  operationId: string;
  description: string;
  kind: { group: string; version: string; kind: string };
  /** Schema name of the response (and request body for create/update). */
  response: string;
  body?: 'object' | 'patch' | 'delete';
  query: string[];
}

interface PathEntry {
  path: string;
  params: ('namespace' | 'name')[];
  operations: Operation[];
}

const queryParameters: Record<string, { description: string; type: 'string' | 'integer' | 'boolean' }> = {
  allowWatchBookmarks: { description: 'allowWatchBookmarks requests watch events with type "BOOKMARK".', type: 'boolean' },
  continue: { description: 'The continue option should be set when retrieving more results from the server.', type: 'string' },
  dryRun: { description: 'When present, indicates that modifications should not be persisted. The only valid value is All.', type: 'string' },
  fieldManager: { description: 'fieldManager is a name associated with the actor or entity that is making these changes.', type: 'string' },
  fieldSelector: { description: 'A selector to restrict the list of returned objects by their fields.', type: 'string' },
  fieldValidation: {
    description:
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.',
    type: 'string',
  },
  force: { description: 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', type: 'boolean' },
  gracePeriodSeconds: { description: 'The duration in seconds before the object should be deleted.', type: 'integer' },
  labelSelector: { description: 'A selector to restrict the list of returned objects by their labels.', type: 'string' },
  limit: { description: 'limit is a maximum number of responses to return for a list call.', type: 'integer' },
  pretty: { description: "If 'true', then the output is pretty printed.", type: 'string' },
  propagationPolicy: { description: 'Whether and how garbage collection will be performed.', type: 'string' },
  resourceVersion: { description: 'resourceVersion sets a constraint on what resource versions a request may be served from.', type: 'string' },
  resourceVersionMatch: { description: 'resourceVersionMatch determines how resourceVersion is applied to list calls.', type: 'string' },
  sendInitialEvents: { description: 'sendInitialEvents=true may be set together with watch=true.', type: 'boolean' },
  timeoutSeconds: { description: 'Timeout for the list/watch call.', type: 'integer' },
  watch: { description: 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', type: 'boolean' },
};

const listQuery = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const writeQuery = ['dryRun', 'fieldManager', 'fieldValidation'];
const patchQuery = [...writeQuery, 'force'];
const deleteQuery = ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'];

function camel(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function opPrefix(def: ResourceDefinition): string {
  const group = def.group === '' ? 'Core' : def.group.split('.')[0].replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  return `${camel(group)}${camel(def.version)}`;
}

function pathsOf(def: ResourceDefinition): PathEntry[] {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const scope = def.namespaced ? 'Namespaced' : '';
  const prefix = opPrefix(def);
  const listName = `${def.schemaName}List`;
  const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.resource}` : `${base}/${def.resource}`;
  const item = `${collection}/{name}`;
  const nsParams: ('namespace' | 'name')[] = def.namespaced ? ['namespace'] : [];
  const verbs = new Set<string>(def.verbs);
  const out: PathEntry[] = [];
  const op = (method: Operation['method'], action: string, verb: string, response: string, query: string[], body?: Operation['body'], kind = gvk): Operation => ({
    method,
    action,
    operationId: `${verb}${prefix}${scope}${def.kind}`,
    description: `${action} ${def.kind}`,
    kind,
    response,
    body,
    query,
  });

  const collectionOps: Operation[] = [];
  if (verbs.has('list')) collectionOps.push(op('get', 'list', 'list', listName, listQuery));
  if (verbs.has('create')) collectionOps.push(op('post', 'post', 'create', def.schemaName, writeQuery, 'object'));
  if (verbs.has('deletecollection')) collectionOps.push(op('delete', 'deletecollection', 'deleteCollection', statusName, [...deleteQuery, ...listQuery], 'delete'));
  if (collectionOps.length) out.push({ path: collection, params: nsParams, operations: collectionOps });

  const itemOps: Operation[] = [];
  if (verbs.has('get')) itemOps.push(op('get', 'get', 'read', def.schemaName, []));
  if (verbs.has('update')) itemOps.push(op('put', 'put', 'replace', def.schemaName, writeQuery, 'object'));
  if (verbs.has('patch')) itemOps.push(op('patch', 'patch', 'patch', def.schemaName, patchQuery, 'patch'));
  if (verbs.has('delete')) itemOps.push(op('delete', 'delete', 'delete', statusName, deleteQuery, 'delete'));
  if (itemOps.length) out.push({ path: item, params: [...nsParams, 'name'], operations: itemOps });

  if (def.namespaced && verbs.has('list')) {
    out.push({
      path: `${base}/${def.resource}`,
      params: [],
      operations: [{ ...op('get', 'list', 'list', listName, listQuery), operationId: `list${prefix}${def.kind}ForAllNamespaces` }],
    });
  }
  const sub = def.subresources ?? {};
  if (sub.status) {
    out.push({
      path: `${item}/status`,
      params: [...nsParams, 'name'],
      operations: [
        { ...op('get', 'get', 'read', def.schemaName, []), operationId: `read${prefix}${scope}${def.kind}Status` },
        { ...op('put', 'put', 'replace', def.schemaName, writeQuery, 'object'), operationId: `replace${prefix}${scope}${def.kind}Status` },
        { ...op('patch', 'patch', 'patch', def.schemaName, patchQuery, 'patch'), operationId: `patch${prefix}${scope}${def.kind}Status` },
      ],
    });
  }
  if (sub.scale) {
    const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    out.push({
      path: `${item}/scale`,
      params: [...nsParams, 'name'],
      operations: [
        { ...op('get', 'get', 'read', scaleName, [], undefined, scaleKind), operationId: `read${prefix}${scope}${def.kind}Scale` },
        { ...op('put', 'put', 'replace', scaleName, writeQuery, 'object', scaleKind), operationId: `replace${prefix}${scope}${def.kind}Scale` },
        { ...op('patch', 'patch', 'patch', scaleName, patchQuery, 'patch', scaleKind), operationId: `patch${prefix}${scope}${def.kind}Scale` },
      ],
    });
  }
  return out;
}

function rewriteRefs(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, prefix));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === '$ref' && typeof v === 'string' ? prefix + refName(v) : rewriteRefs(v, prefix);
  return out;
}

function referenced(schema: unknown, into: Set<string>): void {
  if (Array.isArray(schema)) {
    for (const v of schema) referenced(v, into);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') into.add(refName(v));
    else referenced(v, into);
  }
}

/** OpenApiDocuments builds (once) and serves the OpenAPI documents of a registry. */
export class OpenApiDocuments {
  private readonly schemas: Record<string, JSONSchema>;
  private readonly v3Docs = new Map<string, { doc: Json; text: string; hash: string }>();
  private v2Text?: string;
  private v2Doc?: Json;

  constructor(private readonly registry: Registry) {
    const schemas: Record<string, JSONSchema> = {};
    for (const def of registry.all()) {
      for (const [name, schema] of Object.entries(def.definitions)) if (!(name in schemas)) schemas[name] = schema;
    }
    for (const [name, schema] of Object.entries(commonSchemas())) if (!(name in schemas)) schemas[name] = schema;
    for (const def of registry.all()) {
      const own = schemas[def.schemaName];
      if (own && !own['x-kubernetes-group-version-kind']) {
        schemas[def.schemaName] = { ...own, 'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }] };
      }
      if (!def.virtual && !schemas[`${def.schemaName}List`]) {
        schemas[`${def.schemaName}List`] = {
          type: 'object',
          description: `${def.kind}List is a list of ${def.kind} objects.`,
          required: ['items'],
          properties: {
            apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
            items: { type: 'array', description: `List of ${def.resource}.`, items: { $ref: `#/components/schemas/${def.schemaName}` } },
            kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
            metadata: { allOf: [{ $ref: `#/components/schemas/${listMetaName}` }], description: 'Standard list metadata.' },
          },
          'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: `${def.kind}List` }],
        };
      }
    }
    this.schemas = schemas;
  }

  /** groupVersionPaths lists the v3 document keys: 'api/v1', 'apis/apps/v1', ... */
  groupVersionPaths(): string[] {
    const out: string[] = [];
    for (const g of this.registry.groups()) for (const v of g.versions) out.push(g.group ? `apis/${g.group}/${v}` : `api/${v}`);
    return out;
  }

  /** v3Root is the body of GET /openapi/v3. */
  v3Root(): Json {
    const paths: Json = {};
    for (const key of this.groupVersionPaths()) {
      const doc = this.v3(key)!;
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    }
    return { paths };
  }

  /** v3 returns the document of one group version ('apis/apps/v1') as text with its hash. */
  v3(key: string): { text: string; hash: string } | undefined {
    const cached = this.v3Docs.get(key);
    if (cached) return cached;
    const parts = key.split('/');
    let group: string;
    let version: string;
    if (parts[0] === 'api' && parts.length === 2) [group, version] = ['', parts[1]];
    else if (parts[0] === 'apis' && parts.length === 3) [group, version] = [parts[1], parts[2]];
    else return undefined;
    if (!this.registry.hasGroupVersion(group, version)) return undefined;
    const doc = this.buildV3(this.registry.resourcesOf(group, version));
    const text = JSON.stringify(doc);
    const entry = { doc, text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
    this.v3Docs.set(key, entry);
    return entry;
  }

  private closure(roots: string[]): string[] {
    const seen = new Set<string>();
    const pending = [...roots];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (seen.has(name) || !this.schemas[name]) continue;
      seen.add(name);
      const refs = new Set<string>();
      referenced(this.schemas[name], refs);
      pending.push(...refs);
    }
    return [...seen].sort();
  }

  private buildV3(defs: ResourceDefinition[]): Json {
    const roots = new Set<string>([statusName, deleteOptionsName, patchName, watchEventName, listMetaName]);
    const paths: Json = {};
    for (const def of defs) {
      roots.add(def.schemaName);
      if (!def.virtual) roots.add(`${def.schemaName}List`);
      if (def.subresources?.scale) roots.add(scaleName);
      for (const entry of pathsOf(def)) paths[entry.path] = this.v3PathItem(def, entry);
    }
    const schemas: Json = {};
    for (const name of this.closure([...roots])) schemas[name] = rewriteRefs(this.schemas[name], '#/components/schemas/');
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: kubernetesGitVersion },
      paths,
      components: {
        schemas,
        securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
      },
    };
  }

  private v3PathItem(def: ResourceDefinition, entry: PathEntry): Json {
    const item: Json = {
      parameters: [
        ...entry.params.map((p) => ({
          name: p,
          in: 'path',
          description: p === 'name' ? `name of the ${def.kind}` : 'object name and auth scope, such as for teams and projects',
          required: true,
          schema: { type: 'string', uniqueItems: true },
        })),
        { name: 'pretty', in: 'query', description: queryParameters.pretty.description, schema: { type: 'string', uniqueItems: true } },
      ],
    };
    for (const op of entry.operations) {
      const ref = { $ref: `#/components/schemas/${op.response}` };
      const operation: Json = {
        tags: [def.group ? `${def.group.split('.')[0]}_${def.version}` : `core_${def.version}`],
        description: op.description,
        operationId: op.operationId,
        parameters: op.query.map((q) => ({
          name: q,
          in: 'query',
          description: queryParameters[q].description,
          schema: { type: queryParameters[q].type, uniqueItems: true },
        })),
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: ref }, 'application/yaml': { schema: ref } } },
          '401': { description: 'Unauthorized' },
        },
        'x-kubernetes-action': op.action,
        'x-kubernetes-group-version-kind': op.kind,
      };
      if (op.method === 'post') (operation.responses as Json)['201'] = { description: 'Created', content: { 'application/json': { schema: ref } } };
      if (op.body === 'object') {
        operation.requestBody = { content: { '*/*': { schema: ref } }, required: true };
      } else if (op.body === 'patch') {
        const patchRef = { schema: { $ref: `#/components/schemas/${patchName}` } };
        operation.requestBody = {
          content: {
            'application/apply-patch+yaml': patchRef,
            'application/json-patch+json': patchRef,
            'application/merge-patch+json': patchRef,
            'application/strategic-merge-patch+json': patchRef,
          },
          required: true,
        };
      } else if (op.body === 'delete') {
        operation.requestBody = { content: { '*/*': { schema: { $ref: `#/components/schemas/${deleteOptionsName}` } } } };
      }
      item[op.method] = operation;
    }
    return item;
  }

  /** v2 returns the OpenAPI v2 (Swagger) document of every group as an object. */
  v2(): Json {
    if (this.v2Doc) return this.v2Doc;
    const paths: Json = {};
    const roots = new Set<string>([statusName, deleteOptionsName, patchName, watchEventName, listMetaName]);
    for (const def of this.registry.all()) {
      roots.add(def.schemaName);
      if (!def.virtual) roots.add(`${def.schemaName}List`);
      if (def.subresources?.scale) roots.add(scaleName);
      for (const entry of pathsOf(def)) paths[entry.path] = this.v2PathItem(def, entry);
    }
    const definitions: Json = {};
    for (const name of this.closure([...roots])) definitions[name] = rewriteRefs(this.schemas[name], '#/definitions/');
    this.v2Doc = {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: kubernetesGitVersion },
      paths,
      definitions,
      securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
    };
    return this.v2Doc;
  }

  /** v2Json returns the v2 document as JSON text. */
  v2Json(): string {
    this.v2Text ??= JSON.stringify(this.v2());
    return this.v2Text;
  }

  private v2PathItem(def: ResourceDefinition, entry: PathEntry): Json {
    const item: Json = {
      parameters: [
        ...entry.params.map((p) => ({ name: p, in: 'path', description: p === 'name' ? `name of the ${def.kind}` : 'object name and auth scope', required: true, type: 'string', uniqueItems: true })),
        { name: 'pretty', in: 'query', description: queryParameters.pretty.description, type: 'string', uniqueItems: true },
      ],
    };
    for (const op of entry.operations) {
      const ref = { $ref: `#/definitions/${op.response}` };
      const parameters: Json[] = op.query.map((q) => ({ name: q, in: 'query', description: queryParameters[q].description, type: queryParameters[q].type, uniqueItems: true }));
      if (op.body === 'object') parameters.unshift({ name: 'body', in: 'body', required: true, schema: ref });
      if (op.body === 'patch') parameters.unshift({ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${patchName}` } });
      if (op.body === 'delete') parameters.unshift({ name: 'body', in: 'body', schema: { $ref: `#/definitions/${deleteOptionsName}` } });
      const operation: Json = {
        description: op.description,
        consumes: op.body === 'patch' ? ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'] : ['*/*'],
        produces: ['application/json', 'application/yaml'],
        schemes: ['https'],
        tags: [def.group ? `${def.group.split('.')[0]}_${def.version}` : `core_${def.version}`],
        operationId: op.operationId,
        parameters,
        responses: { '200': { description: 'OK', schema: ref }, '401': { description: 'Unauthorized' } },
        'x-kubernetes-action': op.action,
        'x-kubernetes-group-version-kind': op.kind,
      };
      item[op.method] = operation;
    }
    return item;
  }
}
