// The Electron shell's wiring, checked against a fake `electron` module because the
// Electron binary cannot run on build machines.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
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
  class FakeNotification extends EventEmitter {
    static shown: FakeNotification[] = [];
    static isSupported() {
      return true;
    }
    constructor(readonly options: { title: string; body: string }) {
      super();
    }
    show() {
      FakeNotification.shown.push(this);
    }
  }
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return {
    FakeWindow,
    FakeNotification,
    handlers,
    opened: [] as string[],
    clipboard: { text: '' },
  };
});

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeWindow,
  Notification: fake.FakeNotification,
  clipboard: { writeText: (text: string) => void (fake.clipboard.text = text) },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  ipcMain: { handle: (channel: string, fn: (...args: unknown[]) => Promise<unknown>) => fake.handlers.set(channel, fn) },
}));

const { createMainWindow, isAllowedUrl, openLink } = await import('./window');
const { trayMenuTemplate, trayTooltip } = await import('./trayMenu');
const { registerBridge } = await import('./bridge');
const { createTrayActions } = await import('./trayActions');
const { showNotification } = await import('./notifications');

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

function fakeActions() {
  return {
    openWindow: vi.fn(),
    openInBrowser: vi.fn(),
    quit: vi.fn(),
    startCluster: vi.fn(),
    stopCluster: vi.fn(),
    copyKubeconfig: vi.fn(),
    mergeKubeconfig: vi.fn(),
  };
}

describe('tray menu', () => {
  const actions = fakeActions();

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

describe('tray cluster menus', () => {
  const withHealth: EngineStatus = {
    ...running,
    clusters: [
      {
        ...running.clusters[0],
        health: {
          nodesReady: 2,
          nodesTotal: 3,
          podsTotal: 4,
          podsFailing: 1,
          recentPods: [{ namespace: 'default', name: 'web-1', status: 'CrashLoopBackOff', restarts: 4, failing: true, changedAt: '' }],
        },
      },
      running.clusters[1],
    ],
  };
  type Item = MenuItemConstructorOptions;
  const find = (items: Item[], label: string | RegExp): Item => {
    const item = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
    if (!item) throw new Error(`no item ${String(label)} in ${items.map((i) => i.label).join(', ')}`);
    return item;
  };
  const submenu = (item: Item) => item.submenu as Item[];
  const click = (item: Item) => (item.click as () => void)();

  it('gives each cluster a submenu whose clicks reach the right action', () => {
    const actions = fakeActions();
    const menu = trayMenuTemplate(withHealth, actions);
    const a = submenu(find(menu, 'a — 1 pod failing'));
    expect(a.filter((i) => i.enabled === false).map((i) => i.label)).toEqual(['Running — 2 of 3 nodes ready', '1 pod failing']);
    click(find(a, 'Stop'));
    expect(actions.stopCluster).toHaveBeenCalledWith('a');
    click(find(a, 'Open Dashboard'));
    expect(actions.openWindow).toHaveBeenLastCalledWith('#/overview?cluster=a');
    const pod = submenu(find(submenu(find(a, 'Recent Pods')), 'default/web-1 — CrashLoopBackOff, 4 restarts'));
    click(find(pod, 'Logs'));
    expect(actions.openWindow).toHaveBeenLastCalledWith('#/pods/default/web-1?cluster=a&tab=logs');
    click(find(pod, 'Terminal'));
    expect(actions.openWindow).toHaveBeenLastCalledWith('#/pods/default/web-1?cluster=a&tab=terminal');
    click(find(a, 'Copy Kubeconfig'));
    click(find(a, 'Merge into ~/.kube/config'));
    expect(actions.copyKubeconfig).toHaveBeenCalledWith('a');
    expect(actions.mergeKubeconfig).toHaveBeenCalledWith('a');

    const b = submenu(find(menu, 'b — Stopped'));
    click(find(b, 'Start'));
    expect(actions.startCluster).toHaveBeenCalledWith('b');
    expect(find(b, 'Copy Kubeconfig').enabled).toBe(false);
    expect(b.some((i) => i.label === 'Recent Pods' || i.label === 'Stop')).toBe(false);
  });
});

describe('tray actions', () => {
  const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters:\n- name: wheelhouse-a\n  cluster: {server: "https://127.0.0.1:6443"}\nusers:\n- name: wheelhouse-a-admin\n  user: {token: t}\ncontexts:\n- name: wheelhouse-a\n  context: {cluster: wheelhouse-a, user: wheelhouse-a-admin}\ncurrent-context: wheelhouse-a\n';
  let dir: string;
  let told: { title: string; body: string }[];
  let engine: { clusterAction: ReturnType<typeof vi.fn> };
  let actions: ReturnType<typeof createTrayActions>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wh-tray-'));
    told = [];
    engine = {
      clusterAction: vi.fn(async (name: string, action: string) => {
        if (action === 'kubeconfig') return { kubeconfig };
        if (name === 'broken') throw new Error('Docker is not running.');
        return { name };
      }),
    };
    actions = createTrayActions({
      engine,
      openWindow: vi.fn(),
      openInBrowser: vi.fn(),
      quit: vi.fn(),
      tell: (title, body) => void told.push({ title, body }),
      kubeconfigFile: () => join(dir, 'config'),
    });
    return () => rmSync(dir, { recursive: true, force: true });
  });
  const settle = () => Promise.all([...actions.pending]);

  it('starts and stops clusters through the engine', async () => {
    actions.startCluster('b');
    actions.stopCluster('a');
    await settle();
    expect(engine.clusterAction.mock.calls).toEqual([
      ['b', 'start', {}],
      ['a', 'stop', {}],
    ]);
    expect(told).toEqual([]);
  });

  it('says why a start failed', async () => {
    actions.startCluster('broken');
    await settle();
    expect(told).toEqual([{ title: 'Could not start cluster broken', body: 'Docker is not running.' }]);
  });

  it('copies the kubeconfig to the clipboard', async () => {
    fake.clipboard.text = '';
    actions.copyKubeconfig('a');
    await settle();
    expect(engine.clusterAction).toHaveBeenCalledWith('a', 'kubeconfig', {});
    expect(fake.clipboard.text).toBe(kubeconfig);
    expect(told[0].title).toBe('Kubeconfig copied');
  });

  it('merges the kubeconfig into the kubeconfig file, keeping other contexts', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: other\n  context: {cluster: other, user: other}\ncurrent-context: other\n');
    actions.mergeKubeconfig('a');
    await settle();
    const merged = readFileSync(file, 'utf8');
    expect(merged).toMatch(/name: other/);
    expect(merged).toMatch(/name: wheelhouse-a/);
    expect(merged).toMatch(/current-context: other/);
    expect(told[0]).toEqual({ title: 'Kubeconfig merged', body: `Context wheelhouse-a is in ${file}. Try: kubectl --context wheelhouse-a get nodes` });
  });
});

describe('notifications and deep links', () => {
  it('opens the link of a clicked notification', () => {
    const opened: string[] = [];
    showNotification('web-1 keeps crashing', 'body', () => opened.push('#/pods/default/web-1?cluster=a&tab=logs'));
    const shown = fake.FakeNotification.shown.at(-1)!;
    expect(shown.options).toEqual({ title: 'web-1 keeps crashing', body: 'body' });
    shown.emit('click');
    expect(opened).toEqual(['#/pods/default/web-1?cluster=a&tab=logs']);
  });

  it('moves an open window to a deep link on the gateway origin', () => {
    const window = createMainWindow({ origin, url: `${origin}/?token=t`, preload: '/p.cjs', shouldQuitOnClose: () => false });
    openLink(window, origin, '#/pods/default/web-1?cluster=a&tab=logs');
    expect(fake.FakeWindow.last!.loaded).toBe(`${origin}/#/pods/default/web-1?cluster=a&tab=logs`);
    expect(isAllowedUrl(fake.FakeWindow.last!.loaded!, origin)).toBe(true);
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
