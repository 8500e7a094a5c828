// One xterm.js terminal in a host element, sized to it: the log viewer and the
// container terminal share this set-up (theme, font, fit on every resize).
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { type ITerminalOptions, Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { type RefObject, useEffect, useRef, useState } from 'react';

/** terminalFont is the monospace stack of the app, for xterm (which cannot read CSS variables). */
export const terminalFont = "ui-monospace, 'SF Mono', 'Cascadia Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** terminalTheme is a calm dark console, the same in the light and the dark app theme. */
export const terminalTheme = {
  background: '#161a20',
  foreground: '#d9dee7',
  cursor: '#d9dee7',
  cursorAccent: '#161a20',
  selectionBackground: '#3a5f9f',
  brightBlack: '#7d8796',
};

/** XtermParts is a live terminal with its fit and search add-ons. */
export interface XtermParts {
  term: XTerm;
  fit: FitAddon;
  search: SearchAddon;
}

/**
 * useXterm opens a terminal in `host` once it is mounted and disposes of it on
 * unmount. The terminal follows the host's size; onResize hears the new columns and
 * rows after each fit.
 */
export function useXterm(
  host: RefObject<HTMLDivElement | null>,
  options: ITerminalOptions,
  onResize?: (cols: number, rows: number) => void,
): XtermParts | undefined {
  const [parts, setParts] = useState<XtermParts>();
  const optionsRef = useRef(options);
  const onResizeRef = useRef(onResize);
  onResizeRef.current = onResize;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new XTerm({
      fontFamily: terminalFont,
      fontSize: 12.5,
      lineHeight: 1.2,
      theme: terminalTheme,
      allowProposedApi: true,
      ...optionsRef.current,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(element);
    let frame = 0;
    const refit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // A hidden host (0 x 0) has no size to fit to.
        if (element.clientWidth === 0 || element.clientHeight === 0) return;
        const before = `${term.cols}x${term.rows}`;
        fit.fit();
        if (`${term.cols}x${term.rows}` !== before) onResizeRef.current?.(term.cols, term.rows);
      });
    };
    // Fit before anyone writes: text written into a terminal that grows afterwards
    // stays at the top with empty rows under it.
    if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    setParts({ term, fit, search });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      setParts(undefined);
      term.dispose();
    };
  }, [host]);

  return parts;
}
