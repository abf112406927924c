import { Browser, expect, Locator, Page, test } from '@playwright/test';
import { openAccessTab, signInAsGuest } from './portalPage';

/*
 * Day two of an app (issue 12) on the running portal and the embedded Google Cloud fake:
 * Alan (data team, no access) asks "Why can't I get in?" on team-directory, is told he cannot,
 * and requests access for 7 days; the guest (team lead of the owning team) sees the
 * notification, follows it and approves; the Access tab shows Alan's time-bound grant with its
 * expiry; Alan's check now says he gets in. Two browser contexts, one per user. Screenshots go
 * to e2e-artifacts/.
 */

const APP = 'team-directory';
const SERVICE_LABEL = 'team-directory (europe-west2)';
const ALAN = 'user:alan@example.com';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** Signs in through the development sign-in as the example user with this title. */
async function signInAsExampleUser(page: Page, title: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${title}` }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** Runs "Why can't I get in?" and returns the answer for the app's service. */
async function checkMyAccess(page: Page): Promise<Locator> {
  const check = page.getByRole('region', { name: "Why can't I get in?" });
  await check.getByRole('button', { name: 'Check my access' }).click();
  const answer = check.getByText(
    new RegExp(`^${SERVICE_LABEL.replace(/[()]/g, '\\$&')}: You`),
  );
  await expect(answer).toBeVisible();
  return answer;
}

test('a user without access requests it, the team lead approves, access ends by itself', async ({
  browser,
}) => {
  test.setTimeout(240_000);

  // Alan: not an owner, so the report is not his to read, but the check is.
  const alan = await newPage(browser);
  await signInAsExampleUser(alan, 'Alan Turing');
  await openAccessTab(alan, APP);
  await expect(
    alan.getByText('You may not see who can access this app'),
  ).toBeVisible();
  const before = await checkMyAccess(alan);
  await expect(before).toHaveText(`${SERVICE_LABEL}: You cannot get in`);
  await alan.screenshot({
    path: 'e2e-artifacts/day-two-1-alan-denied.png',
    fullPage: true,
  });

  // He requests access for 7 days.
  await alan.getByRole('button', { name: 'Request access' }).click();
  const form = alan.getByRole('form', {
    name: `Request access to ${SERVICE_LABEL}`,
  });
  await form
    .getByRole('textbox', { name: /Justification/ })
    .fill('I keep the desk map of the new office up to date.');
  await form.getByText('7 days', { exact: true }).click();
  await expect(form.getByRole('radio', { name: '7 days' })).toBeChecked();
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(alan.getByText('Access requested')).toBeVisible();
  const own = alan.getByRole('region', { name: 'Your access requests' });
  await expect(own.getByText(/^Pending \(lapses /)).toBeVisible();

  // The guest, team lead of the owning team, is notified.
  const guest = await newPage(browser);
  const nav = await signInAsGuest(guest);
  await nav.getByRole('link', { name: /Notifications/ }).click();
  const notification = guest.getByText(
    `Access request: ${ALAN} asks for 7 days access to ${APP}`,
  );
  await expect(notification).toBeVisible();
  await guest.screenshot({
    path: 'e2e-artifacts/day-two-2-guest-notified.png',
    fullPage: true,
  });

  // The notification leads to the app's Access tab, where the guest approves.
  await notification.click();
  await expect(guest).toHaveURL(
    new RegExp(`/catalog/default/component/${APP}/access\\?request=`),
  );
  const requests = guest.getByRole('region', {
    name: 'Access requests',
    exact: true,
  });
  await requests.getByRole('button', { name: `Approve ${ALAN}` }).click();
  await expect(requests.getByText(/^Approved, expires /)).toBeVisible();

  // The report, read again from Google, shows Alan's time-bound grant and when it ends.
  const accessors = guest.getByRole('grid', { name: 'Accessors' });
  await expect(accessors.getByText(ALAN).first()).toBeVisible();
  await accessors
    .getByRole('button', { name: `Show grants of ${ALAN}` })
    .click();
  await expect(guest.getByText(/^Expires( soon:)? /).first()).toBeVisible();
  await guest.screenshot({
    path: 'e2e-artifacts/day-two-3-guest-approved.png',
    fullPage: true,
  });

  // Alan's check now says he gets in, through the temporary grant.
  await openAccessTab(alan, APP);
  await expect(async () => {
    const after = await checkMyAccess(alan);
    await expect(after).toHaveText(`${SERVICE_LABEL}: You can get in`, {
      timeout: 2_000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(
    alan
      .getByRole('region', { name: 'Your access requests' })
      .getByText(/^Approved, expires /),
  ).toBeVisible();
  await alan.screenshot({
    path: 'e2e-artifacts/day-two-4-alan-allowed.png',
    fullPage: true,
  });
});
