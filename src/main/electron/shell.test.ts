// The Electron shell's wiring, checked against a fake `electron` module because the
// Electron binary cannot run on build machines.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus } from '../../shared/gateway';
import { bridgeChannel, desktopBridgeMethods } from '../../shared/gateway';

const fake = await vi.hoisted(async () => {
  // Hoisted above the imports, so it loads what it needs itself.
  const { EventEmitter } = await import('node:events');
  class FakeContents extends EventEmitter {
    windowOpenHandler?: (details: { url: string }) => { action: string };
    permissionHandler?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    session = {
      setPermissionRequestHandler: (h: FakeContents['permissionHandler']) => {
        this.permissionHandler = h;
      },
    };
    setWindowOpenHandler(handler: FakeContents['windowOpenHandler']) {
      this.windowOpenHandler = handler;
    }
  }
  class FakeWindow extends EventEmitter {
    static last?: FakeWindow;
    webContents = new FakeContents();
    hidden = false;
    loaded?: string;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      FakeWindow.last = this;
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    hide() {
      this.hidden = true;
    }
    show() {}
  }
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return {
    FakeWindow,
    handlers,
    opened: [] as string[],
  };
});

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeWindow,
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  ipcMain: { handle: (channel: string, fn: (...args: unknown[]) => Promise<unknown>) => fake.handlers.set(channel, fn) },
}));

const { createMainWindow, isAllowedUrl } = await import('./window');
const { trayMenuTemplate, trayTooltip } = await import('./trayMenu');
const { registerBridge } = await import('./bridge');

const origin = 'http://127.0.0.1:4000';

function event() {
  return { prevented: false, preventDefault() { this.prevented = true; } };
}

describe('main window', () => {
  let quit = false;
  beforeEach(() => {
    quit = false;
    fake.opened.length = 0;
    createMainWindow({ origin, url: `${origin}/?token=t`, preload: '/app/preload.cjs', shouldQuitOnClose: () => quit });
  });

  it('runs the renderer sandboxed with context isolation and no node', () => {
    const prefs = fake.FakeWindow.last!.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('loads the one-time sign-in link', () => {
    expect(fake.FakeWindow.last!.loaded).toBe(`${origin}/?token=t`);
  });

  it('stays on the gateway origin and opens other links in the browser', () => {
    const contents = fake.FakeWindow.last!.webContents;
    const away = event();
    contents.emit('will-navigate', away, 'https://example.com/');
    expect(away.prevented).toBe(true);
    expect(fake.opened).toEqual(['https://example.com/']);
    const inside = event();
    contents.emit('will-navigate', inside, `${origin}/pods`);
    expect(inside.prevented).toBe(false);
  });

  it('never opens new windows', () => {
    const contents = fake.FakeWindow.last!.webContents;
    expect(contents.windowOpenHandler!({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(fake.opened).toContain('https://example.com/docs');
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).not.toContain('file:///etc/passwd');
  });

  it('denies every permission request', () => {
    let granted: boolean | undefined;
    fake.FakeWindow.last!.webContents.permissionHandler!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('hides to the tray on close, and closes when quitting', () => {
    const window = fake.FakeWindow.last!;
    const close = event();
    window.emit('close', close);
    expect(close.prevented).toBe(true);
    expect(window.hidden).toBe(true);
    quit = true;
    const closing = event();
    window.emit('close', closing);
    expect(closing.prevented).toBe(false);
  });

  it('matches origins exactly', () => {
    expect(isAllowedUrl(`${origin}/x`, origin)).toBe(true);
    expect(isAllowedUrl('http://127.0.0.1:4001/', origin)).toBe(false);
    expect(isAllowedUrl('not a url', origin)).toBe(false);
  });
});

const running: EngineStatus = {
  version: '1.2.3',
  host: 'electron',
  dataDir: '/d',
  docker: { reachable: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0.1', checkedAt: '' },
  clusters: [
    { name: 'a', state: 'running', workers: 2, createdAt: '' },
    { name: 'b', state: 'stopped', workers: 1, createdAt: '' },
  ],
};

describe('tray menu', () => {
  const actions = { openWindow: vi.fn(), openInBrowser: vi.fn(), quit: vi.fn() };

  it('shows engine, Docker and cluster status', () => {
    const labels = trayMenuTemplate(running, actions).map((i) => i.label);
    expect(labels).toContain('Wheelhouse 1.2.3 is running');
    expect(labels).toContain('Docker 27.0.1 is running');
    expect(labels).toContain('1 of 2 clusters running');
  });

  it('says plainly when Docker is down, with the fix', () => {
    const down: EngineStatus = {
      ...running,
      docker: { reachable: false, endpoint: 'x', problem: 'Docker is not running.', hint: 'Start Docker Desktop.', checkedAt: '' },
    };
    const labels = trayMenuTemplate(down, actions).map((i) => i.label);
    expect(labels).toContain('Docker is not running.');
    expect(labels).toContain('Start Docker Desktop.');
    expect(trayTooltip(down)).toMatch(/Docker is not running/);
  });

  it('offers open window, open in browser and quit', () => {
    const items = trayMenuTemplate(running, actions);
    const click = (label: string) => (items.find((i) => i.label === label)!.click as () => void)();
    click('Open Wheelhouse');
    click('Open in Browser');
    click('Quit Wheelhouse');
    expect(actions.openWindow).toHaveBeenCalledOnce();
    expect(actions.openInBrowser).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });

  it('reads "starting" before the first status', () => {
    expect(trayMenuTemplate(undefined, actions)[0].label).toMatch(/starting/);
  });
});

describe('preload bridge (main side)', () => {
  it('registers one handler per contract method and answers {result} or {error}', async () => {
    registerBridge(
      {
        openExternal: async () => undefined,
        notify: async () => {
          throw new Error('no notifications here');
        },
        platform: async () => 'linux',
      },
      (o) => o === origin,
    );
    for (const method of desktopBridgeMethods) expect(fake.handlers.has(bridgeChannel(method))).toBe(true);
    const trusted = { senderFrame: { origin } };
    expect(await fake.handlers.get(bridgeChannel('platform'))!(trusted)).toEqual({ result: 'linux' });
    expect(await fake.handlers.get(bridgeChannel('notify'))!(trusted, 't', 'b')).toEqual({ error: 'no notifications here' });
    const foreign = { senderFrame: { origin: 'https://evil.example' } };
    expect(await fake.handlers.get(bridgeChannel('platform'))!(foreign)).toEqual({
      error: 'Calls from https://evil.example are not allowed.',
    });
  });
});
