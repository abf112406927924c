import { expect, test } from '@playwright/test';

test('the portal lists the Cloud Run IAP scaffolder actions', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Create' })).toBeVisible();

  await page.goto('/create/actions');
  for (const id of [
    'gcp:cloud-run:create-iap-service',
    'gcp:cloud-run:update-iap-access',
  ]) {
    await expect(page.getByText(id, { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({
    path: 'e2e-artifacts/scaffolder-actions.png',
    fullPage: true,
  });
});
