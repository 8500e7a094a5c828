import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './jsonMergePatch';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects recursively, deletes on null and replaces lists', () => {
    const target = { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [1, 2, 3], keep: true } };
    const result = applyMergePatch(target, { metadata: { labels: { a: null, c: '3' } }, spec: { list: [9] } });
    expect(result).toEqual({ metadata: { labels: { b: '2', c: '3' } }, spec: { list: [9], keep: true } });
    // The target is not changed.
    expect(target.metadata.labels).toEqual({ a: '1', b: '2' });
  });

  it('follows the RFC examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(['a', 'b'], ['c', 'd'])).toEqual(['c', 'd']);
    expect(applyMergePatch({ a: 'foo' }, 'bar')).toBe('bar');
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });
});
