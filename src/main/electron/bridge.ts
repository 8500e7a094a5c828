// The main-process side of the preload bridge. Handlers are registered for exactly
// the methods listed in the shared contract, and every call answers {result} or
// {error} so the preload can rethrow a real Error in the renderer.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  bridgeChannel,
  desktopBridgeMethods,
  type BridgeResult,
  type DesktopBridge,
} from '../../shared/gateway';

/** registerBridge wires every bridge method to its handler; calls from other origins are refused. */
export function registerBridge(handlers: DesktopBridge, isTrustedOrigin: (origin: string) => boolean): void {
  for (const method of desktopBridgeMethods) {
    ipcMain.handle(bridgeChannel(method), async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<BridgeResult<unknown>> => {
      const origin = event.senderFrame?.origin ?? '';
      if (!isTrustedOrigin(origin)) return { error: `Calls from ${origin || 'an unknown page'} are not allowed.` };
      try {
        const fn = handlers[method] as (...a: unknown[]) => Promise<unknown>;
        return { result: await fn(...args) };
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    });
  }
}
