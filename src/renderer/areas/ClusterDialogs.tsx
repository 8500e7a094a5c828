// The dialogs behind the cluster actions that need a word from people first:
// delete (type the name to confirm), snapshot and restore (a file on the engine's
// machine). Each shows the engine's progress and answers plainly.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deleteCluster, restoreCluster, snapshotCluster, type SnapshotResult } from '../api/clusterActions';
import { beginOperation, endOperation, useProgress } from '../api/engineStatus';
import { runKey } from '../api/progressLog';
import { Dialog } from '../components/Dialog';
import { ErrorNote } from '../components/ErrorNote';
import { ProgressSteps } from '../components/ProgressSteps';
import { Icon } from '../shell/icons';
import { defaultSnapshotPath, formatBytes } from './snapshotPath';

/** DeleteClusterDialog deletes a cluster once people type its name. */
export function DeleteClusterDialog({ name, onClose }: { name: string; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const progress = useProgress();
  const [typed, setTyped] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const matches = typed === name;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches || running) return;
    setRunning(true);
    setError(undefined);
    beginOperation(queryClient, 'delete', name);
    try {
      await deleteCluster(name);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      endOperation(queryClient, 'delete', name);
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={t('deleteCluster.title', { name })}
      onClose={onClose}
      closable={!running}
      testId="delete-cluster-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="delete-cluster-form"
            className="button danger"
            disabled={!matches || running}
            data-testid="delete-cluster-confirm"
          >
            <Icon name="trash" />
            {running ? t('deleteCluster.deleting') : t('deleteCluster.submit')}
          </button>
        </>
      }
    >
      <form id="delete-cluster-form" className="form" onSubmit={(e) => void submit(e)}>
        <p>{t('deleteCluster.body', { name })}</p>
        <div className="field">
          <label htmlFor="delete-cluster-name">{t('deleteCluster.typeName', { name })}</label>
          <input
            id="delete-cluster-name"
            className="input"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            disabled={running}
            data-testid="delete-cluster-input"
          />
        </div>
        {running && <ProgressSteps run={progress[runKey('delete', name)]} />}
        {error !== undefined && <ErrorNote error={error} />}
      </form>
    </Dialog>
  );
}

const lastSnapshotKey = (cluster: string) => `wheelhouse.lastSnapshot.${cluster}`;

function lastSnapshot(cluster: string): string | undefined {
  try {
    return window.localStorage.getItem(lastSnapshotKey(cluster)) ?? undefined;
  } catch {
    return undefined;
  }
}

function rememberSnapshot(cluster: string, file: string): void {
  try {
    window.localStorage.setItem(lastSnapshotKey(cluster), file);
  } catch {
    // Only the suggestion for the next restore is lost.
  }
}

/** SnapshotDialog writes a snapshot of a cluster's store to a file on the engine's machine. */
export function SnapshotDialog({ name, dataDir, onClose }: { name: string; dataDir: string; onClose(): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState(() => defaultSnapshotPath(dataDir, name, new Date()));
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<SnapshotResult>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (running || file.trim() === '') return;
    setRunning(true);
    setError(undefined);
    try {
      const written = await snapshotCluster(name, file.trim());
      rememberSnapshot(name, written.file);
      setResult(written);
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={t('snapshot.title', { name })}
      onClose={onClose}
      closable={!running}
      size="wide"
      testId="snapshot-dialog"
      footer={
        result ? (
          <button type="button" className="button primary" onClick={onClose}>
            {t('common.done')}
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={running}>
              {t('common.cancel')}
            </button>
            <button type="submit" form="snapshot-form" className="button primary" disabled={running || file.trim() === ''}>
              <Icon name="snapshot" />
              {running ? t('snapshot.writing') : t('snapshot.submit')}
            </button>
          </>
        )
      }
    >
      <form id="snapshot-form" className="form" onSubmit={(e) => void submit(e)}>
        <p>{t('snapshot.body')}</p>
        <div className="field">
          <label htmlFor="snapshot-file">{t('snapshot.file')}</label>
          <input
            id="snapshot-file"
            className="input mono"
            value={file}
            onChange={(e) => setFile(e.target.value)}
            spellCheck={false}
            disabled={running || result !== undefined}
            data-testid="snapshot-file"
          />
          <p className="field-help">{t('snapshot.fileHelp')}</p>
        </div>
        {result && (
          <p className="result ok" data-testid="snapshot-result">
            <Icon name="check" />
            {t('snapshot.written', { file: result.file, size: formatBytes(result.bytes) })}
          </p>
        )}
        {error !== undefined && <ErrorNote error={error} />}
      </form>
    </Dialog>
  );
}

/** RestoreDialog replaces a cluster's store with a snapshot file, showing the engine's steps. */
export function RestoreDialog({ name, onClose }: { name: string; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const progress = useProgress();
  const [file, setFile] = useState(() => lastSnapshot(name) ?? '');
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (running || file.trim() === '') return;
    setRunning(true);
    setError(undefined);
    beginOperation(queryClient, 'restore', name);
    try {
      await restoreCluster(name, file.trim());
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      endOperation(queryClient, 'restore', name);
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={t('restore.title', { name })}
      onClose={onClose}
      closable={!running}
      size="wide"
      testId="restore-dialog"
      footer={
        done ? (
          <button type="button" className="button primary" onClick={onClose}>
            {t('common.done')}
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={running}>
              {t('common.cancel')}
            </button>
            <button type="submit" form="restore-form" className="button danger" disabled={running || file.trim() === ''}>
              <Icon name="restore" />
              {running ? t('restore.restoring') : t('restore.submit')}
            </button>
          </>
        )
      }
    >
      <form id="restore-form" className="form" onSubmit={(e) => void submit(e)}>
        <p>{t('restore.body', { name })}</p>
        <div className="field">
          <label htmlFor="restore-file">{t('restore.file')}</label>
          <input
            id="restore-file"
            className="input mono"
            value={file}
            onChange={(e) => setFile(e.target.value)}
            spellCheck={false}
            placeholder={t('restore.placeholder')}
            disabled={running || done}
            data-testid="restore-file"
          />
        </div>
        {(running || done) && <ProgressSteps run={progress[runKey('restore', name)]} />}
        {done && (
          <p className="result ok">
            <Icon name="check" />
            {t('restore.done', { name })}
          </p>
        )}
        {error !== undefined && <ErrorNote error={error} />}
      </form>
    </Dialog>
  );
}
