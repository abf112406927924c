import { expect, test } from '@playwright/test';
import { signInAsGuest } from './portalPage';

test('the portal lists the Cloud Run IAP scaffolder actions', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/create/actions');
  for (const id of [
    'gcp:cloud-run-iap-service:create',
    'gcp:cloud-run-iap-access:update',
    // Deprecated aliases, listed until version 0.3.0 of the scaffolder module.
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

test('the scaffolder offers the Cloud Run IAP form fields', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/create/edit');
  await page.getByText('Custom Field Explorer').click();

  const chooser = page
    .getByLabel(/choose custom field extension/i)
    .locator('input');
  await chooser.click();
  await chooser.fill('CloudRunIap');
  await expect(page.getByRole('option')).toHaveText([
    'CloudRunIapAccessLevelPicker',
    'CloudRunIapAccessorsPicker',
  ]);
  await page
    .getByRole('option', { name: 'CloudRunIapAccessorsPicker' })
    .click();

  // The field itself, rendered by the scaffolder's form: the rules apply as you type.
  const member = page.getByLabel('Add a member');
  await member.fill('allUsers');
  await expect(page.getByText(/allUsers is never allowed/)).toBeVisible();
  await member.fill('group:internal-apps-team@example.com');
  await member.press('Enter');
  await expect(
    page.getByRole('button', { name: /group:internal-apps-team@example.com/ }),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-artifacts/scaffolder-accessors-field.png',
    fullPage: true,
  });
});
