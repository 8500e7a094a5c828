// Creating objects from YAML: typed, pasted or started from the gallery, one or many
// documents, applied with server-side apply; what the cluster refuses is marked at
// its line.
import { useTranslation } from 'react-i18next';
import type { KubeObject } from '../../shared/api/meta';
import type { KubeResource } from '../api/kubeResources';
import { workloadKinds } from '../resources/workloads/workloadColumns';
import { ManifestDialog } from './ManifestDialog';

/** CreateYamlDialog applies the objects a YAML text describes. */
export function CreateYamlDialog({
  cluster,
  namespace,
  title,
  initial,
  onClose,
  onCreated,
}: {
  cluster: string;
  /** Where namespaced objects without a namespace go. */
  namespace: string;
  title: string;
  /** A starting document, e.g. an example deployment. */
  initial: string;
  onClose(): void;
  /** Called once everything was applied, with the first workload (or else the first object). */
  onCreated(object: KubeObject, resource: KubeResource): void;
}) {
  const { t } = useTranslation();
  return (
    <ManifestDialog
      cluster={cluster}
      namespace={namespace}
      title={title || t('yaml.applyTitle')}
      initial={initial}
      mode="apply"
      gallery
      testId="create-yaml-dialog"
      textTestId="create-yaml-text"
      submitTestId="create-yaml-submit"
      onClose={onClose}
      onDone={(applied) => {
        const first = applied.find((a) => (workloadKinds as readonly string[]).includes(a.resource.resource)) ?? applied[0];
        if (first) onCreated(first.object, first.resource);
        else onClose();
      }}
    />
  );
}
