// The pods table by keyboard alone: Tab reaches the table as one stop, the arrows,
// Home/End and PageDown move a highlighted row that stays on screen while only the
// visible rows are in the DOM, Space ticks a row, Enter opens it, and "/" jumps to
// the filter. Real engine, real cluster (no workers: pods stay Pending, which is
// enough for the list).
import type { Locator, Page, TestInfo } from '@playwright/test';
import { EngineApi } from './engineApi';
import { collectPageErrors, expect, requireDocker, test } from './fixtures';

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** cursorRow is the row the grid names as its active descendant. */
async function cursorRow(table: Locator): Promise<Locator> {
  const id = await table.getAttribute('aria-activedescendant');
  expect(id, 'the table names a row under the keyboard cursor').toBeTruthy();
  return table.locator(`[id="${id}"]`);
}

async function expectCursorOn(table: Locator, row: Locator): Promise<void> {
  await expect(row).toHaveClass(/\bcursor\b/);
  await expect.poll(async () => (await table.getAttribute('aria-activedescendant')) === (await row.getAttribute('id'))).toBe(true);
  await expect(row).toBeInViewport();
}

test('move through the pods table, tick and open a pod with the keyboard alone', async ({ page, engine, shell, statusPanel, podsPage }, testInfo) => {
  requireDocker();
  const api = await EngineApi.connect(engine);
  const name = `e2e-${Date.now().toString(36)}`;
  const problems = collectPageErrors(page);
  // More pods than fit on screen, so moving the cursor has to scroll the virtualized rows.
  const pods = Array.from({ length: 40 }, (_, i) => `pod-${String(i).padStart(2, '0')}`);

  try {
    await api.createCluster(name, 0);
    for (const pod of pods) await api.createPod(name, 'default', pod, { app: 'keys' });

    await shell.open(engine.loginUrl);
    await statusPanel.toggle.click();
    await shell.chooseCluster(name);
    await shell.chooseNamespace('default');
    await shell.goTo('pods');
    await expect(podsPage.rows.first()).toBeVisible();
    await expect(podsPage.row('pod-00')).toBeVisible();
    await expect(podsPage.row('pod-39')).toHaveCount(0);

    // ---- One Tab from the last filter lands on the table, with the first row under the cursor.
    await podsPage.selector.focus();
    await page.keyboard.press('Tab');
    await expect(podsPage.table).toBeFocused();
    await expect(podsPage.table).toHaveAttribute('role', 'grid');
    await expectCursorOn(podsPage.table, podsPage.row('pod-00'));

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expectCursorOn(podsPage.table, podsPage.row('pod-02'));
    await page.keyboard.press('ArrowUp');
    await expectCursorOn(podsPage.table, podsPage.row('pod-01'));
    await expect(podsPage.row('pod-02')).not.toHaveClass(/\bcursor\b/);

    // ---- End scrolls the last row into the DOM and into view; Home goes back.
    await page.keyboard.press('End');
    await expectCursorOn(podsPage.table, podsPage.row('pod-39'));
    await page.keyboard.press('Home');
    await expectCursorOn(podsPage.table, podsPage.row('pod-00'));
    await page.keyboard.press('PageDown');
    const paged = await cursorRow(podsPage.table);
    await expect(paged).toBeInViewport();
    await expect(paged).not.toHaveAttribute('data-testid', 'pod-row-pod-00');
    await page.keyboard.press('PageUp');
    await expectCursorOn(podsPage.table, podsPage.row('pod-00'));

    // ---- Space ticks the cursor row (the checkboxes are not tab stops of their own).
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    await expect(podsPage.row('pod-03')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('selection-count')).toHaveText('1 selected');
    await page.keyboard.press(' ');
    await expect(podsPage.row('pod-03')).toHaveAttribute('aria-selected', 'false');
    await expect(page.getByTestId('selection-count')).toHaveCount(0);

    // ---- Enter opens the pod, as a click would.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(podsPage.details).toBeVisible();
    await expect(page).toHaveURL(/#\/pods\/default\/pod-04/);
    await expect(podsPage.row('pod-04')).toHaveClass(/\bactive\b/);
    await podsPage.table.focus();
    await expectCursorOn(podsPage.table, podsPage.row('pod-04'));
    await shot(page, testInfo, '01-keyboard-cursor-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('ArrowDown');
    await expectCursorOn(podsPage.table, podsPage.row('pod-05'));
    await shot(page, testInfo, '02-keyboard-cursor-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // ---- "/" jumps to the filter, and typing there types.
    await page.keyboard.press('/');
    await expect(podsPage.textFilter).toBeFocused();
    await page.keyboard.type('pod-3/');
    await expect(podsPage.textFilter).toHaveValue('pod-3/');
    await page.keyboard.press('Backspace');
    await podsPage.expectNames(pods.filter((p) => p.startsWith('pod-3')));

    expect(problems).toEqual([]);
  } finally {
    await api.deleteClusterIfPresent(name);
  }
});
