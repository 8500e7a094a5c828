// ServiceAccount admission for new pods, as Kubernetes' ServiceAccount plugin does it:
// the pod runs as serviceAccountName ("default" when unset), which must exist in its
// namespace; unless automountServiceAccountToken is false (on the pod, or on the
// account when the pod does not say), every container and init container gets the
// projected volume kube-api-access-xxxxx (a bound token, the cluster CA from the
// kube-root-ca.crt ConfigMap and the namespace) read-only at
// /var/run/secrets/kubernetes.io/serviceaccount; and the account's imagePullSecrets
// are copied to a pod that names none.
import type { KubeObject } from '../../../shared/api/meta';
import { ApiError } from '../../errors';
import type { Container, Pod, Volume } from '../kinds/types';
import type { ServiceAccount } from '../kinds/serviceAccount';
import { storageKey } from '../registry/registry';
import type { RestContext } from '../rest/context';
import { decodeObject } from '../rest/objectCodec';
import { generatedName } from '../rest/objectMeta';
import type { AdmissionPlugin } from './types';

/** serviceAccountMountPath is where a pod's API credentials are mounted in each container. */
export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/** apiAccessVolumePrefix starts the name of the projected API access volume. */
export const apiAccessVolumePrefix = 'kube-api-access-';

/** rootCaConfigMapName is the ConfigMap in every namespace that holds the cluster CA (key ca.crt). */
export const rootCaConfigMapName = 'kube-root-ca.crt';

/**
 * apiAccessTokenSeconds is the token lifetime the volume asks for: one hour and seven
 * seconds, the value Kubernetes uses so that its token tracking can tell these tokens apart.
 */
export const apiAccessTokenSeconds = 3607;

// Static pods mirrored into the API are left exactly as their node declared them.
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/** apiAccessVolume is the projected volume that carries a pod's API credentials. */
export function apiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: apiAccessTokenSeconds, path: 'token' } },
        { configMap: { name: rootCaConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** shouldAutomount decides whether a pod gets the token volume: the pod's choice wins, then the account's, else yes. */
export function shouldAutomount(pod: Pod, account: ServiceAccount): boolean {
  return pod.spec?.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true;
}

/**
 * mountApiAccess adds the API access volume to a pod and mounts it in every container
 * that has nothing at the mount path yet; an existing kube-api-access-* volume is reused.
 */
export function mountApiAccess(pod: Pod): void {
  const spec = (pod.spec ??= {});
  const existing = (spec.volumes ?? []).find((v) => v.name?.startsWith(apiAccessVolumePrefix));
  const volumeName = existing?.name ?? generatedName(apiAccessVolumePrefix);
  let needed = false;
  const mount = (containers: Container[] | undefined) => {
    for (const c of containers ?? []) {
      // Something the user mounts at the path takes its place, as in Kubernetes.
      if ((c.volumeMounts ?? []).some((m) => m.mountPath === serviceAccountMountPath)) continue;
      (c.volumeMounts ??= []).push({ name: volumeName, readOnly: true, mountPath: serviceAccountMountPath });
      needed = true;
    }
  };
  mount(spec.initContainers);
  mount(spec.containers);
  if (needed && !existing) (spec.volumes ??= []).push(apiAccessVolume(volumeName));
}

/** ServiceAccountAdmissionOptions tune how long a missing default account is waited for. */
export interface ServiceAccountAdmissionOptions {
  /** Reads of the default account before giving up (default 10: its controller may be a moment behind a new namespace). */
  defaultAttempts?: number;
  /** Pause between those reads (default 100-200 ms). */
  retryMs?: () => number;
}

function forbidden(pod: KubeObject, message: string): ApiError {
  const name = pod.metadata.name || pod.metadata.generateName || '';
  return new ApiError('Forbidden', `pods "${name}" is forbidden: ${message}`, { name, group: '', kind: 'pods' });
}

/** serviceAccountAdmission is the ServiceAccount admission plugin for pods. */
export function serviceAccountAdmission(options: ServiceAccountAdmissionOptions = {}): AdmissionPlugin {
  const defaultAttempts = options.defaultAttempts ?? 10;
  const retryMs = options.retryMs ?? (() => 100 + Math.floor(Math.random() * 100));

  const readAccount = async (ctx: RestContext, namespace: string, name: string): Promise<ServiceAccount | undefined> => {
    const def = ctx.registry.lookup('', 'v1', 'serviceaccounts');
    if (!def) return undefined;
    const attempts = name === 'default' ? defaultAttempts : 1;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, retryMs()));
      const kv = await ctx.store.get(storageKey(def, namespace, name));
      if (kv) return decodeObject(kv) as ServiceAccount;
    }
    return undefined;
  };

  return {
    name: 'ServiceAccount',
    async admit(ctx, request) {
      const { def, operation } = request;
      // Only new pods are changed; a pod's spec is then immutable.
      if (operation !== 'CREATE' || def.group !== '' || def.resource !== 'pods') return;
      const pod = request.obj as Pod;
      if (pod.metadata.annotations?.[mirrorPodAnnotation] !== undefined) return;
      const spec = (pod.spec ??= {});
      spec.serviceAccountName ||= 'default';
      spec.serviceAccount = spec.serviceAccountName;
      const namespace = request.namespace ?? pod.metadata.namespace ?? 'default';
      const accountName = spec.serviceAccountName;
      const account = await readAccount(ctx, namespace, accountName);
      if (!account) {
        throw forbidden(
          pod,
          `error looking up service account ${namespace}/${accountName}: serviceaccount "${accountName}" not found`,
        );
      }
      if (shouldAutomount(pod, account)) mountApiAccess(pod);
      if (!spec.imagePullSecrets?.length && account.imagePullSecrets?.length) {
        spec.imagePullSecrets = account.imagePullSecrets.map((s) => ({ name: s.name }));
      }
    },
  };
}
