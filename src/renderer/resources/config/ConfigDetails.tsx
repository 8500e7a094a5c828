// The details of one config map, secret, claim, volume or storage class beside its
// list, live: the data (secrets masked until revealed, editable per key) or the
// storage facts, events, labels and annotations, and YAML.
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../../shared/api/meta';
import { useKubeObject } from '../../api/kubeObject';
import { kubeResources } from '../../api/kubeResources';
import { kubeMergePatch } from '../../api/kubeWrite';
import { DeleteObjectDialog } from '../../components/DeleteObjectDialog';
import { MetadataSection } from '../../components/MetadataSection';
import { ObjectEvents } from '../../components/ObjectEvents';
import { Field, ObjectDrawer } from '../../components/ObjectDrawer';
import { StateBadge } from '../../components/StateBadge';
import { YamlView } from '../../components/YamlView';
import { ageOf } from '../../format';
import { Icon } from '../../shell/icons';
import { useNow } from '../../shell/useNow';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, StorageClass } from '../kubeTypes';
import { accessModesText, claimCapacity, isDefaultStorageClass, phaseTone, volumeClaim } from './configInfo';
import { clusterScoped, type ConfigKind } from './configColumns';
import { DataEntries } from './DataEntries';

function Facts({ kind, object, now }: { kind: ConfigKind; object: KubeObject; now: number }) {
  const { t } = useTranslation();
  const fields: ReactNode[] = [];
  const add = (key: string, label: string, value: ReactNode) =>
    fields.push(
      <Field key={key} label={label}>
        {value ?? <span className="muted">—</span>}
      </Field>,
    );
  if (kind === 'secrets') add('type', t('config.columns.type'), (object as Secret).type ?? 'Opaque');
  if (kind === 'configmaps' || kind === 'secrets') {
    add('immutable', t('config.immutable'), (object as ConfigMap).immutable ? t('config.yes') : t('config.no'));
  }
  if (kind === 'persistentvolumeclaims') {
    const pvc = object as PersistentVolumeClaim;
    add('status', t('config.columns.status'), <StateBadge tone={phaseTone(pvc.status?.phase)} text={pvc.status?.phase ?? 'Pending'} />);
    add('volume', t('config.columns.volume'), pvc.spec?.volumeName);
    add('capacity', t('config.columns.capacity'), claimCapacity(pvc));
    add('access', t('config.columns.accessModes'), accessModesText(pvc.spec?.accessModes) || undefined);
    add('class', t('config.columns.storageClass'), pvc.spec?.storageClassName ?? undefined);
    add('mode', t('config.volumeMode'), pvc.spec?.volumeMode ?? 'Filesystem');
  }
  if (kind === 'persistentvolumes') {
    const pv = object as PersistentVolume;
    add('status', t('config.columns.status'), <StateBadge tone={phaseTone(pv.status?.phase)} text={pv.status?.phase ?? 'Pending'} />);
    add('claim', t('config.columns.claim'), volumeClaim(pv));
    add('capacity', t('config.columns.capacity'), pv.spec?.capacity?.storage);
    add('access', t('config.columns.accessModes'), accessModesText(pv.spec?.accessModes) || undefined);
    add('reclaim', t('config.columns.reclaimPolicy'), pv.spec?.persistentVolumeReclaimPolicy);
    add('class', t('config.columns.storageClass'), pv.spec?.storageClassName);
    if (pv.spec?.hostPath?.path) add('path', t('config.hostPath'), <span className="mono">{pv.spec.hostPath.path}</span>);
    if (pv.status?.message) add('message', t('podDetails.message'), pv.status.message);
  }
  if (kind === 'storageclasses') {
    const sc = object as StorageClass;
    add('default', t('config.default'), isDefaultStorageClass(sc) ? t('config.yes') : t('config.no'));
    add('provisioner', t('config.columns.provisioner'), <span className="mono">{sc.provisioner}</span>);
    add('reclaim', t('config.columns.reclaimPolicy'), sc.reclaimPolicy ?? 'Delete');
    add('binding', t('config.columns.bindingMode'), sc.volumeBindingMode ?? 'Immediate');
    add('expansion', t('config.columns.expansion'), sc.allowVolumeExpansion ? t('config.yes') : t('config.no'));
  }
  add('created', t('podDetails.created'), object.metadata.creationTimestamp ? t('podDetails.ago', { age: ageOf(object.metadata.creationTimestamp, now) }) : undefined);
  return <dl className="kv-grid summary">{fields}</dl>;
}

/** ConfigDetails shows one config or storage object, live, in a panel beside its list. */
export function ConfigDetails({
  cluster,
  kind,
  namespace,
  name,
  onClose,
}: {
  cluster: string;
  kind: ConfigKind;
  /** undefined for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const now = useNow(10_000);
  const view = useKubeObject<KubeObject>(cluster, kind, namespace, name);
  const [deleting, setDeleting] = useState(false);
  const object = view.object;
  const resource = kubeResources[kind];
  const save = (patch: unknown) => kubeMergePatch(cluster, resource, namespace, name, patch);
  const noun = t(`config.noun.${kind}`);
  const clusterWide = clusterScoped.has(kind);

  const body = () =>
    object && (
      <>
        <Facts kind={kind} object={object} now={now} />
        {(kind === 'configmaps' || kind === 'secrets') && (
          <>
            <h3 className="section-title">{t('config.data.title')}</h3>
            <DataEntries
              kind={kind === 'secrets' ? 'secret' : 'configmap'}
              data={(object as ConfigMap).data}
              binaryKeys={kind === 'configmaps' ? Object.keys((object as ConfigMap).binaryData ?? {}) : []}
              onPatch={save}
              testId="config-data"
            />
          </>
        )}
        {kind === 'persistentvolumeclaims' && (
          <>
            <h3 className="section-title">{t('podDetails.events')}</h3>
            <ObjectEvents cluster={cluster} object={object} now={now} />
          </>
        )}
        <MetadataSection object={object} save={save} testId="config" />
      </>
    );

  return (
    <>
      <ObjectDrawer
        name={name}
        subtitle={clusterWide ? t('config.clusterWide', { kind: resource.kind }) : t('workloads.inNamespace', { kind: resource.kind, namespace: namespace ?? '' })}
        label={t('workloads.label', { kind: resource.kind, name })}
        testId="config-details"
        state={object ? 'loaded' : view.gone ? 'gone' : 'loading'}
        goneText={clusterWide ? t('object.goneCluster', { name }) : t('object.gone', { name, namespace: namespace ?? '' })}
        error={view.error}
        onClose={onClose}
        actions={
          <button type="button" className="button small danger-quiet" onClick={() => setDeleting(true)} data-testid="config-delete">
            <Icon name="trash" />
            {t('podDetails.delete')}
          </button>
        }
        tabs={[
          { id: 'details', label: t('podDetails.tab.details'), render: body },
          // A secret's YAML would show every value at once; its data tab reveals them one by one.
          ...(kind === 'secrets' ? [] : [{ id: 'yaml', label: t('podDetails.tab.yaml'), render: () => object && <YamlView object={object} testId="config-yaml" edit={{ cluster, resource }} /> }]),
        ]}
      />
      {deleting && (
        <DeleteObjectDialog
          cluster={cluster}
          resource={resource}
          namespace={namespace}
          name={name}
          noun={noun}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            setDeleting(false);
            onClose();
          }}
        />
      )}
    </>
  );
}
