// A state word with its colour dot, e.g. "● Running".
import type { Tone } from './tones';

/** StateBadge shows a state word in its tone. */
export function StateBadge({ tone, text, testId }: { tone: Tone; text: string; testId?: string }) {
  return (
    <span className={`indicator indicator-${tone} state-${tone}`} data-testid={testId} data-tone={tone}>
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
