// The root CA publisher, as in Kubernetes' controller manager: every namespace that
// is not terminating has a ConfigMap kube-root-ca.crt whose ca.crt is the cluster CA,
// so pods can verify the API server at kubernetes.default.svc (the service account
// volume projects it). A ConfigMap someone deleted or changed is put back.
import type { KubeObject } from '../../shared/api/meta';
import { newQueue, type ControllerContext } from './controllerContext';
import { isAlreadyExists, isNotFound, namespacesResource, type ResourceType } from './framework/apiClient';
import { runController, type Controller } from './framework/controller';

/** rootCaConfigMap is the name of the ConfigMap holding the cluster CA in every namespace. */
export const rootCaConfigMap = 'kube-root-ca.crt';

/** rootCaDescriptionAnnotation explains the ConfigMap to people who find it. */
export const rootCaDescriptionAnnotation = 'kubernetes.io/description';

const description =
  'The certificate authority of this cluster, for clients inside it that verify the API server at kubernetes.default.svc or 10.96.0.1.';

const configMapsResource: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** rootCaData is what the ConfigMap's data must be. */
export function rootCaData(caPem: string): Record<string, string> {
  return { 'ca.crt': caPem };
}

/** startRootCaPublisher keeps kube-root-ca.crt with caPem in every namespace until stop(). */
export function startRootCaPublisher(ctx: ControllerContext, caPem: string): Controller {
  const { client } = ctx;
  const namespaces = ctx.informers.informerFor(namespacesResource);
  const configMaps = ctx.informers.informerFor<ConfigMap>(configMapsResource, { fieldSelector: `metadata.name=${rootCaConfigMap}` });
  const wanted = rootCaData(caPem);

  const reconcile = async (key: string) => {
    const ns = namespaces.get(key);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const current = configMaps.get(`${key}/${rootCaConfigMap}`);
    if (!current) {
      try {
        await client.create(configMapsResource, key, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCaConfigMap, namespace: key, annotations: { [rootCaDescriptionAnnotation]: description } },
          data: wanted,
        });
      } catch (err) {
        // Created meanwhile (the cache is behind), or the namespace is going away.
        if (isAlreadyExists(err) || isNotFound(err) || /terminat/i.test(String((err as Error).message))) return;
        throw err;
      }
      return;
    }
    const data = current.data ?? {};
    const described = current.metadata.annotations?.[rootCaDescriptionAnnotation] !== undefined;
    if (Object.keys(data).length === 1 && data['ca.crt'] === caPem && described) return;
    const annotations = { ...(current.metadata.annotations ?? {}), [rootCaDescriptionAnnotation]: description };
    await client.update(configMapsResource, { ...structuredClone(current), metadata: { ...structuredClone(current.metadata), annotations }, data: wanted } as ConfigMap);
  };

  return runController({
    name: 'root-ca-cert-publisher',
    log: ctx.log,
    queue: newQueue(ctx),
    recorder: ctx.recorder,
    workers: ctx.workers ?? 2,
    reconcile,
    informers: [namespaces, { informer: configMaps, keysOf: (cm: KubeObject) => cm.metadata.namespace }],
  });
}
