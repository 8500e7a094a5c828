// Schemas of pod volumes and their sources. The common sources are modelled field by
// field; rarely used cloud and legacy plugins keep their content unvalidated.
import type { Definitions } from './schema';
import type { JSONSchema } from '../registry/types';
import { atomicList, bool, coreV1, int32, int64, obj, preserve, quantityName, ref, str, strMap } from './schema';

const C = coreV1;

/** legacyVolumeSources are in-tree plugins kept as opaque objects (accepted, not checked field by field). */
export const legacyVolumeSources = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

function legacySources(): Record<string, JSONSchema> {
  return Object.fromEntries(
    legacyVolumeSources.map((n) => [n, preserve(`The ${n} volume plugin (legacy; not checked field by field).`)]),
  );
}

/** podVolumeSources lists the volume source field names a pod volume may use (exactly one). */
export const podVolumeSources = [
  'hostPath',
  'emptyDir',
  'secret',
  'nfs',
  'persistentVolumeClaim',
  'downwardAPI',
  'configMap',
  'projected',
  'csi',
  'ephemeral',
  'image',
  ...legacyVolumeSources,
];

const modeDescription = 'File permission bits as a number, e.g. 0644 (420 in decimal); defaults to 0644.';

/** volumeDefinitions are the volume schemas of core/v1. */
export const volumeDefinitions: Definitions = {
  [C + 'Volume']: obj(
    'A named volume that containers of the pod can mount. Exactly one source field is set.',
    {
      name: str('Name of the volume, unique in the pod (a DNS label).'),
      hostPath: ref(C + 'HostPathVolumeSource', 'A file or directory of the node.'),
      emptyDir: ref(C + 'EmptyDirVolumeSource', 'A scratch directory that lives as long as the pod.'),
      secret: ref(C + 'SecretVolumeSource', 'The keys of a Secret as files.'),
      nfs: ref(C + 'NFSVolumeSource', 'An NFS export.'),
      persistentVolumeClaim: ref(
        C + 'PersistentVolumeClaimVolumeSource',
        'A PersistentVolumeClaim in the same namespace.',
      ),
      downwardAPI: ref(C + 'DownwardAPIVolumeSource', 'Fields of the pod as files.'),
      configMap: ref(C + 'ConfigMapVolumeSource', 'The keys of a ConfigMap as files.'),
      projected: ref(C + 'ProjectedVolumeSource', 'Several sources merged into one directory.'),
      csi: ref(C + 'CSIVolumeSource', 'An inline volume from a CSI driver.'),
      ephemeral: ref(C + 'EphemeralVolumeSource', 'A volume claimed for this pod only and deleted with it.'),
      image: ref(C + 'ImageVolumeSource', 'The content of an OCI image, read-only.'),
      ...legacySources(),
    },
    ['name'],
  ),
  [C + 'HostPathVolumeSource']: obj(
    'A path on the node.',
    {
      path: str('Path on the node; a symlink is followed.'),
      type: str(
        'Expected type: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.',
      ),
    },
    ['path'],
  ),
  [C + 'EmptyDirVolumeSource']: obj('An empty directory created for the pod.', {
    medium: str('"" for the node disk or Memory for a tmpfs.'),
    sizeLimit: ref(quantityName, 'Most space the directory may use.'),
  }),
  [C + 'SecretVolumeSource']: obj('A Secret mounted as files, one per key.', {
    secretName: str('Name of the Secret in the pod namespace.'),
    items: atomicList('Keys to project and their file paths; all keys when empty.', ref(C + 'KeyToPath')),
    defaultMode: int32(modeDescription),
    optional: bool('When true, a missing Secret or key is not an error.'),
  }),
  [C + 'ConfigMapVolumeSource']: {
    ...obj('A ConfigMap mounted as files, one per key.', {
      name: str('Name of the ConfigMap.'),
      items: atomicList('Keys to project and their file paths; all keys when empty.', ref(C + 'KeyToPath')),
      defaultMode: int32(modeDescription),
      optional: bool('When true, a missing ConfigMap or key is not an error.'),
    }),
  },
  [C + 'KeyToPath']: obj(
    'One key mapped to a relative file path.',
    {
      key: str('Key to project.'),
      path: str('Relative file path; may not contain "..".'),
      mode: int32('Permission bits for this file.'),
    },
    ['key', 'path'],
  ),
  [C + 'NFSVolumeSource']: obj(
    'An NFS export.',
    {
      server: str('Host name or IP of the NFS server.'),
      path: str('Exported path.'),
      readOnly: bool('Mount read-only.'),
    },
    ['server', 'path'],
  ),
  [C + 'PersistentVolumeClaimVolumeSource']: obj(
    'A reference to a PersistentVolumeClaim.',
    {
      claimName: str('Name of the claim in the pod namespace.'),
      readOnly: bool('Mount read-only.'),
    },
    ['claimName'],
  ),
  [C + 'DownwardAPIVolumeSource']: obj('Pod fields exposed as files.', {
    items: atomicList('Files to create.', ref(C + 'DownwardAPIVolumeFile')),
    defaultMode: int32(modeDescription),
  }),
  [C + 'DownwardAPIVolumeFile']: obj(
    'One file filled from a pod field or resource.',
    {
      path: str('Relative file path.'),
      fieldRef: ref(
        C + 'ObjectFieldSelector',
        'A pod field: metadata.name, metadata.namespace, metadata.uid, metadata.labels, metadata.annotations.',
      ),
      resourceFieldRef: ref(C + 'ResourceFieldSelector', 'A container resource limit or request.'),
      mode: int32('Permission bits for this file.'),
    },
    ['path'],
  ),
  [C + 'ProjectedVolumeSource']: obj('Several sources combined in one directory.', {
    sources: atomicList('The sources to combine.', ref(C + 'VolumeProjection')),
    defaultMode: int32(modeDescription),
  }),
  [C + 'VolumeProjection']: obj('One source of a projected volume; exactly one field.', {
    secret: ref(C + 'SecretProjection', 'Keys of a Secret.'),
    downwardAPI: ref(C + 'DownwardAPIProjection', 'Pod fields.'),
    configMap: ref(C + 'ConfigMapProjection', 'Keys of a ConfigMap.'),
    serviceAccountToken: ref(C + 'ServiceAccountTokenProjection', 'A token of the pod service account.'),
    clusterTrustBundle: preserve('Certificates of a ClusterTrustBundle.'),
    podCertificate: preserve('A certificate issued for the pod.'),
  }),
  [C + 'SecretProjection']: obj('Keys of a Secret in a projected volume.', {
    name: str('Name of the Secret.'),
    items: atomicList('Keys and paths; all keys when empty.', ref(C + 'KeyToPath')),
    optional: bool('When true, a missing Secret or key is not an error.'),
  }),
  [C + 'ConfigMapProjection']: obj('Keys of a ConfigMap in a projected volume.', {
    name: str('Name of the ConfigMap.'),
    items: atomicList('Keys and paths; all keys when empty.', ref(C + 'KeyToPath')),
    optional: bool('When true, a missing ConfigMap or key is not an error.'),
  }),
  [C + 'DownwardAPIProjection']: obj('Pod fields in a projected volume.', {
    items: atomicList('Files to create.', ref(C + 'DownwardAPIVolumeFile')),
  }),
  [C + 'ServiceAccountTokenProjection']: obj(
    'A service account token written to a file and refreshed before it expires.',
    {
      audience: str('Intended audience of the token; defaults to the API server.'),
      expirationSeconds: int64('Requested lifetime in seconds; defaults to one hour.'),
      path: str('Relative file path of the token.'),
    },
    ['path'],
  ),
  [C + 'CSIVolumeSource']: obj(
    'An inline volume provided by a CSI driver.',
    {
      driver: str('Name of the CSI driver.'),
      readOnly: bool('Mount read-only.'),
      fsType: str('Filesystem type, e.g. ext4.'),
      volumeAttributes: strMap('Driver-specific settings.'),
      nodePublishSecretRef: ref(C + 'LocalObjectReference', 'Secret with credentials for the driver.'),
    },
    ['driver'],
  ),
  [C + 'EphemeralVolumeSource']: obj('A volume claim created for the pod and deleted with it.', {
    volumeClaimTemplate: ref(C + 'PersistentVolumeClaimTemplate', 'Template of the claim to create.'),
  }),
  [C + 'PersistentVolumeClaimTemplate']: obj(
    'Template of a PersistentVolumeClaim.',
    {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'Labels and annotations of the claim.'),
      spec: ref(C + 'PersistentVolumeClaimSpec', 'Specification of the claim.'),
    },
    ['spec'],
  ),
  [C + 'ImageVolumeSource']: obj('An OCI image or artifact mounted read-only.', {
    reference: str('Image reference, like a container image.'),
    pullPolicy: str('Always, Never or IfNotPresent.'),
  }),
};
