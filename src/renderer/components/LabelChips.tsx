// Labels as chips ("app=web"). In tables a click on a chip adds it to the label
// selector; elsewhere they are plain, wrapping chips.
import { useTranslation } from 'react-i18next';

interface LabelChipsProps {
  labels: Record<string, string> | undefined;
  /** When given, chips are buttons that report their key and value. */
  onPick?(key: string, value: string): void;
  /** Show at most this many chips, then "+N". */
  max?: number;
  wrap?: boolean;
}

/** LabelChips renders a label map as chips, sorted by key. */
export function LabelChips(props: LabelChipsProps) {
  const { t } = useTranslation();
  return <LabelChipsView {...props} pickTitle={(label) => t('labels.filterBy', { label })} />;
}

/**
 * LabelChipsView is LabelChips without a translation hook of its own, for tables
 * that draw thousands of rows: the table passes the chips' tooltip in.
 */
export function LabelChipsView({
  labels,
  onPick,
  max,
  wrap = false,
  pickTitle,
}: LabelChipsProps & {
  /** The tooltip of a chip that filters, e.g. "Filter by app=web". */
  pickTitle(label: string): string;
}) {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return <span className="muted">—</span>;
  const shown = max === undefined ? entries : entries.slice(0, max);
  const hidden = entries.length - shown.length;
  return (
    <span className={wrap ? 'chips wrap' : 'chips'}>
      {shown.map(([key, value]) => {
        const text = value === '' ? key : `${key}=${value}`;
        return onPick ? (
          <button key={key} type="button" className="chip" title={pickTitle(text)} onClick={() => onPick(key, value)} data-testid="label-chip">
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
