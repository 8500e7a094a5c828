// Page object for the status panel: engine and Docker facts as the app shows them.
import type { Locator, Page } from '@playwright/test';

/** StatusPanel wraps the status panel beside every page. */
export class StatusPanel {
  readonly root: Locator;
  readonly engineVersion: Locator;
  readonly host: Locator;
  readonly dataDir: Locator;
  readonly connection: Locator;
  readonly dockerState: Locator;
  readonly dockerVersion: Locator;
  readonly dockerOs: Locator;
  readonly dockerKernel: Locator;
  readonly dockerEndpoint: Locator;
  readonly toggle: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('status-panel');
    const field = (name: string) => this.root.getByTestId(`status-${name}`);
    this.engineVersion = field('engine-version');
    this.host = field('host');
    this.dataDir = field('data-dir');
    this.connection = field('connection');
    this.dockerState = field('docker-state');
    this.dockerVersion = field('docker-version');
    this.dockerOs = field('docker-os');
    this.dockerKernel = field('docker-kernel');
    this.dockerEndpoint = field('docker-endpoint');
    this.toggle = page.getByTestId('status-toggle');
  }
}
