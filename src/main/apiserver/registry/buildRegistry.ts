// Builds the API server's registry from the kinds package's definitions, adding the
// review kinds this package answers itself when the kinds do not define them.
import { reviewKinds } from '../reviews/reviewKinds';
import { Registry } from './registry';
import type { ResourceDefinition } from './types';

/** buildRegistry returns a Registry of the given kinds plus any missing review kinds. */
export function buildRegistry(definitions: ResourceDefinition[]): Registry {
  const have = new Set(definitions.map((d) => `${d.group}/${d.version}/${d.resource}`));
  const extra = reviewKinds().filter((d) => !have.has(`${d.group}/${d.version}/${d.resource}`));
  return new Registry([...definitions, ...extra]);
}
