import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleCloudRunIap } from './module';

describe('scaffolderModuleCloudRunIap', () => {
  it('adds both actions to the scaffolder', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderModuleCloudRunIap,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            cloudRunIap: {
              google: { endpoint: 'http://127.0.0.1:9' },
              organization: { domains: ['example.com'] },
              projects: [{ id: 'acme-sandbox', regions: ['europe-west2'] }],
            },
          },
        }),
      ],
    });
    try {
      const res = await fetch(
        `http://127.0.0.1:${backend.server.port()}/api/scaffolder/v2/actions`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      expect(res.status).toBe(200);
      const actions = (await res.json()) as Array<{
        id: string;
        schema: { input: { properties: Record<string, unknown> } };
      }>;
      const ids = actions.map(a => a.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'gcp:cloud-run:create-iap-service',
          'gcp:cloud-run:update-iap-access',
        ]),
      );
      const create = actions.find(
        a => a.id === 'gcp:cloud-run:create-iap-service',
      )!;
      expect(Object.keys(create.schema.input.properties)).toEqual(
        expect.arrayContaining(['projectId', 'accessors', 'accessLevels']),
      );
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start with a malformed cloudRunIap config', async () => {
    await expect(
      startTestBackend({
        features: [
          scaffolderBackend,
          scaffolderModuleCloudRunIap,
          mockServices.rootConfig.factory({
            data: { cloudRunIap: { google: { credentials: 'not json' } } },
          }),
        ],
      }),
    ).rejects.toThrow(/cloudRunIap.google.credentials is not valid JSON/);
  });
});
