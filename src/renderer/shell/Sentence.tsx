// Renders an engine sentence, showing `backticked` commands as code.
import { splitInlineCode } from '../format';

/** Sentence renders text from the engine with its `commands` set as code. */
export function Sentence({ text }: { text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
