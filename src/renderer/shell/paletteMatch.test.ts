import { describe, expect, it } from 'vitest';
import { fuzzyScore, type PaletteItem, rankItems } from './paletteMatch';

const item = (kind: string, label: string, detail?: string): PaletteItem => ({ id: `${kind}/${detail ?? ''}/${label}`, kind, label, detail, hash: `#/${kind}/${label}` });

describe('palette matching', () => {
  it('matches letters in order, ignoring case', () => {
    expect(fuzzyScore('wb', 'Web-1')?.positions).toEqual([0, 2]);
    expect(fuzzyScore('bw', 'web')).toBeUndefined();
    expect(fuzzyScore('', 'web')?.score).toBe(0);
  });

  it('ranks a name that starts with the query above one that merely contains it', () => {
    const items = [item('pod', 'api-web'), item('pod', 'web-7d9f-abcde'), item('pod', 'cobweb')];
    expect(rankItems(items, 'web').map((m) => m.item.label)).toEqual(['web-7d9f-abcde', 'api-web', 'cobweb']);
  });

  it('finds by the namespace too, below label matches, and keeps the order for an empty query', () => {
    const items = [item('pod', 'db-0', 'staging'), item('pod', 'stage-runner', 'ci')];
    expect(rankItems(items, 'stag').map((m) => m.item.label)).toEqual(['stage-runner', 'db-0']);
    expect(rankItems(items, '').map((m) => m.item.label)).toEqual(['db-0', 'stage-runner']);
    expect(rankItems(items, 'zzz')).toEqual([]);
  });

  it('highlights the letters that matched and caps the results', () => {
    expect(rankItems([item('area', 'Deployments')], 'dep')[0].positions).toEqual([0, 1, 2]);
    const many = Array.from({ length: 200 }, (_, i) => item('pod', `web-${i}`));
    expect(rankItems(many, 'web', 10)).toHaveLength(10);
  });
});
