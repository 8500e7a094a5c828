// Where a snapshot goes unless people say otherwise: a dated file in the engine's
// data directory, which always exists on the engine's machine.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** defaultSnapshotPath suggests DATA_DIR/NAME-YYYYMMDD-HHMMSS.snapshot.db, with the data dir's own separator. */
export function defaultSnapshotPath(dataDir: string, cluster: string, at: Date): string {
  const separator = dataDir.includes('\\') && !dataDir.includes('/') ? '\\' : '/';
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  const dir = dataDir.endsWith(separator) ? dataDir.slice(0, -1) : dataDir;
  return `${dir}${separator}${cluster}-${stamp}.snapshot.db`;
}

/** formatBytes renders a size for people: 812 B, 4.2 KB, 13 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
