import { describe, expect, it } from 'vitest';
import { Expectations } from './expectations';

describe('Expectations', () => {
  it('holds a key back until its creations and deletions have been seen', () => {
    const e = new Expectations();
    expect(e.satisfied('default/web')).toBe(true);
    e.expect('default/web', 2, ['default/web-a']);
    e.creationObserved('default/web');
    e.deletionObserved('default/web', 'default/web-a');
    expect(e.satisfied('default/web')).toBe(false);
    e.creationsFailed('default/web', 1);
    expect(e.satisfied('default/web')).toBe(true);
  });

  it('gives up waiting after its time to live', () => {
    let now = 0;
    const e = new Expectations(1000, () => now);
    e.expect('k', 1);
    now = 999;
    expect(e.satisfied('k')).toBe(false);
    now = 1001;
    expect(e.satisfied('k')).toBe(true);
  });
});
