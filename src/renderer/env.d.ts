// Globals the renderer can see: the desktop bridge exists only inside Electron.
import type { DesktopBridge } from '../shared/gateway';

declare global {
  interface Window {
    /** wheelhouse is the preload's bridge to native features; undefined in a browser. */
    wheelhouse?: DesktopBridge;
  }
}

export {};
