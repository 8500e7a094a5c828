// Electron entry: construct, wire, start. Everything else lives in ./electron and the engine.
import { runDesktopApp } from './electron/app';

void runDesktopApp().catch((err: unknown) => {
  process.stderr.write(`Wheelhouse could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
