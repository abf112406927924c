import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import {
  iapOverviewCard,
  openAccessTab,
  openEntityPage,
  signInAsGuest,
} from './portalPage';

/*
 * The IAP card, the Access tab and the review page against the running portal and the embedded
 * Google Cloud fake (demo seed): sign in as guest, open access-manager, read the compact card,
 * follow its link to the Access tab and read it, then review the team's apps and download the
 * CSV. Screenshots go to e2e-artifacts/ (git-ignored).
 */

test('a guest sees who can reach access-manager and reviews the team', async ({
  page,
}) => {
  const nav = await signInAsGuest(page);

  // The example app's entity page (the catalog listing is portal.test.ts's subject).
  await openEntityPage(page, 'access-manager');

  // The compact card on the overview: IAP state, coverage, accessors, critical findings.
  const card = iapOverviewCard(page);
  await expect(card).toBeVisible();
  const overview = card.getByLabel(
    'Access summary of access-manager · europe-west2',
  );
  await expect(overview.getByText('IAP on', { exact: true })).toBeVisible();
  await expect(
    overview.getByText(/^\d+ of \d+ (accessors|people) \(\d+%\)$/),
  ).toBeVisible();
  await expect(overview.getByText('Critical findings')).toBeVisible();
  await expect(card.getByText(/Last checked/)).toBeVisible();
  // the table is the tab's, not the overview's
  await expect(page.getByRole('grid', { name: 'Accessors' })).toHaveCount(0);
  await card.screenshot({ path: 'e2e-artifacts/cloud-run-iap-card.png' });

  // Its link opens the Access tab.
  await card.getByRole('link', { name: 'See who can get in' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/access-manager\/access$/,
  );

  // IAP state, the service facts and the last check.
  await expect(page.getByText('IAP on', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/Last checked/)).toBeVisible();
  await expect(
    page.getByText('europe-west2', { exact: true }).first(),
  ).toBeVisible();

  // Accessors: the team and the guest are granted on the service.
  const accessors = page.getByRole('grid', { name: 'Accessors' });
  await expect(accessors).toBeVisible();
  await expect(
    accessors.getByText('internal-apps-team@example.com', { exact: true }),
  ).toBeVisible();

  // Coverage: "N of M" and the bar.
  await expect(page.getByText(/^\d+ of \d+$/).first()).toBeVisible();
  await expect(
    page.getByRole('progressbar', { name: 'Context-aware access coverage' }),
  ).toBeVisible();

  // access-manager is the demo's well-configured app: its findings section says so.
  await expect(
    page.getByRole('heading', { name: /^Findings \(\d+\)$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('region', { name: /^Access levels \(\d+\)$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('form', { name: 'Check a context' }),
  ).toBeVisible();

  // Expanding an accessor shows the level's IP ranges.
  const showGuest = accessors.getByRole('button', {
    name: 'Show grants of user:guest@example.com',
  });
  await showGuest.click();
  await expect(
    accessors.getByRole('button', {
      name: 'Hide grants of user:guest@example.com',
    }),
  ).toHaveAttribute('aria-expanded', 'true');
  await expect(
    accessors.getByText(/IP ranges: 203\.0\.113\.0\/24/).first(),
  ).toBeVisible();

  await page.screenshot({
    path: 'e2e-artifacts/cloud-run-iap-access-tab.png',
    fullPage: true,
  });

  // data-sharing-api: two services (tabs) and findings with what, why and fix.
  await openAccessTab(page, 'data-sharing-api');
  await expect(
    page
      .getByRole('tablist', { name: 'Services of this entity' })
      .getByRole('tab'),
  ).toHaveCount(2);
  const findings = page.getByRole('list', { name: 'Findings' });
  await expect(findings.getByRole('listitem').first()).toBeVisible();
  await expect(findings.getByText('What:').first()).toBeVisible();
  await expect(findings.getByText('Fix:').first()).toBeVisible();
  await page.screenshot({
    path: 'e2e-artifacts/cloud-run-iap-access-tab-findings.png',
    fullPage: true,
  });

  // The review page, from the sidebar; it defaults to the guest's team.
  await nav.getByRole('link', { name: 'IAP access review' }).click();
  await expect(page).toHaveURL(/\/cloud-run-iap\/review/);
  await expect(page.getByRole('combobox', { name: 'Owner' })).toHaveValue(
    'group:default/internal-apps-team',
  );
  const summary = page.getByRole('list', { name: 'Review summary' });
  await expect(summary.getByLabel(/^Apps: \d+$/)).toBeVisible();
  const table = page.getByRole('grid', { name: 'Access review' });
  await expect(
    table.getByRole('link', { name: 'Access manager' }).first(),
  ).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^iap-access-review-group-default-internal-apps-team-.*\.csv$/,
  );
  const csvPath = 'e2e-artifacts/cloud-run-iap-review.csv';
  await download.saveAs(csvPath);
  const csv = await readFile(csvPath, 'utf8');
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  expect(header).toMatch(/member/i);
  expect(lines.length).toBeGreaterThan(0);
  expect(csv).toContain('access-manager');

  await page.screenshot({
    path: 'e2e-artifacts/cloud-run-iap-review.png',
    fullPage: true,
  });
});

test('the portal policy hides the access of an app the guest does not own', async ({
  page,
}) => {
  await signInAsGuest(page);
  // Owned by user:default/ada alone; the guest's team does not own it, so the catalog's
  // default "Owned" filter never lists it: open its page directly.
  await openEntityPage(page, 'callcentre-assistant');
  const card = iapOverviewCard(page);
  await expect(
    card.getByText('You may not see who can access this app'),
  ).toBeVisible();
  await expect(card.getByText('IAP on', { exact: true })).toHaveCount(0);
  await card.screenshot({
    path: 'e2e-artifacts/cloud-run-iap-card-denied.png',
  });
  // The Access tab says the same and shows no accessor.
  await openAccessTab(page, 'callcentre-assistant');
  await expect(
    page.getByText('You may not see who can access this app'),
  ).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Accessors' })).toHaveCount(0);
});
