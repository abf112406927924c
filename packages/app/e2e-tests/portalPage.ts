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
 * Opens the catalog listing every component. The filter comes from the URL rather than a
 * click on "All": the picker re-applies the "Owned" filter from the URL it loaded with, and
 * could undo the click after it had rendered. Waits until the table says it lists them all.
 */
export async function showAllComponents(page: Page): Promise<void> {
  await page.goto('/?filters[kind]=component&filters[user]=all');
  await expect(
    page.getByRole('heading', { name: /^All Components/ }).first(),
  ).toBeVisible();
}

/** Opens an entity's page by its URL (for tests where the catalog listing is not the point). */
export async function openEntityPage(
  page: Page,
  name: string,
  kind = 'component',
  namespace = 'default',
): Promise<void> {
  await page.goto(`/catalog/${namespace}/${kind}/${name}`);
}

/** The compact IAP card on an entity's overview (a Backstage UI card with its title). */
export function iapOverviewCard(page: Page): Locator {
  return page.locator('.bui-Card').filter({
    has: page.getByRole('heading', {
      name: 'Access through Identity-Aware Proxy',
    }),
  });
}

/** Opens an entity's Access tab by its URL (for tests where the tab link is not the point). */
export async function openAccessTab(
  page: Page,
  name: string,
  kind = 'component',
  namespace = 'default',
): Promise<void> {
  await page.goto(`/catalog/${namespace}/${kind}/${name}/access`);
}
