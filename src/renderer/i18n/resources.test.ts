// Every string must exist in every language, with the same placeholders, so no
// screen falls back to English or shows a raw key.
import { describe, expect, it } from 'vitest';
import en from './en.json';
import ko from './ko.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

// Plural forms differ between languages (Korean has only "other"), so compare base keys.
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}|<(\w+)>/g)].map((m) => m[1] ?? m[2]).sort();

describe('translations', () => {
  const english = flatten(en as Tree);
  const korean = flatten(ko as Tree);

  it('has every English string in Korean and nothing extra', () => {
    const a = new Set([...english.keys()].map(baseKey));
    const b = new Set([...korean.keys()].map(baseKey));
    expect([...a].filter((k) => !b.has(k))).toEqual([]);
    expect([...b].filter((k) => !a.has(k))).toEqual([]);
  });

  it('keeps the same placeholders and tags in both languages', () => {
    for (const [key, text] of english) {
      const other = korean.get(key) ?? korean.get(`${baseKey(key)}_other`);
      expect(other, key).toBeDefined();
      expect(placeholders(other ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('has no empty strings', () => {
    for (const [key, text] of [...english, ...korean]) expect(text.trim(), key).not.toBe('');
  });
});
