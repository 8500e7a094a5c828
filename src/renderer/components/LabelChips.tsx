// Labels as chips ("app=web"). In tables a click on a chip adds it to the label
// selector; elsewhere they are plain, wrapping chips.
import { useTranslation } from 'react-i18next';

/** LabelChips renders a label map as chips, sorted by key. */
export function LabelChips({
  labels,
  onPick,
  max,
  wrap = false,
}: {
  labels: Record<string, string> | undefined;
  /** When given, chips are buttons that report their key and value. */
  onPick?(key: string, value: string): void;
  /** Show at most this many chips, then "+N". */
  max?: number;
  wrap?: boolean;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return <span className="muted">—</span>;
  const shown = max === undefined ? entries : entries.slice(0, max);
  const hidden = entries.length - shown.length;
  return (
    <span className={wrap ? 'chips wrap' : 'chips'}>
      {shown.map(([key, value]) => {
        const text = value === '' ? key : `${key}=${value}`;
        return onPick ? (
          <button
            key={key}
            type="button"
            className="chip"
            title={t('labels.filterBy', { label: text })}
            onClick={() => onPick(key, value)}
            data-testid="label-chip"
          >
            {text}
          </button>
        ) : (
          <span key={key} className="chip" title={text}>
            {text}
          </span>
        );
      })}
      {hidden > 0 && (
        <span className="chip more" title={entries.slice(shown.length).map(([k, v]) => `${k}=${v}`).join('\n')}>
          +{hidden}
        </span>
      )}
    </span>
  );
}
