// JSON merge patch (RFC 7386), used by `kubectl label`, `annotate` and `scale`:
// objects merge recursively, null deletes a field, anything else replaces.
import { deepCopy, isObject } from '../jsonValues';

/** applyMergePatch returns target with patch applied; neither argument is changed. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepCopy(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
