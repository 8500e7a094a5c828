// An inline error: the sentence the engine or the cluster gave, and its hint.
import { Icon } from '../shell/icons';
import { Sentence } from '../shell/Sentence';
import { GatewayError } from '../api/client';

/** errorText returns the sentence of any thrown value. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** ErrorNote shows a failure in a sentence, with the engine's hint when it gave one. */
export function ErrorNote({ error, testId }: { error: unknown; testId?: string }) {
  const hint = error instanceof GatewayError ? error.hint : undefined;
  return (
    <div className="error-note" role="alert" data-testid={testId}>
      <Icon name="warning" />
      <div>
        <p>
          <Sentence text={errorText(error)} />
        </p>
        {hint && (
          <p className="error-hint">
            <Sentence text={hint} />
          </p>
        )}
      </div>
    </div>
  );
}
