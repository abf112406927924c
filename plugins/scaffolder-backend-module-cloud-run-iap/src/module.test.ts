import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import {
  cloudRunIapConfig,
  realWrites,
  startTestFake,
} from './__testUtils__/testWorld';
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

  it('runs in the real scaffolder: a template dry run validates against Google and writes nothing', async () => {
    const fake = await startTestFake();
    const backend = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderModuleCloudRunIap,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            cloudRunIap: {
              ...cloudRunIapConfig,
              google: { endpoint: fake.url },
            },
          },
        }),
      ],
    });
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'internal-app', namespace: 'default' },
      spec: {
        owner: 'group:default/platform',
        type: 'service',
        parameters: [],
        steps: [
          {
            id: 'cloud-run',
            name: 'Cloud Run service with IAP',
            action: 'gcp:cloud-run:create-iap-service',
            input: {
              projectId: 'acme-sandbox',
              region: 'europe-west2',
              serviceId: '${{ parameters.name }}',
              image:
                'europe-west2-docker.pkg.dev/acme-sandbox/apps/${{ parameters.name }}:1.0.0',
              entityRef: 'component:default/${{ parameters.name }}',
              accessors: ['group:sre@example.com'],
              accessLevels: ['corp_network'],
            },
          },
        ],
        output: {
          links: [
            { title: 'Open', url: '${{ steps["cloud-run"].output.uri }}' },
          ],
          text: [
            {
              title: 'Annotation',
              content: '${{ steps["cloud-run"].output.annotation }}',
            },
          ],
        },
      },
    };
    try {
      const res = await fetch(
        `http://127.0.0.1:${backend.server.port()}/api/scaffolder/v2/dry-run`,
        {
          method: 'POST',
          headers: {
            Authorization: mockCredentials.user.header(),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            template,
            values: { name: 'status-board' },
            secrets: {},
            directoryContents: [],
          }),
        },
      );
      const body = (await res.json()) as {
        log: Array<{ body: { message: string; status?: string } }>;
        output: { text?: Array<{ content: string }> };
        steps: Array<{ id: string }>;
      };
      expect(res.status).toBe(200);
      const messages = body.log.map(l => l.body.message).join('\n');
      expect(messages).toMatch(/validateOnly/);
      expect(messages).not.toMatch(/Error|failed/i);
      expect(body.output.text?.[0].content).toBe(
        'projects/acme-sandbox/locations/europe-west2/services/status-board',
      );
      expect(
        fake.requests().some(r => r.query.includes('validateOnly=true')),
      ).toBe(true);
      expect(realWrites(fake)).toEqual([]);
    } finally {
      await backend.stop();
      await fake.stop();
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
