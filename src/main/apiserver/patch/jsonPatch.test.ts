import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { applyJsonPatch } from './jsonPatch';

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };

  it('applies add, remove, replace, move, copy and test in order', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/containers/0/name', value: 'a' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
      { op: 'remove', path: '/spec/containers/1' },
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' },
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
      { op: 'move', from: '/spec/containers/2', path: '/spec/last' },
    ]);
    expect(result).toEqual({
      metadata: { labels: { 'app.kubernetes.io/name': 'api' }, annotations: { 'app.kubernetes.io/name': 'api' } },
      spec: { containers: [{ name: 'first' }, { name: 'b' }], last: { name: 'c' } },
    });
    expect(doc.spec.containers).toHaveLength(2);
  });

  it('fails with a 422 when a test fails or a path is missing', () => {
    const failed = (ops: unknown) => {
      try {
        applyJsonPatch(doc, ops);
      } catch (err) {
        return err as ApiError;
      }
      throw new Error('no error');
    };
    expect(failed([{ op: 'test', path: '/spec/containers/0/name', value: 'x' }]).code).toBe(422);
    expect(failed([{ op: 'remove', path: '/spec/nothing' }]).code).toBe(422);
    expect(failed([{ op: 'replace', path: '/spec/containers/5', value: 1 }]).code).toBe(422);
    expect(failed({ op: 'add' }).code).toBe(400);
    expect(failed([{ op: 'frobnicate', path: '/a' }]).code).toBe(400);
  });
});
