// The tray menu, built from the engine status by a pure function so it can be tested
// without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineStatus } from '../../shared/gateway';

/** TrayActions are the quick actions the tray offers. */
export interface TrayActions {
  openWindow(): void;
  openInBrowser(): void;
  quit(): void;
}

/** trayStatusLines says in words how the engine and Docker are doing. */
export function trayStatusLines(status: EngineStatus | undefined): string[] {
  if (!status) return ['Wheelhouse is starting…'];
  const docker = status.docker.reachable
    ? `Docker ${status.docker.version ?? ''} is running`.replace('  ', ' ')
    : status.docker.problem ?? 'Docker is not running.';
  const running = status.clusters.filter((c) => c.state === 'running').length;
  const clusters =
    status.clusters.length === 0 ? 'No clusters yet' : `${running} of ${status.clusters.length} clusters running`;
  return [`Wheelhouse ${status.version} is running`, docker, clusters];
}

/** trayMenuTemplate builds the tray menu for a status. */
export function trayMenuTemplate(status: EngineStatus | undefined, actions: TrayActions): MenuItemConstructorOptions[] {
  const info: MenuItemConstructorOptions[] = trayStatusLines(status).map((label) => ({ label, enabled: false }));
  if (status && !status.docker.reachable && status.docker.hint) info.push({ label: status.docker.hint, enabled: false });
  return [
    ...info,
    { type: 'separator' },
    { label: 'Open Wheelhouse', click: () => actions.openWindow() },
    { label: 'Open in Browser', click: () => actions.openInBrowser() },
    { type: 'separator' },
    { label: 'Quit Wheelhouse', click: () => actions.quit() },
  ];
}

/** trayTooltip is the short text shown when hovering the tray icon. */
export function trayTooltip(status: EngineStatus | undefined): string {
  return trayStatusLines(status).slice(0, 2).join(' — ');
}
