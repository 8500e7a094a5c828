// The keys and values of a config map or a secret. Secret values stay masked until
// people reveal one key, and are shown decoded from base64. Any value can be edited,
// a key added or removed: each change is a merge patch of that one key.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { Icon } from '../../shell/icons';
import { type DataKind, dataKeyProblem, dataPatch, decodeSecretValue } from './configInfo';

function shownValue(kind: DataKind, stored: string): { text: string } | { binary: number } {
  return kind === 'secret' ? decodeSecretValue(stored) : { text: stored };
}

function EntryEditor({
  kind,
  initialKey,
  initialValue,
  existing,
  onSave,
  onRemove,
  onCancel,
}: {
  kind: DataKind;
  /** undefined for a new key. */
  initialKey?: string;
  initialValue: string;
  existing: string[];
  onSave(key: string, value: string): Promise<unknown>;
  onRemove?(): Promise<unknown>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [key, setKey] = useState(initialKey ?? '');
  const [value, setValue] = useState(initialValue);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const problem = initialKey === undefined ? dataKeyProblem(key, existing) : undefined;
  const run = async (action: () => Promise<unknown>) => {
    setSaving(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };
  return (
    <div className="data-editor" data-testid="data-editor">
      {initialKey === undefined && (
        <div className="field">
          <input
            className={problem && key !== '' ? 'input mono invalid' : 'input mono'}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder={t('config.data.newKey')}
            aria-label={t('config.data.newKey')}
            spellCheck={false}
            autoFocus
            data-testid="data-new-key"
          />
          {problem && key !== '' && <p className="field-help invalid">{t(`config.data.problem.${problem}`)}</p>}
        </div>
      )}
      <textarea
        className="input mono data-value-input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        rows={Math.min(12, Math.max(3, value.split('\n').length + 1))}
        aria-label={t('config.data.valueOf', { key: key || t('config.data.newKey') })}
        spellCheck={false}
        autoFocus={initialKey !== undefined}
        data-testid="data-value-input"
      />
      {kind === 'secret' && <p className="field-help">{t('config.data.secretHelp')}</p>}
      <div className="kv-actions">
        {onRemove && (
          <button type="button" className="button small danger-quiet" onClick={() => void run(onRemove)} disabled={saving} data-testid="data-remove">
            <Icon name="trash" />
            {t('config.data.remove')}
          </button>
        )}
        <div className="toolbar-spacer" />
        <button type="button" className="button small" onClick={onCancel} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button small primary"
          onClick={() => void run(() => onSave(key, value))}
          disabled={saving || problem !== undefined}
          data-testid="data-save"
        >
          {saving ? t('kv.saving') : t('kv.save')}
        </button>
      </div>
      {error !== undefined && <ErrorNote error={error} />}
    </div>
  );
}

/** DataEntries shows and edits the data of a config map or a secret. */
export function DataEntries({
  kind,
  data,
  binaryKeys = [],
  onPatch,
  testId,
}: {
  kind: DataKind;
  data: Record<string, string> | undefined;
  /** A config map's binaryData keys, shown but not editable as text. */
  binaryKeys?: string[];
  onPatch(patch: unknown): Promise<unknown>;
  testId: string;
}) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const keys = Object.keys(data ?? {}).sort();
  const toggle = (key: string) =>
    setRevealed((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const save = async (key: string, value: string | null) => {
    await onPatch(dataPatch(kind, key, value));
    setEditing(null);
    setAdding(false);
  };

  return (
    <div className="data-entries" data-testid={testId}>
      {keys.length === 0 && binaryKeys.length === 0 && !adding && <p className="muted">{t('config.data.none')}</p>}
      {keys.map((key) => {
        const stored = data?.[key] ?? '';
        const value = shownValue(kind, stored);
        const hidden = kind === 'secret' && !revealed.has(key);
        return (
          <section key={key} className="data-entry" data-testid={`data-entry-${key}`}>
            <header className="data-entry-head">
              <span className="mono strong">{key}</span>
              <span className="muted small">
                {'text' in value ? t('config.data.bytes', { count: new TextEncoder().encode(value.text).length }) : t('config.data.binary', { count: value.binary })}
              </span>
              <div className="toolbar-spacer" />
              {kind === 'secret' && 'text' in value && (
                <button
                  type="button"
                  className="button small quiet-button"
                  onClick={() => toggle(key)}
                  aria-pressed={!hidden}
                  data-testid={`data-reveal-${key}`}
                >
                  <Icon name={hidden ? 'eye' : 'eyeOff'} />
                  {hidden ? t('config.data.reveal') : t('config.data.hide')}
                </button>
              )}
              {'text' in value && editing !== key && (
                <button type="button" className="button small quiet-button" onClick={() => setEditing(key)} data-testid={`data-edit-${key}`}>
                  <Icon name="edit" />
                  {t('kv.edit')}
                </button>
              )}
            </header>
            {editing === key && 'text' in value ? (
              <EntryEditor
                kind={kind}
                initialKey={key}
                initialValue={value.text}
                existing={keys}
                onSave={(_, v) => save(key, v)}
                onRemove={() => save(key, null)}
                onCancel={() => setEditing(null)}
              />
            ) : hidden ? (
              <pre className="data-value masked" data-testid={`data-value-${key}`}>
                ••••••••
              </pre>
            ) : 'text' in value ? (
              <pre className="data-value" data-testid={`data-value-${key}`}>
                {value.text === '' ? <span className="muted">{t('config.data.empty')}</span> : value.text}
              </pre>
            ) : (
              <p className="muted small">{t('config.data.binaryHint')}</p>
            )}
          </section>
        );
      })}
      {binaryKeys.map((key) => (
        <section key={key} className="data-entry">
          <header className="data-entry-head">
            <span className="mono strong">{key}</span>
            <span className="muted small">{t('config.data.binaryData')}</span>
          </header>
        </section>
      ))}
      {adding ? (
        <EntryEditor kind={kind} initialValue="" existing={[...keys, ...binaryKeys]} onSave={(k, v) => save(k, v)} onCancel={() => setAdding(false)} />
      ) : (
        <button type="button" className="button small" onClick={() => setAdding(true)} data-testid="data-add">
          <Icon name="plus" />
          {t('config.data.add')}
        </button>
      )}
    </div>
  );
}
