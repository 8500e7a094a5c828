// Page objects for the cluster areas: namespaces, pods (with the pod details, its
// logs and terminal), services, workloads and the other live lists.
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

  /** openTab opens a tab of the pod details: details, logs, terminal or yaml. */
  async openTab(tab: 'details' | 'logs' | 'terminal' | 'yaml'): Promise<void> {
    await this.details.getByTestId(`pod-tab-${tab}`).click();
    await expect(this.details.getByTestId(`pod-tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
  }

  /** logOutput is the drawn log of the logs tab. */
  get logOutput(): Locator {
    return this.details.getByTestId('log-output');
  }

  /** terminalOutput is the screen of the terminal tab. */
  get terminalOutput(): Locator {
    return this.details.getByTestId('terminal-output');
  }

  /** terminalLines reads the lines the terminal shows, without trailing blanks. */
  async terminalLines(): Promise<string[]> {
    return this.terminalOutput.locator('.xterm-rows > div').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+$/, '')));
  }
}

/** ServicesPage wraps the services table, the create dialog and the service details. */
export class ServicesPage {
  readonly table: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  readonly details: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('services-table');
    this.createButton = page.getByTestId('create-service');
    this.createDialog = page.getByTestId('create-service-dialog');
    this.details = page.getByTestId('service-details');
  }

  /** row is the table row of one service. */
  row(name: string): Locator {
    return this.table.getByTestId(`service-row-${name}`);
  }

  /** createFromForm fills the create form (one port) and submits it. */
  async createFromForm(service: { name: string; selector: string; port: string; targetPort: string; type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' }): Promise<void> {
    await this.createButton.click();
    await expect(this.createDialog).toBeVisible();
    const dialog = this.createDialog;
    await dialog.getByTestId('service-name-input').fill(service.name);
    if (service.type) await dialog.getByTestId(`service-type-${service.type}`).check();
    await dialog.getByTestId('service-selector-input').fill(service.selector);
    await dialog.getByRole('textbox', { name: 'Port 1', exact: true }).fill(service.port);
    await dialog.getByRole('textbox', { name: 'Target port of port 1' }).fill(service.targetPort);
    await dialog.getByTestId('create-service-submit').click();
    await expect(this.createDialog).toHaveCount(0);
  }
}

/** WorkloadsPage wraps the workloads lists and a workload's details. */
export class WorkloadsPage {
  readonly table: Locator;
  readonly details: Locator;
  readonly createButton: Locator;
  readonly yamlDialog: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('workloads-table');
    this.details = page.getByTestId('workload-details');
    this.createButton = page.getByTestId('create-workload');
    this.yamlDialog = page.getByTestId('create-yaml-dialog');
  }

  /** row is the table row of one workload. */
  row(name: string): Locator {
    return this.table.getByTestId(`workload-row-${name}`);
  }

  /** createFromYaml replaces the example in the YAML dialog and creates the object. */
  async createFromYaml(yaml: string): Promise<void> {
    await this.createButton.click();
    await expect(this.yamlDialog).toBeVisible();
    await this.yamlDialog.getByTestId('create-yaml-text').fill(yaml);
    await this.yamlDialog.getByTestId('create-yaml-submit').click();
    await expect(this.yamlDialog).toHaveCount(0);
  }

  /** scale sets the replicas of the open workload through the scale dialog. */
  async scale(replicas: number): Promise<void> {
    await this.details.getByTestId('workload-scale').click();
    const dialog = this.page.getByTestId('scale-dialog');
    await dialog.getByTestId('scale-replicas').fill(String(replicas));
    await dialog.getByTestId('scale-submit').click();
    await expect(dialog).toHaveCount(0);
  }
}
