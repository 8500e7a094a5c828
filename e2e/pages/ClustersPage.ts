// Page object for the Clusters area: the cluster table or its empty state, and the
// create, delete and other cluster dialogs.
import { expect, type Locator, type Page } from '@playwright/test';

/** ClustersPage wraps the list of local clusters and its dialogs. */
export class ClustersPage {
  readonly emptyState: Locator;
  readonly createCommand: Locator;
  readonly table: Locator;
  readonly createDialog: Locator;
  readonly nameInput: Locator;
  readonly nameHelp: Locator;
  readonly workersInput: Locator;
  readonly createSubmit: Locator;
  readonly progressSteps: Locator;
  readonly createResult: Locator;
  readonly deleteDialog: Locator;

  constructor(readonly page: Page) {
    this.emptyState = page.getByTestId('clusters-empty');
    this.createCommand = this.emptyState.getByTestId('create-command');
    this.table = page.getByTestId('clusters-table');
    this.createDialog = page.getByTestId('create-cluster-dialog');
    this.nameInput = this.createDialog.getByTestId('cluster-name-input');
    this.nameHelp = this.createDialog.getByTestId('cluster-name-help');
    this.workersInput = this.createDialog.getByTestId('cluster-workers-input');
    this.createSubmit = this.createDialog.getByTestId('create-cluster-submit');
    this.progressSteps = this.createDialog.getByTestId('progress-step');
    this.createResult = this.createDialog.getByTestId('create-result');
    this.deleteDialog = page.getByTestId('delete-cluster-dialog');
  }

  /** emptyHeading is the empty state's heading, e.g. "No clusters yet". */
  emptyHeading(name: string | RegExp): Locator {
    return this.emptyState.getByRole('heading', { name });
  }

  /** row is the table row of one cluster. */
  row(name: string): Locator {
    return this.table.getByTestId(`cluster-row-${name}`);
  }

  /** openCreate opens the create dialog from the empty state or the page header. */
  async openCreate(): Promise<void> {
    const button = this.page.getByTestId('create-cluster-empty').or(this.page.getByTestId('create-cluster'));
    await button.first().click();
    await expect(this.createDialog).toBeVisible();
  }

  /** step is one progress step in the create dialog, by its text. */
  step(text: string): Locator {
    return this.progressSteps.filter({ hasText: text });
  }

  /** deleteCluster deletes a cluster through its menu and the typed confirmation; `beforeConfirm` runs with the name typed. */
  async deleteCluster(name: string, beforeConfirm?: () => Promise<void>): Promise<void> {
    await this.page.getByTestId(`cluster-menu-${name}`).click();
    await this.page.getByTestId(`cluster-menu-${name}-delete`).click();
    await expect(this.deleteDialog).toBeVisible();
    const confirm = this.deleteDialog.getByTestId('delete-cluster-confirm');
    await expect(confirm).toBeDisabled();
    await this.deleteDialog.getByTestId('delete-cluster-input').fill(name);
    await expect(confirm).toBeEnabled();
    await beforeConfirm?.();
    await confirm.click();
  }
}
