// Tests for the suggested snapshot file and readable sizes.
import { describe, expect, it } from 'vitest';
import { defaultSnapshotPath, formatBytes } from './snapshotPath';

describe('defaultSnapshotPath', () => {
  it('puts a dated file in the data directory with its own separator', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5);
    expect(defaultSnapshotPath('/home/me/.wheelhouse', 'dev', at)).toBe('/home/me/.wheelhouse/dev-20250102-030405.snapshot.db');
    expect(defaultSnapshotPath('/data/', 'dev', at)).toBe('/data/dev-20250102-030405.snapshot.db');
    expect(defaultSnapshotPath('C:\\Users\\me\\Wheelhouse', 'dev', at)).toBe('C:\\Users\\me\\Wheelhouse\\dev-20250102-030405.snapshot.db');
  });
});

describe('formatBytes', () => {
  it('uses the largest fitting unit', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(4300)).toBe('4.2 KB');
    expect(formatBytes(13 * 1024 * 1024)).toBe('13 MB');
  });
});
