// Printing an engine operation's progress steps while the CLI waits for it.
import type { GatewayEvent } from '../../../shared/gateway';
import type { GatewayClient } from '../gatewayClient';

/** withProgress runs an operation while printing the engine's progress steps for it. */
export async function withProgress<T>(gateway: GatewayClient, cluster: string, run: () => Promise<T>): Promise<T> {
  const stop = await gateway.events((event: GatewayEvent) => {
    if (event.type !== 'progress' || event.progress.cluster !== cluster) return;
    const { step, state, message } = event.progress;
    const mark = state === 'done' ? '✓' : state === 'failed' ? '✗' : '•';
    if (state !== 'running' || process.stdout.isTTY) {
      process.stdout.write(` ${mark} ${step}${message ? `: ${message}` : ''}\n`);
    } else {
      process.stdout.write(` ${mark} ${step}...\n`);
    }
  });
  try {
    return await run();
  } finally {
    stop();
  }
}

