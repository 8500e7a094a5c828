// Labels or annotations, shown and edited in place. Saving sends a JSON merge patch
// with only what changed, so a concurrent change to another key survives.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../shell/icons';
import { ErrorNote } from './ErrorNote';
import { LabelChips } from './LabelChips';
import { type KeyValueRow, type MetadataField, mapFrom, metadataMergePatch, rowProblems, rowsFrom } from './metadataPatch';

function problemText(t: (key: 'kv.problem.empty' | 'kv.problem.duplicate' | 'kv.problem.tooLong') => string, problem: string): string {
  if (problem === 'empty') return t('kv.problem.empty');
  if (problem === 'duplicate') return t('kv.problem.duplicate');
  if (problem === 'tooLong') return t('kv.problem.tooLong');
  return problem;
}

/** KeyValueEditor shows a metadata map and lets people edit it. */
export function KeyValueEditor({
  field,
  values,
  onSave,
  onPick,
  testId,
}: {
  field: MetadataField;
  values: Record<string, string> | undefined;
  /** Sends the merge patch; rejects with a sentence when the cluster refuses. */
  onSave(patch: unknown): Promise<unknown>;
  onPick?(key: string, value: string): void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<KeyValueRow[] | undefined>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  if (!rows) {
    const entries = rowsFrom(values);
    return (
      <div className="kv-view" data-testid={testId}>
        {field === 'labels' ? (
          <LabelChips labels={values} onPick={onPick} wrap />
        ) : entries.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <dl className="annotations">
            {entries.map((e) => (
              <div key={e.key} className="annotation">
                <dt className="mono">{e.key}</dt>
                <dd className="mono">{e.value}</dd>
              </div>
            ))}
          </dl>
        )}
        <button
          type="button"
          className="button small quiet-button"
          onClick={() => {
            setError(undefined);
            setRows([...rowsFrom(values), { key: '', value: '' }]);
          }}
          data-testid={testId ? `${testId}-edit` : undefined}
        >
          <Icon name="edit" />
          {t('kv.edit')}
        </button>
      </div>
    );
  }

  const problems = rowProblems(field, rows);
  const valid = problems.every((p) => p === undefined);
  const patch = metadataMergePatch(field, values, mapFrom(rows));
  const update = (index: number, change: Partial<KeyValueRow>) =>
    setRows((old) => old?.map((r, i) => (i === index ? { ...r, ...change } : r)));

  const save = async () => {
    if (!patch) {
      setRows(undefined);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await onSave(patch);
      setRows(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="kv-edit" data-testid={testId}>
      {rows.map((row, i) => {
        const problem = problems[i];
        return (
          <div className="kv-row" key={i}>
            <input
              className={problem?.key ? 'input mono invalid' : 'input mono'}
              value={row.key}
              onChange={(e) => update(i, { key: e.target.value })}
              placeholder={t('kv.key')}
              aria-label={t('kv.keyOf', { index: i + 1 })}
              aria-invalid={problem?.key ? true : undefined}
              spellCheck={false}
            />
            <span className="kv-eq" aria-hidden="true">
              {field === 'labels' ? '=' : ':'}
            </span>
            <input
              className={problem?.value ? 'input mono invalid' : 'input mono'}
              value={row.value}
              onChange={(e) => update(i, { value: e.target.value })}
              placeholder={t('kv.value')}
              aria-label={t('kv.valueOf', { index: i + 1 })}
              aria-invalid={problem?.value ? true : undefined}
              spellCheck={false}
            />
            <button
              type="button"
              className="icon-button quiet"
              onClick={() => setRows((old) => old?.filter((_, j) => j !== i))}
              title={t('kv.remove')}
              aria-label={t('kv.remove')}
            >
              <Icon name="close" size={14} />
            </button>
            {problem && (
              <p className="field-help invalid kv-problem">
                {problemText(t, (problem.key ?? problem.value) as string)}
              </p>
            )}
          </div>
        );
      })}
      <div className="kv-actions">
        <button type="button" className="button small" onClick={() => setRows((old) => [...(old ?? []), { key: '', value: '' }])}>
          <Icon name="plus" />
          {t('kv.add')}
        </button>
        <div className="toolbar-spacer" />
        <button type="button" className="button small" onClick={() => setRows(undefined)} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button small primary"
          onClick={() => void save()}
          disabled={!valid || saving}
          data-testid={testId ? `${testId}-save` : undefined}
        >
          {saving ? t('kv.saving') : t('kv.save')}
        </button>
      </div>
      {error !== undefined && <ErrorNote error={error} />}
    </div>
  );
}
