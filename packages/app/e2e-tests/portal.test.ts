import { expect, test } from '@playwright/test';
import { showAllComponents, signInAsGuest } from './portalPage';

const backendUrl = `http://127.0.0.1:${process.env.E2E_BACKEND_PORT ?? '7007'}`;

test('the backend is ready and refuses anonymous catalog reads', async ({
  request,
}) => {
  const ready = await request.get(
    `${backendUrl}/.backstage/health/v1/readiness`,
  );
  expect(ready.status()).toBe(200);

  const anonymous = await request.get(
    `${backendUrl}/api/catalog/entities/by-query`,
  );
  expect(anonymous.status()).toBe(401);
});

test('the backend serves the Google APIs from the embedded fake', async ({
  request,
}) => {
  const fakeUrl = `http://127.0.0.1:${process.env.E2E_FAKE_PORT ?? '8085'}`;
  const service = await request.get(
    `${fakeUrl}/v2/projects/acme-internal-apps/locations/europe-west2/services/access-manager`,
    { headers: { Authorization: 'Bearer e2e' } },
  );
  expect(service.status()).toBe(200);
  expect((await service.json()).iapEnabled).toBe(true);
});

test('a guest signs in and sees the example apps in the catalog', async ({
  page,
}) => {
  await signInAsGuest(page);
  // The catalog starts on the apps the guest owns; every example app shows under "All".
  await showAllComponents(page);
  for (const title of [
    'Access manager',
    'Data sharing API',
    'Call-centre assistant',
  ]) {
    await expect(page.getByRole('link', { name: title })).toBeVisible();
  }
  await page.screenshot({
    path: 'e2e-artifacts/catalog.png',
    fullPage: true,
  });
});
