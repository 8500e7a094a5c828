// The schema of autoscaling/v1 Scale: the view of a workload that `kubectl scale` and
// autoscalers read and write through the /scale subresource. Not a resource by itself;
// the REST layer builds Scale objects from a kind's ScaleSubresource paths.
import type { Definitions } from './schema';
import { closure, int32, kindSchema, obj, ref, str } from './schema';
import { metaDefinitions } from './metaSchemas';

const S = 'io.k8s.api.autoscaling.v1.';

/** scaleSchemaName is the definition name of autoscaling/v1 Scale. */
export const scaleSchemaName = S + 'Scale';

/** scaleDefinitions are the Scale schema and everything it references. */
export const scaleDefinitions: Definitions = closure(scaleSchemaName, {
  ...metaDefinitions,
  [scaleSchemaName]: kindSchema(
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    'The replica count of a scalable object, read and written through its scale subresource.',
    {
      spec: ref(S + 'ScaleSpec', 'Desired replica count.'),
      status: ref(S + 'ScaleStatus', 'Current replica count and the selector of the pods.'),
    },
  ),
  [S + 'ScaleSpec']: obj('Desired scale.', { replicas: int32('Desired number of replicas.') }),
  [S + 'ScaleStatus']: obj(
    'Current scale.',
    {
      replicas: int32('Number of replicas observed.'),
      selector: str('Label selector of the pods, in query form (e.g. app=web).'),
    },
    ['replicas'],
  ),
});
