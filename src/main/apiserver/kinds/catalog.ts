// The catalog of shared named schemas that kinds reference; each kind adds its own
// top-level schemas and takes the $ref closure it needs from here.
import type { Definitions } from './schema';
import { containerDefinitions } from './containerSchemas';
import { metaDefinitions } from './metaSchemas';
import { podDefinitions } from './podSchemas';
import { storageDefinitions } from './storageSchemas';
import { volumeDefinitions } from './volumeSchemas';

/** sharedDefinitions merges every shared schema module into one lookup table. */
export const sharedDefinitions: Definitions = {
  ...metaDefinitions,
  ...containerDefinitions,
  ...volumeDefinitions,
  ...storageDefinitions,
  ...podDefinitions,
};
