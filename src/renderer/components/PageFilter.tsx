// The text filter of a list page: a search field that "/" focuses (see
// shell/filterShortcut.ts), the same on every page that has one.
import { useTranslation } from 'react-i18next';
import { FILTER_ATTRIBUTE } from '../shell/filterShortcut';
import { Icon } from '../shell/icons';

/** PageFilter is a list page's text filter field. */
export function PageFilter({
  value,
  onChange,
  placeholder,
  testId,
}: {
  value: string;
  onChange(value: string): void;
  placeholder: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="search">
      <Icon name="search" />
      <span className="visually-hidden">{t('pods.filterText')}</span>
      <input
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={testId}
        {...{ [FILTER_ATTRIBUTE]: '' }}
        aria-keyshortcuts="/"
      />
    </label>
  );
}
