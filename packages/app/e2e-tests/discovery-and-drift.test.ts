import { expect, test } from '@playwright/test';
import { openAccessTab, openEntityPage, signInAsGuest } from './portalPage';

/*
 * Issue 16 against the running portal and the embedded fake's demo seed: an app whose
 * catalog-info.yaml declares other access than Google grants shows the drift, and the review
 * page lists the Cloud Run services nobody has linked to an app. Screenshots go to
 * e2e-artifacts/.
 */

test('the Access tab shows where team-directory grants other access than it declares', async ({
  page,
}) => {
  await signInAsGuest(page);
  // The guest's team owns team-directory; it declares project-x and engineering behind
  // corp_network, and Google grants project-x alone, with no access level.
  await openAccessTab(page, 'team-directory');
  const findings = page.getByRole('list', { name: 'Findings' });
  const drift = findings.getByRole('listitem').filter({
    has: page.getByRole('heading', {
      name: /Access differs from what the catalog declares/,
    }),
  });
  await expect(drift).toBeVisible();
  await expect(
    drift.getByText('group:engineering@example.com').first(),
  ).toBeVisible();
  await expect(drift.getByText('Rule ACCESS_DRIFT')).toBeVisible();
  // An owner may apply the declaration (previewed first): the button is there, not pressed here.
  await expect(
    page.getByRole('button', { name: 'Apply declared access' }).first(),
  ).toBeVisible();
  await drift.screenshot({ path: 'e2e-artifacts/access-drift-finding.png' });
});

test('the catalog holds the discovered Cloud Run services, and the review lists the unowned ones', async ({
  page,
}) => {
  await signInAsGuest(page);
  // Discovery runs a few seconds after the start, then every minute (app-config.local-fake.yaml).
  const resource = 'access-manager.europe-west2.acme-internal-apps';
  await expect(async () => {
    await openEntityPage(page, resource, 'resource');
    await expect(
      page.getByText('cloud-run-service', { exact: true }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  await page.screenshot({
    path: 'e2e-artifacts/discovered-resource.png',
    fullPage: true,
  });

  // The service names its app on Google's side: the app's relations show the Resource.
  await openEntityPage(page, 'access-manager');
  const relations = page.locator('svg').filter({ hasText: 'dependsOn' });
  await expect(
    relations.getByText('access-manager', { exact: true }),
  ).toBeVisible();

  await page.goto('/cloud-run-iap/review?owner=group:default/platform-team');
  const unowned = page.getByRole('region', { name: 'Unowned services' });
  const table = unowned.getByRole('grid', { name: 'Unowned services' });
  await expect(table.getByText('Not linked').first()).toBeVisible();
  await expect(
    table.getByText(/backstage\.io\/entity-ref=component:default\/APP/).first(),
  ).toBeVisible();
  await unowned.screenshot({
    path: 'e2e-artifacts/review-unowned-services.png',
  });
});
