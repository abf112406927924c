import { expect, test } from '@playwright/test';
import { signInAsGuest } from './portalPage';

test('the portal lists the Cloud Run IAP scaffolder actions', async ({
  page,
}) => {
  await signInAsGuest(page);

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
