import { expect, test } from '@playwright/test';
import { signInAsGuest } from './portalPage';

/*
 * A golden path in the real portal (frontend, backend, embedded Google Cloud fake, local git):
 * Create lists the templates; the Flask template's form is filled and run; the task's link
 * opens the new entity, whose IAP card shows IAP on and whose Access tab lists the chosen
 * accessors.
 */

const appName = 'e2e-access-requests';

test('Create lists the four templates', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/create');
  for (const title of [
    'Internal Flask app for access management',
    'Internal FastAPI app for data sharing',
    'Internal GenAI assistant for a call centre',
    'Internal uptime monitor',
  ]) {
    await expect(page.getByText(title, { exact: true })).toBeVisible();
  }
  await page.screenshot({
    path: 'e2e-artifacts/templates-create.png',
    fullPage: true,
  });
});

test('a developer creates an internal Flask app and sees who can reach it', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);
  await page.goto('/create/templates/default/internal-flask-app');

  // The app: name rules apply in the form; the owner is the guest's only group, picked for them.
  const name = page.getByRole('textbox', { name: /^Name/ });
  await name.fill('Access-Requests');
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Staff request access; approvers decide');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(/does not match pattern|must match pattern/i).first(),
  ).toBeVisible();
  await name.fill(appName);
  await page.getByRole('button', { name: 'Next' }).click();

  // Where it runs: the project's regions only.
  await expect(page.getByText('Where it runs').first()).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  // Who may use it: an accessor, and an access level (the warning goes away once one is chosen).
  await expect(page.getByText(/Warning: with no access level/)).toBeVisible();
  const member = page.getByLabel('Add a member');
  await member.fill('user:someone@partner.org');
  await expect(
    page.getByText(/is outside the organisation's domains/).first(),
  ).toBeVisible();
  await member.fill('group:sre@example.com');
  await member.press('Enter');
  await expect(
    page.getByRole('button', { name: /group:sre@example.com/ }),
  ).toBeVisible();
  // The access-level field is a select (a button opening a searchable list); in a multi-select
  // the list stays open until Escape.
  await page.getByRole('button', { name: /Access levels/ }).click();
  await page
    .getByRole('option', { name: /^Corporate network \(corp_network\)/ })
    .click();
  await page.keyboard.press('Escape');
  await expect(page.getByText(/Warning: with no access level/)).toHaveCount(0);
  await page.screenshot({
    path: 'e2e-artifacts/templates-form-access.png',
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository, then review and create.
  await expect(
    page.getByRole('textbox', { name: /Repository owner/ }),
  ).toHaveValue('internal-apps');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({
    path: 'e2e-artifacts/templates-review.png',
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs every step; its output links to the repository, the app and the entity.
  const entityLink = page
    .getByRole('link', { name: 'Open in catalog' })
    .or(page.getByRole('button', { name: 'Open in catalog' }));
  await expect(entityLink.first()).toBeVisible({ timeout: 180_000 });
  await expect(
    page
      .getByRole('link', { name: 'Repository' })
      .or(page.getByRole('button', { name: 'Repository' }))
      .first(),
  ).toBeVisible();
  await expect(
    page
      .getByRole('link', { name: 'Open the app' })
      .or(page.getByRole('button', { name: 'Open the app' }))
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e-artifacts/templates-task.png',
    fullPage: true,
  });
  await entityLink.first().click();

  // The new entity's page: the compact IAP card with IAP on, then the Access tab with the chosen
  // accessor.
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${appName}`),
  );
  const card = page.locator('.bui-Card').filter({
    has: page.getByRole('heading', {
      name: 'Access through Identity-Aware Proxy',
    }),
  });
  // The catalog ingests the registered location on its own schedule, so the page can say
  // "Entity not found" until it has; the page does not look again by itself.
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible()) {
      await page.reload();
    }
    await expect(card.getByText('IAP on', { exact: true })).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 180_000 });
  await card.screenshot({ path: 'e2e-artifacts/templates-new-app-card.png' });
  await card.getByRole('link', { name: 'See who can get in' }).click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${appName}/access`),
  );
  const accessors = page.getByRole('grid', { name: 'Accessors' });
  await expect(accessors.getByText(/sre@example\.com/).first()).toBeVisible();
  await page.screenshot({
    path: 'e2e-artifacts/templates-new-app-access-tab.png',
    fullPage: true,
  });
});
