// The preload bridge: exposes window.wheelhouse to the sandboxed renderer. It is
// derived from the one contract in src/shared/gateway.ts and holds no logic: each
// method forwards to the main process and rethrows failures as real Errors.
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeChannel, desktopBridgeMethods, type BridgeResult, type DesktopBridge } from '../shared/gateway';

const bridge = Object.fromEntries(
  desktopBridgeMethods.map((method) => [
    method,
    async (...args: unknown[]) => {
      const answer = (await ipcRenderer.invoke(bridgeChannel(method), ...args)) as BridgeResult<unknown>;
      if ('error' in answer) throw new Error(answer.error);
      return answer.result;
    },
  ]),
) as unknown as DesktopBridge;

contextBridge.exposeInMainWorld('wheelhouse', bridge);
