// What one log view reads: a list of sources (a container of a pod), how each is
// labelled and coloured when several are interleaved, and the text a download gives.
import type { LogEntry } from './logBuffer';

/** LogSource is one container log of one pod. */
export interface LogSource {
  pod: string;
  container: string;
  /** instance changes when a new instance of the container starts (its runtime id). */
  instance: string;
}

/** sourceKey identifies a source's current instance: a restart makes a new key, so its new log is read. */
export function sourceKey(source: LogSource): string {
  return `${source.pod}/${source.container}@${source.instance}`;
}

/** sourceColours is the number of colours pods are told apart by (classes log-source-0 ... -7). */
export const sourceColours = 8;

/** sourceColour picks a pod's colour from its name, so a pod keeps its colour when others come and go. */
export function sourceColour(pod: string): number {
  // FNV-1a: cheap, and spreads names that differ only in their last characters.
  let hash = 0x811c9dc5;
  for (let i = 0; i < pod.length; i++) {
    hash ^= pod.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % sourceColours;
}

/** sourceLabel is the prefix of a line in an interleaved view: pod/container, or just the container when all lines come from one pod. */
export function sourceLabel(source: LogSource, manyPods: boolean): string {
  return manyPods ? `${source.pod}/${source.container}` : source.container;
}

/**
 * downloadText renders kept lines as a file: optionally the API's timestamp, then
 * the source label in an interleaved view, then the line as the container wrote it.
 */
export function downloadText(entries: readonly LogEntry[], options: { timestamps: boolean; label?: (source: number) => string }): string {
  let out = '';
  for (const entry of entries) {
    if (options.timestamps && entry.time) out += `${entry.time} `;
    if (options.label) out += `[${options.label(entry.source)}] `;
    out += `${entry.text}\n`;
  }
  return out;
}
