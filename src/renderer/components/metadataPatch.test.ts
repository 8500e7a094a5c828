// Tests for editing labels and annotations: the checks people see while typing and
// the merge patch that is sent.
import { describe, expect, it } from 'vitest';
import { mapFrom, metadataMergePatch, rowProblems, rowsFrom } from './metadataPatch';

describe('metadataMergePatch', () => {
  it('sends only the changes, with removed keys as null', () => {
    const before = { app: 'web', tier: 'front', keep: 'x' };
    const after = { app: 'api', keep: 'x', team: 'a' };
    expect(metadataMergePatch('labels', before, after)).toEqual({
      metadata: { labels: { tier: null, app: 'api', team: 'a' } },
    });
    expect(metadataMergePatch('annotations', before, { ...before })).toBeUndefined();
    expect(metadataMergePatch('annotations', undefined, { note: 'hi' })).toEqual({ metadata: { annotations: { note: 'hi' } } });
  });

  it('round-trips rows, ignoring blank ones', () => {
    const rows = [...rowsFrom({ b: '2', a: '1' }), { key: '', value: '' }];
    expect(rows.map((r) => r.key)).toEqual(['a', 'b', '']);
    expect(mapFrom(rows)).toEqual({ a: '1', b: '2' });
  });
});

describe('rowProblems', () => {
  it('checks label keys and values with the API server rules', () => {
    const problems = rowProblems('labels', [
      { key: 'app', value: 'web' },
      { key: 'bad key', value: 'x' },
      { key: 'ok', value: 'not ok!' },
      { key: 'app', value: 'again' },
      { key: '', value: 'orphan' },
      { key: '', value: '' },
    ]);
    expect(problems[0]).toBeUndefined();
    expect(problems[1]?.key).toMatch(/alphanumeric/);
    expect(problems[2]?.value).toMatch(/valid label/);
    expect(problems[3]?.key).toBe('duplicate');
    expect(problems[4]?.key).toBe('empty');
    expect(problems[5]).toBeUndefined();
  });

  it('lets annotation values hold anything', () => {
    expect(rowProblems('annotations', [{ key: 'example.com/note', value: 'any text: with spaces!' }])).toEqual([undefined]);
  });
});
