// Page object for the Clusters area: the cluster table or its empty state.
import type { Locator, Page } from '@playwright/test';

/** ClustersPage wraps the list of local clusters. */
export class ClustersPage {
  readonly emptyState: Locator;
  readonly createCommand: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.emptyState = page.getByTestId('clusters-empty');
    this.createCommand = this.emptyState.getByTestId('create-command');
    this.table = page.getByTestId('clusters-table');
  }

  /** emptyHeading is the empty state's heading, e.g. "No clusters yet". */
  emptyHeading(name: string | RegExp): Locator {
    return this.emptyState.getByRole('heading', { name });
  }

  /** row is the table row of one cluster. */
  row(name: string): Locator {
    return this.table.getByTestId(`cluster-row-${name}`);
  }
}
