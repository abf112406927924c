import { createServer } from 'node:net';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { backendFeatures } from './features';

const examples = path.resolve(__dirname, '../../../examples');

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('backend features', () => {
  let backend: TestBackend;
  let baseUrl: string;
  let fakePort: number;

  beforeAll(async () => {
    fakePort = await freePort();
    backend = await startTestBackend({
      features: [
        ...backendFeatures,
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
            googleCloudFake: { enabled: true, port: fakePort },
          },
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${backend.server.port()}`;
  });

  afterAll(() => backend?.stop());

  // A service token: the test backend's mock user tokens are not accepted by the real
  // permission backend for catalog reads.
  const get = (urlPath: string) =>
    fetch(`${baseUrl}${urlPath}`, {
      headers: { Authorization: mockCredentials.service.header() },
    });

  it('reports ready once every plugin has started', async () => {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    expect(res.status).toBe(200);
  });

  it('serves the example apps from the catalog', async () => {
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
      if (names.length === 3) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(names).toEqual([
      'access-manager',
      'callcentre-assistant',
      'data-sharing-api',
    ]);
  });

  it('serves the Google APIs from the embedded fake', async () => {
    const res = await fetch(
      `http://127.0.0.1:${fakePort}/v3/projects/acme-internal-apps`,
      { headers: { Authorization: 'Bearer test' } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'projects/100000000001' });
  });

  it('serves the Cloud Run IAP API', async () => {
    const res = await fetch(`${baseUrl}/api/cloud-run-iap/health`);
    expect(res.status).toBe(200);
  });

  it('runs the scaffolder', async () => {
    const res = await get('/api/scaffolder/v2/actions');
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as Array<{ id: string }>).map(a => a.id);
    expect(ids).toContain('catalog:register');
  });
});
