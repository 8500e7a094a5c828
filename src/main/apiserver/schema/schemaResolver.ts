// Resolves the registry's JSONSchemas for the machinery that walks objects field by
// field (strategic merge patch, unknown-field checks, managed fields): follows $ref,
// folds allOf into one schema and keeps the extensions written beside a $ref.
import type { JSONSchema } from '../registry/types';

const refPrefixes = ['#/components/schemas/', '#/definitions/'];

/** refName returns the definition name a $ref points to. */
export function refName(ref: string): string {
  for (const prefix of refPrefixes) if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  return ref;
}

/** SchemaResolver resolves schemas against a set of named definitions. */
export class SchemaResolver {
  private readonly cache = new WeakMap<JSONSchema, JSONSchema>();

  constructor(private readonly definitions: Record<string, JSONSchema>) {}

  /** definition returns a named definition, resolved. */
  definition(name: string): JSONSchema | undefined {
    const found = this.definitions[name];
    return found ? this.resolve(found) : undefined;
  }

  /** resolve returns the schema with $ref and allOf folded in; undefined stays undefined. */
  resolve(schema: JSONSchema | undefined, depth = 0): JSONSchema | undefined {
    if (!schema) return undefined;
    if (!schema.$ref && !schema.allOf) return schema;
    const cached = this.cache.get(schema);
    if (cached) return cached;
    if (depth > 32) return schema;
    const parts: JSONSchema[] = [];
    if (schema.$ref) {
      const target = this.definitions[refName(schema.$ref)];
      const resolved = this.resolve(target, depth + 1);
      if (resolved) parts.push(resolved);
    }
    for (const member of schema.allOf ?? []) {
      const resolved = this.resolve(member, depth + 1);
      if (resolved) parts.push(resolved);
    }
    const local: JSONSchema = { ...schema };
    delete local.$ref;
    delete local.allOf;
    parts.push(local);
    const merged = mergeSchemas(parts);
    this.cache.set(schema, merged);
    return merged;
  }

  /** property returns the resolved schema of one field of an object schema. */
  property(schema: JSONSchema | undefined, name: string): JSONSchema | undefined {
    const resolved = this.resolve(schema);
    if (!resolved) return undefined;
    const prop = resolved.properties?.[name];
    if (prop) return this.resolve(prop);
    if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object') {
      return this.resolve(resolved.additionalProperties);
    }
    return undefined;
  }

  /** items returns the resolved schema of an array's items. */
  items(schema: JSONSchema | undefined): JSONSchema | undefined {
    const resolved = this.resolve(schema);
    return resolved?.items ? this.resolve(resolved.items) : undefined;
  }
}

function mergeSchemas(parts: JSONSchema[]): JSONSchema {
  const out: JSONSchema = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && value) {
        out.properties = { ...(out.properties ?? {}), ...(value as Record<string, JSONSchema>) };
      } else if (key === 'required' && Array.isArray(value)) {
        out.required = [...new Set([...(out.required ?? []), ...value])];
      } else if (value !== undefined) {
        (out as Record<string, unknown>)[key] = value;
      }
    }
  }
  return out;
}

/** ListStrategy is how strategic merge patch and apply treat one list field. */
export interface ListStrategy {
  /** 'merge' merges by key (or as a set for primitives); 'replace' replaces the whole list. */
  strategy: 'merge' | 'replace';
  /** The field identifying items of a list of objects. */
  mergeKey?: string;
  /** Keys identifying items for server-side apply (list-type map). */
  mapKeys?: string[];
  retainKeys: boolean;
}

/** listStrategy reads the patch strategy of a list field from its schema. */
export function listStrategy(schema: JSONSchema | undefined): ListStrategy {
  const raw = schema?.['x-kubernetes-patch-strategy'] ?? '';
  const parts = raw.split(',').map((p) => p.trim());
  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  const mapKeys = schema?.['x-kubernetes-list-map-keys'] ?? (mergeKey ? [mergeKey] : undefined);
  let strategy: 'merge' | 'replace' = parts.includes('merge') ? 'merge' : 'replace';
  if (schema?.['x-kubernetes-list-type'] === 'set') strategy = 'merge';
  return {
    strategy,
    mergeKey: mergeKey ?? (schema?.['x-kubernetes-list-type'] === 'map' && mapKeys?.length === 1 ? mapKeys[0] : undefined),
    mapKeys: schema?.['x-kubernetes-list-type'] === 'map' || mergeKey ? mapKeys : undefined,
    retainKeys: parts.includes('retainKeys'),
  };
}

/** retainsKeys tells whether an object field's patch strategy asks to retain only patched keys. */
export function retainsKeys(schema: JSONSchema | undefined): boolean {
  return (schema?.['x-kubernetes-patch-strategy'] ?? '').split(',').some((p) => p.trim() === 'retainKeys');
}
