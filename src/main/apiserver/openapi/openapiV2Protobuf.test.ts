import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../registry/buildRegistry';
import { WireReader } from '../protobuf/wireReader';
import { testKinds } from '../testing/testKinds';
import { OpenApiDocuments } from './openapiDocuments';
import { encodeOpenApiV2Protobuf } from './openapiV2Protobuf';

type Fields = Map<number, Buffer[]>;

function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  const r = new WireReader(buf);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    const list = out.get(field) ?? [];
    list.push(r.bytes());
    out.set(field, list);
  }
  return out;
}

const text = (f: Fields, n: number) => f.get(n)?.[0]?.toString('utf8');

describe('encodeOpenApiV2Protobuf', () => {
  const doc = new OpenApiDocuments(buildRegistry(testKinds())).v2();
  const root = fields(encodeOpenApiV2Protobuf(doc));

  it('writes a gnostic Document with swagger, paths and definitions', () => {
    expect(text(root, 1)).toBe('2.0');
    const definitions = fields(root.get(9)![0]).get(1)!.map((named) => text(fields(named), 1));
    expect(definitions).toContain('io.k8s.api.apps.v1.Deployment');
  });

  it('carries the PATCH operation GVK extension and fieldValidation parameter kubectl looks for', () => {
    const paths = fields(root.get(8)![0]).get(2)!.map(fields);
    const item = paths.find((p) => text(p, 1) === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
    const patch = fields(fields(item.get(2)![0]).get(8)![0]);
    const extensions = patch.get(13)!.map(fields);
    const gvk = extensions.find((e) => text(e, 1) === 'x-kubernetes-group-version-kind')!;
    expect(text(fields(gvk.get(2)![0]), 2)).toBe('group: apps\nversion: v1\nkind: Deployment\n');
    const queryNames = patch
      .get(8)!
      .map((p) => fields(fields(p).get(1)![0]).get(2)?.[0])
      .filter((b): b is Buffer => b !== undefined)
      .map((nonBody) => text(fields(fields(nonBody).get(3)?.[0] ?? Buffer.alloc(0)), 4));
    expect(queryNames).toContain('fieldValidation');
  });
});
