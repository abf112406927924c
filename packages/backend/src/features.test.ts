import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { parseAllDocuments } from 'yaml';
import { testBackendFeatures } from './__testUtils__/testBackendFeatures';

const examples = path.resolve(__dirname, '../../../examples');

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

jest.setTimeout(90_000);

describe('backend features', () => {
  let backend: TestBackend;
  let baseUrl: string;
  let fakePort: number;
  let guestToken: string;

  beforeAll(async () => {
    fakePort = await freePort();
    backend = await startTestBackend({
      features: [
        ...testBackendFeatures,
        // Real tokens end to end, so the guest's own sign-in reaches the permission policy.
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'User', 'Group'] }],
              locations: [
                { type: 'file', target: path.join(examples, 'entities.yaml') },
                { type: 'file', target: path.join(examples, 'org.yaml') },
              ],
            },
            permission: { enabled: true },
            auth: {
              providers: {
                guest: {
                  userEntityRef: 'user:default/guest',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
            cloudRunIap: {
              google: { endpoint: `http://127.0.0.1:${fakePort}` },
              organization: { domains: ['example.com'] },
              projects: [
                {
                  id: 'acme-internal-apps',
                  regions: ['europe-west2', 'us-central1'],
                },
              ],
            },
            googleCloudFake: { enabled: true, port: fakePort },
          },
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${backend.server.port()}`;
    guestToken = await signInAsGuest();
  });

  // The guest's sign-in reads its user entity and group memberships from the catalog, which
  // loads the example files in the background.
  async function signInAsGuest(): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (res.ok) {
        const { backstageIdentity } = (await res.json()) as {
          backstageIdentity: {
            token: string;
            identity: { ownershipEntityRefs: string[] };
          };
        };
        if (
          backstageIdentity.identity.ownershipEntityRefs.includes(
            'group:default/internal-apps-team',
          )
        ) {
          return backstageIdentity.token;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`guest sign-in did not succeed: ${res.status}`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

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
      fs.readFileSync(path.join(examples, 'entities.yaml'), 'utf8'),
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
