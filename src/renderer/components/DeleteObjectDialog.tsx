// Asking before an object is deleted: what goes, and the cluster's sentence if it refuses.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeResource } from '../api/kubeResources';
import { kubeDelete } from '../api/kubeWrite';
import { Icon } from '../shell/icons';
import { Dialog } from './Dialog';
import { ErrorNote } from './ErrorNote';

/** DeleteObjectDialog deletes one object after a confirmation. */
export function DeleteObjectDialog({
  cluster,
  resource,
  namespace,
  name,
  noun,
  body,
  propagationPolicy,
  onClose,
  onDeleted,
}: {
  cluster: string;
  resource: KubeResource;
  namespace?: string;
  name: string;
  /** What it is, in words: "service", "deployment". */
  noun: string;
  /** What deleting it does, when more than "it is deleted". */
  body?: string;
  /** 'Background' also deletes what the object owns (a workload's pods). */
  propagationPolicy?: 'Background';
  onClose(): void;
  onDeleted(): void;
}) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await kubeDelete(cluster, resource, namespace, name, propagationPolicy);
      onDeleted();
    } catch (err) {
      setError(err);
      setRunning(false);
    }
  };
  return (
    <Dialog
      title={t('object.delete.title', { noun, name })}
      onClose={onClose}
      closable={!running}
      testId="delete-object-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" onClick={() => void run()} disabled={running} data-testid="delete-object-confirm">
            <Icon name="trash" />
            {running ? t('object.delete.deleting') : t('object.delete.submit')}
          </button>
        </>
      }
    >
      <p>{namespace ? t('object.delete.body', { noun, name, namespace }) : t('object.delete.bodyCluster', { noun, name })}</p>
      {body && <p>{body}</p>}
      {error !== undefined && <ErrorNote error={error} />}
    </Dialog>
  );
}
