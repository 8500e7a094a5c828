// Writing YAML to a cluster: one or many documents in a code editor, applied with
// server-side apply (or, when editing one object, saved over it). A dry run shows
// what the cluster would store, defaults filled in; whatever the cluster refuses is
// marked at the line of the field it names and listed under the editor.
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/api/meta';
import type { KubeResource } from '../api/kubeResources';
import {
  applyManifests,
  type ApplyMode,
  discoveryResolver,
  documentSource,
  type DocumentResult,
  manifestDiagnostics,
  parseManifests,
  problemDiagnostics,
} from '../api/manifests';
import { lineOf } from '../api/yamlPaths';
import { starterManifests } from '../resources/workloads/examples';
import { Icon } from '../shell/icons';
import { Dialog } from './Dialog';
import { ErrorNote } from './ErrorNote';
import type { YamlEditorHandle } from './YamlEditor';

// CodeMirror is loaded the first time an editor opens, so the app starts without it.
const YamlEditor = lazy(() => import('./YamlEditor').then((m) => ({ default: m.YamlEditor })));
import { yamlProblemText } from './YamlField';

/** AppliedObject is one object the cluster stored. */
export interface AppliedObject {
  object: KubeObject;
  resource: KubeResource;
}

interface Outcome {
  results: DocumentResult[];
  /** The documents' texts when these results came: a refusal is shown until its document changes. */
  sources: string[];
  dryRun: boolean;
}

function objectLabel(object: KubeObject | undefined): string {
  if (!object) return '';
  return `${object.kind ?? ''} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? object.metadata.generateName ?? ''}`.trim();
}

/** previewYaml is what a dry run would store, as one YAML text without managedFields. */
export function previewYaml(results: DocumentResult[]): string {
  return results
    .flatMap((r) => {
      if (!r.ok) return [];
      const { managedFields: _managed, ...metadata } = r.object.metadata;
      return [stringify({ ...r.object, metadata }, { lineWidth: 0 })];
    })
    .join('---\n');
}

/** ManifestDialog edits YAML and applies it to a cluster, with a dry-run preview. */
export function ManifestDialog({
  cluster,
  namespace,
  title,
  initial,
  mode,
  gallery = false,
  testId,
  textTestId,
  submitTestId,
  onClose,
  onDone,
}: {
  cluster: string;
  /** Where namespaced objects without a namespace go. */
  namespace: string;
  title: string;
  initial: string;
  /** 'apply' creates or updates every document; 'replace' saves one edited object over itself. */
  mode: Extract<ApplyMode, 'apply' | 'replace'>;
  /** Offer the starter manifests. */
  gallery?: boolean;
  testId: string;
  textTestId?: string;
  submitTestId?: string;
  onClose(): void;
  onDone(applied: AppliedObject[]): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState<'apply' | 'preview'>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [error, setError] = useState<unknown>();
  const [editor, setEditor] = useState<YamlEditorHandle>();
  const [cronJobs, setCronJobs] = useState(false);
  const entries = useMemo(() => parseManifests(text), [text]);
  const original = useMemo(() => (mode === 'replace' ? parseManifests(initial).map((e) => e.object) : undefined), [mode, initial]);
  const current = outcome && outcome.sources.length === entries.length ? outcome : undefined;
  const problems = useMemo(() => {
    const local = problemDiagnostics(text, entries, (p) => yamlProblemText(t, p));
    if (!current) return local;
    const unchanged = current.results.filter((r) => documentSource(text, entries[r.index]) === current.sources[r.index]);
    return [...local, ...manifestDiagnostics(text, entries, unchanged)];
  }, [text, entries, current, t]);
  const sendable = entries.length > 0 && entries.every((e) => e.object);

  useEffect(() => {
    if (!gallery) return;
    let live = true;
    void discoveryResolver(cluster)('batch/v1', 'CronJob')
      .then((found) => live && setCronJobs(found !== undefined))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [gallery, cluster]);

  const run = async (dryRun: boolean) => {
    if (!sendable || busy) return;
    setBusy(dryRun ? 'preview' : 'apply');
    setError(undefined);
    try {
      const results = await applyManifests(entries, { cluster, namespace, mode, dryRun, original });
      setOutcome({ results, sources: entries.map((e) => documentSource(text, e)), dryRun });
      if (!dryRun && results.every((r) => r.ok)) {
        onDone(results.flatMap((r) => (r.ok ? [{ object: r.object, resource: r.resource }] : [])));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const starters = starterManifests.filter((s) => s.id !== 'cronjob' || cronJobs);
  const applied = current && !current.dryRun ? current.results.filter((r) => r.ok) : [];
  const preview = current?.dryRun && current.results.every((r) => r.ok) ? previewYaml(current.results) : undefined;
  const previewRef = useRef<HTMLDivElement>(null);
  // The preview opens below the editor, out of sight in a short window: bring it into view.
  useEffect(() => {
    if (preview !== undefined) previewRef.current?.scrollIntoView({ block: 'nearest' });
  }, [preview]);

  return (
    <Dialog
      title={title}
      onClose={onClose}
      closable={busy === undefined}
      size="wide"
      testId={testId}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy !== undefined}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button" onClick={() => void run(true)} disabled={!sendable || busy !== undefined} data-testid="yaml-preview">
            <Icon name="search" />
            {busy === 'preview' ? t('yaml.previewing') : t('yaml.preview')}
          </button>
          <button
            type="submit"
            form="manifest-form"
            className="button primary"
            disabled={!sendable || busy !== undefined}
            data-testid={submitTestId ?? 'yaml-apply'}
          >
            {mode === 'replace' ? (busy === 'apply' ? t('yaml.saving') : t('yaml.save')) : busy === 'apply' ? t('yaml.applying') : t('yaml.apply')}
          </button>
        </>
      }
    >
      <form
        id="manifest-form"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(false);
        }}
        noValidate
      >
        {gallery && (
          <div className="manifest-toolbar">
            <label className="manifest-gallery">
              <span>{t('yaml.gallery.label')}</span>
              <select
                className="input"
                value=""
                onChange={(e) => {
                  const starter = starters.find((s) => s.id === e.target.value);
                  if (starter) {
                    setText(starter.yaml(namespace));
                    setOutcome(undefined);
                  }
                }}
                data-testid="yaml-gallery"
              >
                <option value="">{t('yaml.gallery.choose')}</option>
                {starters.map((s) => (
                  <option key={s.id} value={s.id}>
                    {t(`yaml.gallery.${s.id}`)}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted small">{t('yaml.applyHint')}</span>
          </div>
        )}
        <Suspense fallback={<p className="muted">{t('yaml.loadingEditor')}</p>}>
          <YamlEditor value={text} onChange={setText} problems={problems} label={t('yaml.label')} testId={textTestId} handle={setEditor} />
        </Suspense>
        {problems.length > 0 && (
          <ul className="manifest-problems" data-testid="yaml-problems" aria-label={t('yaml.problemsTitle')}>
            {problems.map((p, i) => (
              <li key={`${p.from}-${i}`}>
                <button type="button" className="link-button" onClick={() => editor?.focusAt(p.from)} data-testid="yaml-problem">
                  <Icon name="warning" size={14} />
                  {t('yaml.problemAt', { line: lineOf(text, p.from), message: p.message })}
                </button>
              </li>
            ))}
          </ul>
        )}
        {applied.length > 0 && (
          <ul className="manifest-results" data-testid="yaml-results">
            {applied.map((r) => r.ok && (
              <li key={r.index} className="text-ok">
                {t(`yaml.result.${r.action}`, { object: objectLabel(r.object) })}
              </li>
            ))}
            <li className="muted">{t('yaml.appliedSome')}</li>
          </ul>
        )}
        {preview !== undefined && (
          <div className="manifest-preview" ref={previewRef} data-testid="yaml-preview-result">
            <h3 className="section-title">{t('yaml.previewTitle')}</h3>
            <p className="muted small">{t('yaml.previewNote')}</p>
            <pre className="yaml manifest-preview-text" data-testid="yaml-preview-text" tabIndex={0}>
              {preview}
            </pre>
          </div>
        )}
        {error !== undefined && <ErrorNote error={error} testId="create-yaml-error" />}
      </form>
    </Dialog>
  );
}
