// "/" jumps to the current page's filter box, as in many list-heavy apps. The
// page marks its filter input with data-page-filter; the key is left alone
// while people type somewhere, hold a modifier, or have a dialog open.
import { useEffect } from 'react';

/** FILTER_ATTRIBUTE marks the input that "/" focuses on a page. */
export const FILTER_ATTRIBUTE = 'data-page-filter';

/** KeyPress is the part of a keydown event the filter shortcut looks at. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/** FocusTarget is the part of the focused element the filter shortcut looks at. */
export interface FocusTarget {
  tagName: string;
  isContentEditable: boolean;
}

/** isFilterShortcut tells whether a key press should move focus to the page filter. */
export function isFilterShortcut(press: KeyPress, target: FocusTarget | null, dialogOpen: boolean): boolean {
  if (press.key !== '/' || press.ctrlKey || press.metaKey || press.altKey || press.defaultPrevented || dialogOpen) return false;
  if (!target) return true;
  // Typing a slash into a field, an editor or a terminal must still type a slash.
  const tag = target.tagName.toUpperCase();
  return !(target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT');
}

/** useFilterShortcut installs the "/" shortcut for as long as the calling component is mounted. */
export function useFilterShortcut(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (!isFilterShortcut(event, target, document.querySelector('dialog:modal') !== null)) return;
      const input = document.querySelector<HTMLInputElement>(`input[${FILTER_ATTRIBUTE}]`);
      if (!input) return;
      event.preventDefault();
      input.focus();
      input.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
