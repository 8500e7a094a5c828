// A YAML code editor (CodeMirror 6): line numbers, YAML highlighting, undo, Tab to
// indent, and problems marked at their lines (a gutter sign, an underline, the
// message on hover). The text is the parent's state; the problems are computed by
// the parent from the text, so they follow the fields they are about as people type.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';

/** EditorProblem is one message at a place in the text. */
export interface EditorProblem {
  from: number;
  to: number;
  message: string;
}

/** YamlEditorHandle lets a parent move the cursor to a place, e.g. from a list of problems. */
export interface YamlEditorHandle {
  focusAt(offset: number): void;
}

const theme = EditorView.theme({
  '&': { fontSize: '12.5px', border: '1px solid var(--border)', borderRadius: '6px', background: 'var(--surface)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-gutters': { background: 'var(--surface-2)', borderRight: '1px solid var(--border)', color: 'var(--muted)' },
});

/** YamlEditor edits YAML text with line numbers and problems marked at their lines. */
export function YamlEditor({
  value,
  onChange,
  problems = [],
  label,
  testId,
  readOnly = false,
  height = '360px',
  handle,
}: {
  value: string;
  onChange?(text: string): void;
  problems?: EditorProblem[];
  label: string;
  testId?: string;
  readOnly?: boolean;
  height?: string;
  handle?(editor: YamlEditorHandle | undefined): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const readOnlyCompartment = useRef(new Compartment());

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          yaml(),
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorState.tabSize.of(2),
          theme,
          EditorView.theme({ '.cm-scroller': { height, overflow: 'auto' } }),
          readOnlyCompartment.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': label, ...(testId ? { 'data-testid': testId } : {}) }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    handle?.({
      focusAt(offset) {
        const at = Math.min(offset, editor.state.doc.length);
        editor.dispatch({ selection: { anchor: at }, scrollIntoView: true });
        editor.focus();
      },
    });
    return () => {
      handle?.(undefined);
      editor.destroy();
      view.current = undefined;
    };
    // The editor is made once; later props reach it through the effects below.
  }, []);

  // A new text from outside (a starter manifest, a reset) replaces what the editor holds.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: readOnlyCompartment.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const diagnostics: Diagnostic[] = problems
      .filter((p) => p.from <= length)
      .map((p) => ({ from: p.from, to: Math.min(Math.max(p.to, p.from), length), severity: 'error', message: p.message }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [problems]);

  return <div className="yaml-editor" ref={host} />;
}
