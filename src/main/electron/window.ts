// The main window: sandboxed, context-isolated, and locked to the gateway's origin.
// Links elsewhere open in the user's browser; the window never navigates away.
import { BrowserWindow, shell, type WebContents } from 'electron';

/** MainWindowOptions says what the window shows and where its preload lives. */
export interface MainWindowOptions {
  /** The gateway origin, e.g. http://127.0.0.1:PORT; the only origin the window may show. */
  origin: string;
  /** The first URL to load (the one-time sign-in link). */
  url: string;
  preload: string;
  icon?: string;
  /** Decides whether closing the window should quit (true) or hide it to the tray. */
  shouldQuitOnClose(): boolean;
}

/** webPreferencesFor returns the hardened web preferences every window uses. */
export function webPreferencesFor(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** isAllowedUrl tells whether the window may navigate to url (same origin only). */
export function isAllowedUrl(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function openOutside(url: string): void {
  if (/^https?:\/\//.test(url)) void shell.openExternal(url);
}

/** lockNavigation keeps web contents on the gateway origin and sends other links to the browser. */
export function lockNavigation(contents: WebContents, origin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedUrl(url, origin)) {
      event.preventDefault();
      openOutside(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedUrl(url, origin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** createMainWindow builds the window and loads the UI. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Wheelhouse',
    show: false,
    icon: options.icon,
    webPreferences: webPreferencesFor(options.preload),
  });
  lockNavigation(window.webContents, options.origin);
  // Nothing in the UI needs camera, notifications through the web API, or the like.
  window.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (!options.shouldQuitOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadURL(options.url);
  return window;
}

/** linkUrl is the address of a deep link (a location hash such as "#/pods/ns/web?tab=logs") on the gateway. */
export function linkUrl(origin: string, link: string): string {
  return new URL(link, `${origin}/`).toString();
}

/**
 * openLink shows a deep link in the window. Only the hash differs from the page the
 * window shows, so the UI switches pages without loading again.
 */
export function openLink(window: BrowserWindow, origin: string, link: string): void {
  void window.loadURL(linkUrl(origin, link));
}
