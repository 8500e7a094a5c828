// A short text in code type with a button that copies it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../shell/icons';

/** CopyText shows a text and copies it on request. */
export function CopyText({ text, testId }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-text">
      <code data-testid={testId}>{text}</code>
      <button
        type="button"
        className="icon-button quiet tiny"
        title={t('object.copy', { text })}
        aria-label={t('object.copy', { text })}
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            },
            () => undefined,
          )
        }
      >
        <Icon name={copied ? 'check' : 'copy'} size={13} />
      </button>
    </span>
  );
}
