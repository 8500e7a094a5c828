// Page object for the app frame: navigation, header, banners and the session page.
import { expect, type Locator, type Page } from '@playwright/test';

/** Area is one navigation area of the app. */
export type Area =
  | 'clusters'
  | 'overview'
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'deployments'
  | 'config'
  | 'nodes'
  | 'events';

/** AppShell wraps the parts of the app that every page shares. */
export class AppShell {
  readonly navigation: Locator;
  readonly pageHeading: Locator;
  readonly languageSelect: Locator;
  readonly connection: Locator;
  readonly connectionBanner: Locator;
  readonly dockerBanner: Locator;
  readonly areaPlaceholder: Locator;
  readonly clusterPicker: Locator;
  readonly namespacePicker: Locator;
  readonly clusterSelect: Locator;
  readonly namespaceSelect: Locator;
  readonly sessionExpired: Locator;

  constructor(readonly page: Page) {
    this.navigation = page.getByRole('navigation');
    this.pageHeading = page.getByRole('heading', { level: 1 });
    this.languageSelect = page.getByTestId('language-select');
    this.connection = page.getByRole('banner').getByTestId('connection-indicator');
    this.connectionBanner = page.getByTestId('connection-banner');
    this.dockerBanner = page.getByTestId('docker-banner');
    this.areaPlaceholder = page.getByTestId('area-placeholder');
    this.clusterPicker = page.getByTestId('cluster-picker');
    this.namespacePicker = page.getByTestId('namespace-picker');
    this.clusterSelect = page.getByTestId('cluster-select');
    this.namespaceSelect = page.getByTestId('namespace-select');
    this.sessionExpired = page.getByTestId('session-expired');
  }

  /** navLink is the navigation link of an area. */
  navLink(area: Area): Locator {
    return this.navigation.getByTestId(`nav-${area}`);
  }

  /** open follows the one-time URL and waits until the app is live. */
  async open(loginUrl: string): Promise<void> {
    await this.page.goto(loginUrl);
    await this.expectLive();
  }

  /** expectLive waits until the window receives live changes from the engine. */
  async expectLive(): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-phase', 'open');
  }

  /** goTo clicks an area in the navigation and waits until it is the current page. */
  async goTo(area: Area): Promise<void> {
    await this.navLink(area).click();
    await expect(this.navLink(area)).toHaveAttribute('aria-current', 'page');
  }

  /** chooseCluster picks the cluster the window shows, in the top bar. */
  async chooseCluster(name: string): Promise<void> {
    await this.clusterSelect.selectOption(name);
    await expect(this.clusterSelect).toHaveValue(name);
  }

  /** chooseNamespace picks one namespace ('' for all) in the top bar. */
  async chooseNamespace(name: string): Promise<void> {
    await this.namespaceSelect.selectOption(name);
    await expect(this.namespaceSelect).toHaveValue(name);
  }

  /** switchLanguage picks a UI language in the header. */
  async switchLanguage(code: 'en' | 'ko'): Promise<void> {
    await this.languageSelect.selectOption(code);
    await expect(this.page.locator('html')).toHaveAttribute('lang', code);
  }
}
