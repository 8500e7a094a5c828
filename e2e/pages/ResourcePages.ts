// Page objects for the cluster areas: namespaces, pods (with the pod details) and
// the other live lists.
import { expect, type Locator, type Page } from '@playwright/test';

/** NamespacesPage wraps the namespaces list and its create form. */
export class NamespacesPage {
  readonly table: Locator;
  readonly nameInput: Locator;
  readonly nameProblem: Locator;
  readonly createButton: Locator;
  readonly deleteDialog: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('namespaces-table');
    this.nameInput = page.getByTestId('namespace-name-input');
    this.nameProblem = page.getByTestId('namespace-name-problem');
    this.createButton = page.getByTestId('create-namespace');
    this.deleteDialog = page.getByTestId('delete-namespace-dialog');
  }

  /** row is the table row of one namespace. */
  row(name: string): Locator {
    return this.table.getByTestId(`namespace-row-${name}`);
  }

  /** create types a name and submits the form. */
  async create(name: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.createButton.click();
    await expect(this.row(name)).toBeVisible();
  }

  /** delete deletes a namespace after its confirmation. */
  async delete(name: string): Promise<void> {
    await this.row(name).getByTestId('namespace-delete').click();
    await this.deleteDialog.getByTestId('delete-namespace-confirm').click();
    await expect(this.deleteDialog).toHaveCount(0);
  }
}

/** PodsPage wraps the pods table, its filters and the pod details panel. */
export class PodsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly empty: Locator;
  readonly textFilter: Locator;
  readonly selector: Locator;
  readonly selectorProblem: Locator;
  readonly details: Locator;
  readonly deleteSelected: Locator;
  readonly deleteDialog: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('pods-table');
    this.rows = this.table.locator('[role="rowgroup"] [role="row"][data-testid^="pod-row-"]');
    this.empty = page.getByTestId('pods-empty');
    this.textFilter = page.getByTestId('pod-filter-text');
    this.selector = page.getByTestId('pod-filter-selector');
    this.selectorProblem = page.getByTestId('selector-problem');
    this.details = page.getByTestId('pod-details');
    this.deleteSelected = page.getByTestId('delete-selected');
    this.deleteDialog = page.getByTestId('delete-pods-dialog');
  }

  /** row is the table row of one pod. */
  row(name: string): Locator {
    return this.table.getByTestId(`pod-row-${name}`);
  }

  /** names reads the pod names the table shows, in order. */
  async names(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')?.replace(/^pod-row-/, '') ?? ''));
  }

  /** expectNames waits until the table shows exactly these pods, in this order. */
  async expectNames(names: string[]): Promise<void> {
    await expect.poll(() => this.names()).toEqual(names);
  }

  /** select ticks a pod's checkbox. */
  async select(name: string): Promise<void> {
    await this.row(name).getByRole('checkbox').check();
  }
}
