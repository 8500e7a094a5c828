// A modal dialog on the native <dialog> element: it traps focus, closes on Escape
// and keeps the page behind it inert, with no extra library.
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../shell/icons';

/** DialogProps configure a Dialog. */
export interface DialogProps {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom, right-aligned. */
  footer?: ReactNode;
  testId?: string;
  /** 'wide' for forms with long texts (progress, paths). */
  size?: 'normal' | 'wide';
  /** When false, Escape and the close button do nothing (while an action runs). */
  closable?: boolean;
}

/** Dialog shows its content in a modal window until onClose is called by its owner. */
export function Dialog({ title, onClose, children, footer, testId, size = 'normal', closable = true }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closableRef = useRef(closable);
  closableRef.current = closable;
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      // The browser would close the dialog itself; its owner decides instead.
      event.preventDefault();
      if (closableRef.current) onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog ref={ref} className={`dialog dialog-${size}`} aria-labelledby={titleId} data-testid={testId}>
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="icon-button quiet"
          onClick={onClose}
          disabled={!closable}
          title={t('common.close')}
          aria-label={t('common.close')}
        >
          <Icon name="close" />
        </button>
      </div>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}
