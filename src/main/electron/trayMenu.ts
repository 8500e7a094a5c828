// The tray menu: the pure tray model (trayModel.ts) rendered as an Electron menu
// template, each item's click running its command through the tray actions.
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineStatus } from '../../shared/gateway';
import { trayModel, type TrayCommand, type TrayItem } from './trayModel';

export { trayStatusLines, trayTooltip } from './trayModel';

/** TrayActions carry out what the tray menu offers. */
export interface TrayActions {
  /** openWindow shows the window, at a deep link (a location hash) when given. */
  openWindow(link?: string): void;
  openInBrowser(): void;
  quit(): void;
  startCluster(name: string): void;
  stopCluster(name: string): void;
  copyKubeconfig(name: string): void;
  mergeKubeconfig(name: string): void;
}

/** runTrayCommand hands a tray command to the action that carries it out. */
export function runTrayCommand(command: TrayCommand, actions: TrayActions): void {
  switch (command.kind) {
    case 'openWindow':
      return actions.openWindow(command.link);
    case 'openInBrowser':
      return actions.openInBrowser();
    case 'quit':
      return actions.quit();
    case 'startCluster':
      return actions.startCluster(command.cluster);
    case 'stopCluster':
      return actions.stopCluster(command.cluster);
    case 'copyKubeconfig':
      return actions.copyKubeconfig(command.cluster);
    case 'mergeKubeconfig':
      return actions.mergeKubeconfig(command.cluster);
  }
}

function render(item: TrayItem, actions: TrayActions): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'info':
      return { label: item.label, enabled: false };
    case 'action':
      return { label: item.label, enabled: item.enabled ?? true, click: () => runTrayCommand(item.command, actions) };
    case 'submenu':
      return { label: item.label, submenu: item.items.map((i) => render(i, actions)) };
  }
}

/** trayMenuTemplate builds the tray menu for a status. */
export function trayMenuTemplate(status: EngineStatus | undefined, actions: TrayActions): MenuItemConstructorOptions[] {
  return trayModel(status).map((item) => render(item, actions));
}
