// Schemas of persistent storage: PersistentVolumeClaim (also used by StatefulSet
// templates and ephemeral volumes) and PersistentVolume.
import type { Definitions } from './schema';
import {
  atomicList,
  conditionList,
  coreV1,
  enumStr,
  kindSchema,
  obj,
  preserve,
  quantityMap,
  ref,
  str,
  strList,
  strMap,
  time,
  bool,
} from './schema';
import { legacyVolumeSources } from './volumeSchemas';
import { conditionSchema } from './metaSchemas';

const C = coreV1;

/** accessModes are the supported volume access modes. */
export const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** persistentVolumeSources lists the source fields a PersistentVolume may use (exactly one). */
export const persistentVolumeSources = [
  'hostPath',
  'local',
  'nfs',
  'csi',
  ...legacyVolumeSources.filter((s) => s !== 'gitRepo'),
];

/** claimProperties are the top-level fields of a PersistentVolumeClaim. */
export const claimProperties = {
  spec: ref(C + 'PersistentVolumeClaimSpec', 'What storage is requested.'),
  status: ref(C + 'PersistentVolumeClaimStatus', 'Binding state and the capacity actually provided.'),
};

/** storageDefinitions are the PV and PVC schemas. */
export const storageDefinitions: Definitions = {
  [C + 'PersistentVolumeClaim']: kindSchema(
    { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
    'A request for storage by a user; bound to a PersistentVolume that satisfies it.',
    claimProperties,
  ),
  [C + 'PersistentVolumeClaimSpec']: obj('The storage a claim asks for.', {
    accessModes: strList(
      'How the volume may be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.',
    ),
    selector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', 'Labels the bound volume must have.'),
    resources: ref(C + 'VolumeResourceRequirements', 'Minimum size (requests.storage) and optional limits.'),
    volumeName: str('Name of the PersistentVolume to bind to, when chosen up front.'),
    storageClassName: str(
      'StorageClass that provisions the volume; empty string means none, absent means the default.',
    ),
    volumeMode: enumStr('Filesystem (the default) or Block.', ['Block', 'Filesystem']),
    dataSource: ref(C + 'TypedLocalObjectReference', 'A snapshot or claim to copy data from.'),
    dataSourceRef: ref(C + 'TypedObjectReference', 'Like dataSource, also allowing other namespaces and kinds.'),
    volumeAttributesClassName: str('VolumeAttributesClass to apply to the volume.'),
  }),
  [C + 'VolumeResourceRequirements']: obj('Storage size requested and allowed.', {
    limits: quantityMap('Most storage allowed.'),
    requests: quantityMap('Storage requested, e.g. storage: 1Gi.'),
  }),
  [C + 'PersistentVolumeClaimStatus']: obj('Current state of a claim.', {
    phase: enumStr('Pending, Bound or Lost.', ['Bound', 'Lost', 'Pending']),
    accessModes: strList('Access modes of the bound volume.'),
    capacity: quantityMap('Capacity of the bound volume.'),
    conditions: conditionList('Current conditions, e.g. Resizing.', C + 'PersistentVolumeClaimCondition'),
    allocatedResources: quantityMap('Resources allocated to the claim, including resizes in progress.'),
    allocatedResourceStatuses: strMap('State of resize operations per resource.'),
    currentVolumeAttributesClassName: str('VolumeAttributesClass currently applied.'),
    modifyVolumeStatus: preserve('State of a volume modification in progress.'),
  }),
  [C + 'PersistentVolumeClaimCondition']: conditionSchema('One condition of a claim.', {
    lastProbeTime: 'When the condition was last checked.',
  }),
  [C + 'PersistentVolumeSpec']: obj(
    'A persistent volume: its capacity, source and policies. Exactly one source field is set.',
    {
      capacity: quantityMap('Size of the volume, e.g. storage: 10Gi.'),
      accessModes: strList('How the volume may be mounted.'),
      claimRef: ref(C + 'ObjectReference', 'The claim bound to this volume.'),
      persistentVolumeReclaimPolicy: enumStr('What happens when the claim is released: Retain, Delete or Recycle.', [
        'Delete',
        'Recycle',
        'Retain',
      ]),
      storageClassName: str('StorageClass the volume belongs to.'),
      mountOptions: strList('Mount options, e.g. ro or soft.'),
      volumeMode: enumStr('Filesystem (the default) or Block.', ['Block', 'Filesystem']),
      nodeAffinity: ref(C + 'VolumeNodeAffinity', 'Nodes the volume can be reached from.'),
      volumeAttributesClassName: str('VolumeAttributesClass of the volume.'),
      hostPath: ref(C + 'HostPathVolumeSource', 'A directory on a node (single-node testing only).'),
      local: ref(C + 'LocalVolumeSource', 'A local disk or directory of a node; needs nodeAffinity.'),
      nfs: ref(C + 'NFSVolumeSource', 'An NFS export.'),
      csi: ref(C + 'CSIPersistentVolumeSource', 'A volume managed by a CSI driver.'),
      ...Object.fromEntries(
        legacyVolumeSources
          .filter((s) => s !== 'gitRepo')
          .map((s) => [s, preserve(`The ${s} volume plugin (legacy; not checked field by field).`)]),
      ),
    },
  ),
  [C + 'PersistentVolumeStatus']: obj('Current state of a volume.', {
    phase: enumStr('Pending, Available, Bound, Released or Failed.', [
      'Available',
      'Bound',
      'Failed',
      'Pending',
      'Released',
    ]),
    message: str('Why the volume is in this phase, for people.'),
    reason: str('Short reason for a failure, in CamelCase.'),
    lastPhaseTransitionTime: time('When the phase last changed.'),
  }),
  [C + 'VolumeNodeAffinity']: obj('Nodes a volume is reachable from.', {
    required: ref(C + 'NodeSelector', 'Node terms the volume requires.'),
  }),
  [C + 'LocalVolumeSource']: obj(
    'A local disk, partition or directory.',
    { path: str('Full path on the node.'), fsType: str('Filesystem type, for block devices.') },
    ['path'],
  ),
  [C + 'CSIPersistentVolumeSource']: obj(
    'A volume managed by a CSI driver.',
    {
      driver: str('Name of the CSI driver.'),
      volumeHandle: str('Volume id the driver understands.'),
      readOnly: bool('Publish the volume read-only.'),
      fsType: str('Filesystem type, e.g. ext4.'),
      volumeAttributes: strMap('Driver-specific attributes.'),
      controllerPublishSecretRef: ref(C + 'SecretReference', 'Credentials for ControllerPublishVolume.'),
      nodeStageSecretRef: ref(C + 'SecretReference', 'Credentials for NodeStageVolume.'),
      nodePublishSecretRef: ref(C + 'SecretReference', 'Credentials for NodePublishVolume.'),
      controllerExpandSecretRef: ref(C + 'SecretReference', 'Credentials for ControllerExpandVolume.'),
      nodeExpandSecretRef: ref(C + 'SecretReference', 'Credentials for NodeExpandVolume.'),
    },
    ['driver', 'volumeHandle'],
  ),
};

/** claimTemplatesList is the StatefulSet volumeClaimTemplates field. */
export const claimTemplatesList = atomicList(
  'Claims each pod gets, named <template>-<statefulset>-<ordinal>; their names can be mounted as volumes.',
  ref(C + 'PersistentVolumeClaim'),
);
