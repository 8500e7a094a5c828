// Editing labels and annotations: the rows people edit, checked with the shared
// label rules, and the JSON merge patch that turns the old map into the new one.
import { validateLabelKey, validateLabelValue, validateQualifiedName } from '../../shared/labels';

/** KeyValueRow is one editable entry. */
export interface KeyValueRow {
  key: string;
  value: string;
}

/** MetadataField is which map is being edited. */
export type MetadataField = 'labels' | 'annotations';

/** RowProblem says what is wrong with a row: its key, its value, or a key used twice. */
export interface RowProblem {
  key?: string;
  value?: string;
}

/** rowsFrom turns a map into rows sorted by key. */
export function rowsFrom(map: Record<string, string> | undefined): KeyValueRow[] {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
}

const maxAnnotationBytes = 256 * 1024;

/**
 * rowProblems checks each row with the API server's rules: label keys and values
 * by the label syntax, annotation keys as qualified names (any value). Blank rows
 * are ignored; a key given twice is a problem on the second.
 */
export function rowProblems(field: MetadataField, rows: readonly KeyValueRow[]): (RowProblem | undefined)[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const key = row.key.trim();
    if (key === '' && row.value === '') return undefined;
    const problem: RowProblem = {};
    if (key === '') problem.key = 'empty';
    else {
      const keyErrors = field === 'labels' ? validateLabelKey(key) : validateQualifiedName(key);
      if (keyErrors.length > 0) problem.key = keyErrors[0];
      else if (seen.has(key)) problem.key = 'duplicate';
    }
    seen.add(key);
    if (field === 'labels') {
      const valueErrors = validateLabelValue(row.value);
      if (valueErrors.length > 0) problem.value = valueErrors[0];
    } else if (row.value.length > maxAnnotationBytes) {
      problem.value = 'tooLong';
    }
    return problem.key || problem.value ? problem : undefined;
  });
}

/** mapFrom turns rows back into a map, skipping blank rows. */
export function mapFrom(rows: readonly KeyValueRow[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '' && row.value === '') continue;
    map[key] = row.value;
  }
  return map;
}

/**
 * metadataMergePatch builds the JSON merge patch from `before` to `after`: changed
 * and new keys with their values, removed keys as null. Undefined when nothing changed.
 */
export function metadataMergePatch(
  field: MetadataField,
  before: Record<string, string> | undefined,
  after: Record<string, string>,
): { metadata: Record<MetadataField, Record<string, string | null>> } | undefined {
  const change: Record<string, string | null> = {};
  const old = before ?? {};
  for (const key of Object.keys(old)) if (!(key in after)) change[key] = null;
  for (const [key, value] of Object.entries(after)) if (old[key] !== value) change[key] = value;
  if (Object.keys(change).length === 0) return undefined;
  return { metadata: { [field]: change } as Record<MetadataField, Record<string, string | null>> };
}
