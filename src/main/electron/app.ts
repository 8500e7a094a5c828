// The desktop app: the engine in Electron's main process, one window, a tray icon.
// Closing the window keeps the app (and the clusters) running in the tray; Quit
// stops the engine, which leaves nodes and pods running for the next start.
import { Menu, Tray, app, nativeImage, safeStorage, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineStatus } from '../../shared/gateway';
import { createEngine } from '../engine';
import { createLogger } from '../log';
import { rendererDir, resourcesDir } from '../paths';
import { registerBridge } from './bridge';
import { CrashLoopThrottle, type CrashLoopNotice } from './crashLoopNotices';
import { showNotification } from './notifications';
import { createTrayActions } from './trayActions';
import { trayMenuTemplate, trayTooltip } from './trayMenu';
import { trayModel } from './trayModel';
import { createMainWindow, isAllowedUrl, openLink } from './window';

/** crashLoopFlushMs is how often held-back crash-loop alerts are checked for a summary. */
const crashLoopFlushMs = 15_000;

const log = createLogger('desktop');

/** runDesktopApp starts the engine, the window and the tray. */
export async function runDesktopApp(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let quitting = false;
  let window: BrowserWindow | undefined;
  let status: EngineStatus | undefined;

  await app.whenReady();
  const dataDir = process.env.WHEELHOUSE_DATA_DIR ?? app.getPath('userData');
  // Secrets of desktop clusters are encrypted with keys the OS keychain seals, where it can.
  const keyProtection = safeStorage.isEncryptionAvailable()
    ? { protect: (plain: string) => safeStorage.encryptString(plain), unprotect: (sealed: Buffer) => safeStorage.decryptString(sealed) }
    : undefined;
  const engine = await createEngine({ dataDir, host: 'electron', rendererDir: rendererDir(), keyProtection });
  await engine.start();
  const origin = engine.gateway.url;
  const tray = new Tray(nativeImage.createFromPath(join(resourcesDir(), 'trayTemplate.png')));

  // link is a location hash in the UI (a cluster's overview, a pod's logs); the
  // sign-in redirect keeps it, so a new window opens there too.
  const showWindow = (link?: string) => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        origin,
        url: engine.gateway.loginUrl() + (link ?? ''),
        preload: join(fileURLToPath(new URL('.', import.meta.url)), '..', 'preload', 'index.cjs'),
        icon: join(resourcesDir(), 'icon.png'),
        shouldQuitOnClose: () => quitting,
      });
    } else {
      if (link) openLink(window, origin, link);
      window.show();
      window.focus();
    }
  };
  const quit = () => {
    quitting = true;
    app.quit();
  };
  const tell = (title: string, body: string, link?: string) => showNotification(title, body, () => showWindow(link));
  const trayActions = createTrayActions({
    engine,
    openWindow: showWindow,
    openInBrowser: () => void shell.openExternal(engine.gateway.loginUrl()),
    quit,
    tell,
  });
  let shownMenu = '';
  const refreshTray = () => {
    tray.setToolTip(trayTooltip(status));
    // Health changes arrive often while pods churn; rebuilding an unchanged menu would
    // close it under the pointer on some desktops.
    const menu = JSON.stringify(trayModel(status));
    if (menu === shownMenu) return;
    shownMenu = menu;
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, trayActions)));
  };
  const crashLoops = new CrashLoopThrottle();
  const showNotices = (notices: CrashLoopNotice[]) => {
    for (const notice of notices) tell(notice.title, notice.body, notice.link);
  };
  setInterval(() => showNotices(crashLoops.flush(Date.now())), crashLoopFlushMs).unref();

  registerBridge(
    {
      openExternal: async (url) => {
        if (!/^https?:\/\//.test(url)) throw new Error('Only web links can be opened.');
        await shell.openExternal(url);
      },
      notify: async (title, body) => showNotification(title, body, () => showWindow()),
      platform: async () => process.platform,
    },
    (senderOrigin) => isAllowedUrl(senderOrigin, origin),
  );

  tray.on('click', () => showWindow());
  engine.subscribe((event) => {
    if (event.type === 'status') {
      status = event.status;
      refreshTray();
    }
    if (event.type === 'podAlert') showNotices(crashLoops.offer(event.alert, Date.now()));
  });
  status = await engine.status();
  refreshTray();
  showWindow();

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  // Keep running in the tray when the last window closes.
  app.on('window-all-closed', () => undefined);
  let engineStopped = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (engineStopped) return;
    event.preventDefault();
    void engine
      .stop()
      .catch((err) => log.error('stopping the engine failed', { error: err }))
      .finally(() => {
        engineStopped = true;
        app.quit();
      });
  });
}
