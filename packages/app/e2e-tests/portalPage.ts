import { expect, Locator, Page } from '@playwright/test';

/** Signs in with the guest provider and waits for the sidebar; returns the sidebar. */
export async function signInAsGuest(page: Page): Promise<Locator> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  return nav;
}

/**
 * Switches the catalog from the apps the guest owns to all of them. The filter list can render
 * again right after the page loads and swallow a click, so the click is repeated until the
 * table says it lists all components.
 */
export async function showAllComponents(page: Page): Promise<void> {
  await expect(async () => {
    await page.getByRole('menuitem', { name: /^All/ }).click();
    await expect(
      page.getByRole('heading', { name: /^All Components/ }).first(),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}
