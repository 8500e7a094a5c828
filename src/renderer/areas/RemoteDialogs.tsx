// Remote clusters from the window: import kubeconfig contexts (from ~/.kube/config,
// another file on the engine's machine, or pasted text) with a checkbox per context,
// and forget a remote cluster again. The engine reads and checks the kubeconfig;
// contexts it cannot use arrive with the reason, shown beside them.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeconfigContextList, KubeconfigSource } from '../../shared/gateway';
import { forgetRemoteCluster, importRemoteClusters, listKubeconfigContexts } from '../api/remoteActions';
import { Dialog } from '../components/Dialog';
import { ErrorNote } from '../components/ErrorNote';
import { Icon } from '../shell/icons';
import { maxClusterNameLength } from '../state/clusterForm';
import { importRequest, initialChoices, nameIssues, type ImportChoice } from '../state/remoteImport';

type SourceKind = 'default' | 'file' | 'paste';

function sourceOf(kind: SourceKind, path: string, text: string): KubeconfigSource {
  if (kind === 'file') return { path: path.trim() };
  if (kind === 'paste') return { kubeconfig: text };
  return {};
}

/** ImportKubeconfigDialog lists a kubeconfig's contexts with checkboxes and imports the ticked ones. */
export function ImportKubeconfigDialog({ existing, onClose }: { existing: readonly string[]; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<SourceKind>('default');
  const [path, setPath] = useState('');
  const [text, setText] = useState('');
  const [list, setList] = useState<{ source: KubeconfigSource; contexts: KubeconfigContextList }>();
  const [choices, setChoices] = useState<ImportChoice[]>([]);
  const [reading, setReading] = useState(false);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<unknown>();

  const read = async (source: KubeconfigSource) => {
    setReading(true);
    setError(undefined);
    setList(undefined);
    try {
      const contexts = await listKubeconfigContexts(source);
      setList({ source, contexts });
      setChoices(initialChoices(contexts.contexts));
    } catch (err) {
      setError(err);
    } finally {
      setReading(false);
    }
  };

  // The default kubeconfig is what most people import from, so it is read at once.
  useEffect(() => {
    void read({});
  }, []);

  const issues = nameIssues(choices, existing);
  const chosen = choices.filter((c) => c.chosen);
  const canRead = !reading && !importing && (kind === 'default' || (kind === 'file' ? path.trim() !== '' : text.trim() !== ''));
  const canImport = list !== undefined && chosen.length > 0 && issues.size === 0 && !importing;

  const update = (context: string, change: Partial<ImportChoice>) =>
    setChoices((all) => all.map((c) => (c.context === context ? { ...c, ...change } : c)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!list || !canImport) return;
    setImporting(true);
    setError(undefined);
    try {
      await importRemoteClusters(importRequest(list.source, choices));
      await queryClient.invalidateQueries();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setImporting(false);
    }
  };

  return (
    <Dialog
      title={t('remote.import.title')}
      onClose={onClose}
      closable={!importing}
      size="wide"
      testId="import-kubeconfig-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={importing}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="import-kubeconfig-form" className="button primary" disabled={!canImport} data-testid="import-kubeconfig-submit">
            {importing ? t('remote.import.importing') : t('remote.import.submit', { count: chosen.length })}
          </button>
        </>
      }
    >
      <form id="import-kubeconfig-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">{t('remote.import.intro')}</p>
        <fieldset className="field choice-group">
          <legend>{t('remote.import.source')}</legend>
          {(['default', 'file', 'paste'] as const).map((k) => (
            <label key={k} className={kind === k ? 'choice selected' : 'choice'}>
              <input type="radio" name="kubeconfig-source" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`kubeconfig-source-${k}`} />
              <span className="choice-text">
                <span className="strong">{t(`remote.import.sources.${k}`)}</span>
                <span className="muted small">{t(`remote.import.sourceHelp.${k}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {kind === 'file' && (
          <div className="field">
            <label htmlFor="kubeconfig-path">{t('remote.import.path')}</label>
            <input
              id="kubeconfig-path"
              className="input mono"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/home/me/.kube/other-config"
              spellCheck={false}
              autoComplete="off"
              data-testid="kubeconfig-path"
            />
          </div>
        )}
        {kind === 'paste' && (
          <div className="field">
            <label htmlFor="kubeconfig-text">{t('remote.import.paste')}</label>
            <textarea
              id="kubeconfig-text"
              className="input mono"
              rows={8}
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="apiVersion: v1\nkind: Config\n…"
              spellCheck={false}
              data-testid="kubeconfig-text"
            />
          </div>
        )}
        <div>
          <button type="button" className="button small" onClick={() => void read(sourceOf(kind, path, text))} disabled={!canRead} data-testid="kubeconfig-read">
            <Icon name="refresh" />
            {reading ? t('remote.import.reading') : t('remote.import.read')}
          </button>
        </div>
        {list && (
          <div className="field">
            <span className="field-label">{t('remote.import.contextsIn', { source: list.contexts.source })}</span>
            <div className="table-wrap import-contexts">
              <table className="table" aria-label={t('remote.import.contexts')} data-testid="kubeconfig-contexts">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">{t('remote.import.columns.import')}</span>
                    </th>
                    <th scope="col">{t('remote.import.columns.context')}</th>
                    <th scope="col">{t('remote.import.columns.server')}</th>
                    <th scope="col">{t('remote.import.columns.namespace')}</th>
                    <th scope="col">{t('remote.import.columns.name')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.contexts.contexts.map((context) => {
                    const choice = choices.find((c) => c.context === context.name)!;
                    const issue = issues.get(context.name);
                    const checkboxId = `import-context-${context.name}`;
                    return (
                      <tr key={context.name} data-testid={`kubeconfig-context-${context.name}`}>
                        <td className="check">
                          <input
                            id={checkboxId}
                            type="checkbox"
                            checked={choice.chosen}
                            disabled={context.problem !== undefined || importing}
                            onChange={(e) => update(context.name, { chosen: e.target.checked })}
                            data-testid="kubeconfig-context-check"
                          />
                        </td>
                        <td className="wrap">
                          <label htmlFor={checkboxId} className="strong">
                            {context.name}
                          </label>
                          {context.current && <span className="tag">{t('remote.import.current')}</span>}
                          {context.problem && <div className="cell-detail text-warn">{context.problem}</div>}
                        </td>
                        <td className="mono small wrap">{context.server ?? '—'}</td>
                        <td>{context.namespace ?? <span className="muted">{t('remote.import.allNamespaces')}</span>}</td>
                        <td>
                          <input
                            className={issue ? 'input invalid' : 'input'}
                            value={choice.name}
                            onChange={(e) => update(context.name, { name: e.target.value })}
                            disabled={!choice.chosen || importing}
                            aria-label={t('remote.import.nameFor', { contextName: context.name })}
                            aria-invalid={issue ? true : undefined}
                            spellCheck={false}
                            autoComplete="off"
                            data-testid="kubeconfig-context-name"
                          />
                          {issue && <div className="field-help invalid">{t(`remote.import.nameIssue.${issue}`, { max: maxClusterNameLength })}</div>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p className="field-help">{t('remote.import.credentialsNote')}</p>
          </div>
        )}
        {error !== undefined && <ErrorNote error={error} testId="import-kubeconfig-error" />}
      </form>
    </Dialog>
  );
}

/** ForgetRemoteDialog forgets a remote cluster once people confirm; the cluster itself is not touched. */
export function ForgetRemoteDialog({ name, onClose }: { name: string; onClose(): void }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();

  const forget = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await forgetRemoteCluster(name);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={t('remote.forget.title', { name })}
      onClose={onClose}
      closable={!running}
      testId="forget-remote-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={running}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button danger" onClick={() => void forget()} disabled={running} data-testid="forget-remote-confirm">
            <Icon name="trash" />
            {running ? t('remote.forget.forgetting') : t('remote.forget.submit')}
          </button>
        </>
      }
    >
      <p>{t('remote.forget.body', { name })}</p>
      {error !== undefined && <ErrorNote error={error} />}
    </Dialog>
  );
}
