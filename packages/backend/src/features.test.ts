import fs from 'node:fs';
import path from 'node:path';
import { TestBackend } from '@backstage/backend-test-utils';
import { parseAllDocuments } from 'yaml';
import {
  examplesDir,
  startPortalTestBackend,
} from './__testUtils__/portalTestBackend';
import { signInAsGuest } from './__testUtils__/signInAsGuest';

jest.setTimeout(90_000);

describe('backend features', () => {
  let backend: TestBackend;
  let baseUrl: string;
  let fakePort: number;
  let guestToken: string;

  beforeAll(async () => {
    ({ backend, baseUrl, fakePort } = await startPortalTestBackend());
    guestToken = await signInAsGuest(baseUrl, {
      group: 'group:default/internal-apps-team',
    });
  });

  afterAll(() => backend?.stop());

  const get = (urlPath: string) =>
    fetch(`${baseUrl}${urlPath}`, {
      headers: { Authorization: `Bearer ${guestToken}` },
    });

  it('reports ready once every plugin has started', async () => {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    expect(res.status).toBe(200);
  });

  it('serves the example apps from the catalog', async () => {
    const exampleApps = parseAllDocuments(
      fs.readFileSync(path.join(examplesDir, 'entities.yaml'), 'utf8'),
    )
      .map(doc => doc.toJS())
      .filter(e => e?.kind === 'Component')
      .map(e => e.metadata.name as string)
      .sort();
    expect(exampleApps.length).toBeGreaterThanOrEqual(7);
    const deadline = Date.now() + 30_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      const res = await get(
        '/api/catalog/entities/by-query?filter=kind=component',
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        items: Array<{ metadata: { name: string } }>;
      };
      names = body.items.map(e => e.metadata.name).sort();
      if (names.length === exampleApps.length) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(names).toEqual(exampleApps);
  });

  it('serves the Google APIs from the embedded fake', async () => {
    const res = await fetch(
      `http://127.0.0.1:${fakePort}/v3/projects/acme-internal-apps`,
      { headers: { Authorization: 'Bearer test' } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'projects/100000000001' });
  });

  it('serves the Cloud Run IAP API, described by its OpenAPI spec', async () => {
    const res = await get('/api/cloud-run-iap/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      info: { title: 'cloud-run-iap' },
    });
  });

  it('lets owners, and only owners, read who can reach an app (the portal policy)', async () => {
    const asGuest = (name: string) =>
      get(
        `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`,
      );
    // Owned by the guest's team.
    const owned = await asGuest('access-manager');
    expect(owned.status).toBe(200);
    expect(
      ((await owned.json()) as { services: unknown[] }).services,
    ).toHaveLength(1);
    // Owned by user:default/ada alone.
    const notOwned = await asGuest('callcentre-assistant');
    expect(notOwned.status).toBe(403);
  });

  it('runs the scaffolder', async () => {
    const res = await get('/api/scaffolder/v2/actions');
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as Array<{ id: string }>).map(a => a.id);
    expect(ids).toContain('catalog:register');
  });
});
