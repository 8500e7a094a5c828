// Tests for when "/" moves focus to the page filter.
import { describe, expect, it } from 'vitest';
import { isFilterShortcut } from './filterShortcut';

const slash = { key: '/', ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false };
const body = { tagName: 'BODY', isContentEditable: false };

describe('isFilterShortcut', () => {
  it('takes a plain slash typed outside any field', () => {
    expect(isFilterShortcut(slash, body, false)).toBe(true);
    expect(isFilterShortcut(slash, { tagName: 'DIV', isContentEditable: false }, false)).toBe(true);
    expect(isFilterShortcut(slash, null, false)).toBe(true);
  });

  it('leaves a slash typed into inputs, text areas, selects and editors alone', () => {
    expect(isFilterShortcut(slash, { tagName: 'INPUT', isContentEditable: false }, false)).toBe(false);
    expect(isFilterShortcut(slash, { tagName: 'textarea', isContentEditable: false }, false)).toBe(false);
    expect(isFilterShortcut(slash, { tagName: 'SELECT', isContentEditable: false }, false)).toBe(false);
    expect(isFilterShortcut(slash, { tagName: 'DIV', isContentEditable: true }, false)).toBe(false);
  });

  it('ignores other keys, modified slashes, handled events and open dialogs', () => {
    expect(isFilterShortcut({ ...slash, key: 'k' }, body, false)).toBe(false);
    expect(isFilterShortcut({ ...slash, ctrlKey: true }, body, false)).toBe(false);
    expect(isFilterShortcut({ ...slash, metaKey: true }, body, false)).toBe(false);
    expect(isFilterShortcut({ ...slash, altKey: true }, body, false)).toBe(false);
    expect(isFilterShortcut({ ...slash, defaultPrevented: true }, body, false)).toBe(false);
    expect(isFilterShortcut(slash, body, true)).toBe(false);
  });
});
