// Page object for the "Import from kubeconfig" dialog of the Clusters area and the
// forget confirmation of a remote cluster.
import { expect, type Locator, type Page } from '@playwright/test';

/** ImportKubeconfigDialog wraps the dialog that imports kubeconfig contexts as remote clusters. */
export class ImportKubeconfigDialog {
  readonly dialog: Locator;
  readonly contexts: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly forgetDialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('import-kubeconfig-dialog');
    this.contexts = this.dialog.getByTestId('kubeconfig-contexts');
    this.submit = this.dialog.getByTestId('import-kubeconfig-submit');
    this.error = this.dialog.getByTestId('import-kubeconfig-error');
    this.forgetDialog = page.getByTestId('forget-remote-dialog');
  }

  /** open opens the dialog from the empty state or the page header. */
  async open(): Promise<void> {
    await this.page.getByTestId('import-kubeconfig-empty').or(this.page.getByTestId('import-kubeconfig')).first().click();
    await expect(this.dialog).toBeVisible();
  }

  /** paste switches to pasted text, types the kubeconfig and reads its contexts. */
  async paste(kubeconfig: string): Promise<void> {
    await this.dialog.getByTestId('kubeconfig-source-paste').check();
    await this.dialog.getByTestId('kubeconfig-text').fill(kubeconfig);
    await this.dialog.getByTestId('kubeconfig-read').click();
    await expect(this.contexts).toBeVisible();
  }

  /** context is the row of one context in the list. */
  context(name: string): Locator {
    return this.contexts.getByTestId(`kubeconfig-context-${name}`);
  }

  /** forget forgets a remote cluster through its row menu and the confirmation. */
  async forget(name: string): Promise<void> {
    await this.page.getByTestId(`cluster-menu-${name}`).click();
    await this.page.getByTestId(`cluster-menu-${name}-forget`).click();
    await expect(this.forgetDialog).toBeVisible();
    await this.forgetDialog.getByTestId('forget-remote-confirm').click();
    await expect(this.forgetDialog).toBeHidden();
  }
}
