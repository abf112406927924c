import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import {
  cloudRunIapConfig,
  realWrites,
  startTestFake,
} from './__testUtils__/testWorld';
import { scaffolderModuleCloudRunIap } from './module';
import { attemptedWrites, SHARED_RUNTIME } from './__testUtils__/testWorld';
import {
  catalogEntities,
  component,
  RecordingAuditor,
} from './__testUtils__/backstageServices';
import {
  oneStepTemplate,
  startScaffolderTasks,
} from './__testUtils__/scaffolderTasks';

// Each test starts a real scaffolder; on a loaded machine that takes longer than Jest's 5 s.
jest.setTimeout(60_000);

/** Group memberships as the sign-in resolver would claim them. */
const groupsOf: Record<string, string[]> = {
  'user:default/guest': ['group:default/team-a'],
  'user:default/mallory': ['group:default/squatters'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groupsOf[ref] ?? [])],
      };
    },
  }),
});

/**
 * The shared task-API harness with the sign-in groups above, a recording auditor and more
 * config; runs templates through the task API as a given user.
 */
async function startScaffolder(
  fake: GoogleCloudFake,
  entities: Entity[],
  extraConfig: Record<string, unknown> = {},
) {
  const auditor = new RecordingAuditor();
  const tasks = await startScaffolderTasks(fake, entities, {
    groupsOf,
    cloudRunIap: extraConfig,
    auditor,
  });
  const runTask = (
    user: string,
    templateRef: string,
    values: Record<string, unknown>,
  ) => tasks.runTask(templateRef, { user, values });
  const accessEvents = () =>
    auditor.events.filter(e => e.eventId === 'iap-access-change');
  return { stop: tasks.stop, runTask, accessEvents };
}

/** A one-step template whose input may use the `name` and `owner` parameters. */
const templateEntity = (
  name: string,
  action: string,
  input: Record<string, unknown>,
) => oneStepTemplate(name, action, input, ['name', 'owner']);

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
        description: string;
        schema: { input: { properties: Record<string, unknown> } };
      }>;
      const byId = (id: string) => actions.find(a => a.id === id)!;
      const ids = actions.map(a => a.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'gcp:cloud-run-iap-service:create',
          'gcp:cloud-run-iap-access:update',
          'gcp:cloud-run:create-iap-service',
          'gcp:cloud-run:update-iap-access',
        ]),
      );
      const create = byId('gcp:cloud-run-iap-service:create');
      expect(Object.keys(create.schema.input.properties)).toEqual(
        expect.arrayContaining(['projectId', 'accessors', 'accessLevels']),
      );
      for (const [old, current] of [
        [
          'gcp:cloud-run:create-iap-service',
          'gcp:cloud-run-iap-service:create',
        ],
        ['gcp:cloud-run:update-iap-access', 'gcp:cloud-run-iap-access:update'],
      ]) {
        expect(byId(old).description).toBe(
          `Deprecated: use ${current}. ${byId(current).description}`,
        );
        expect(byId(old).schema).toEqual(byId(current).schema);
      }
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
        userInfoFactory,
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
            action: 'gcp:cloud-run-iap-service:create',
            input: {
              projectId: 'acme-sandbox',
              region: 'europe-west2',
              serviceId: '${{ parameters.name }}',
              image:
                'europe-west2-docker.pkg.dev/acme-sandbox/apps/${{ parameters.name }}:1.0.0',
              entityRef: 'component:default/${{ parameters.name }}',
              owner: 'group:default/team-a',
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
            Authorization: mockCredentials.user.header('user:default/guest'),
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
  describe('through the real scaffolder and its task API', () => {
    let fake: GoogleCloudFake;
    beforeAll(async () => {
      fake = await startTestFake();
    });
    afterAll(() => fake.stop());
    beforeEach(() => fake.reset());

    const updateTemplate = templateEntity(
      'change-access',
      'gcp:cloud-run-iap-access:update',
      {
        serviceName:
          'projects/acme-internal-apps/locations/europe-west2/services/${{ parameters.name }}',
        add: ['user:mallory@example.com'],
      },
    );
    const createInput = {
      projectId: 'acme-sandbox',
      region: 'europe-west2',
      serviceId: '${{ parameters.name }}',
      image:
        'europe-west2-docker.pkg.dev/acme-sandbox/apps/${{ parameters.name }}:1.0.0',
      entityRef: 'component:default/${{ parameters.name }}',
      owner: '${{ parameters.owner }}',
      accessors: ['group:sre@example.com'],
    };
    const createTemplate = templateEntity(
      'internal-app',
      'gcp:cloud-run-iap-service:create',
      createInput,
    );

    it('refuses an input the JSON Schema rules out before the step runs, naming the field and the rule', async () => {
      const { stop, runTask } = await startScaffolder(fake, [createTemplate]);
      try {
        const task = await runTask(
          'user:default/guest',
          'template:default/internal-app',
          { name: 'Status_Board', owner: 'group:default/team-a' },
        );
        expect(task.status).toBe('failed');
        expect(task.log).toContain(
          'Invalid input passed to action gcp:cloud-run-iap-service:create, instance.serviceId does not match pattern "^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$"',
        );
        expect(fake.requests()).toEqual([]);
      } finally {
        await stop();
      }
    });

    it('still runs templates that use the deprecated ids, warning in the task log', async () => {
      const old = templateEntity(
        'old-internal-app',
        'gcp:cloud-run:create-iap-service',
        createInput,
      );
      const { stop, runTask } = await startScaffolder(fake, [old]);
      try {
        const task = await runTask(
          'user:default/mallory',
          'template:default/old-internal-app',
          { name: 'status-board', owner: 'group:default/team-a' },
        );
        expect(task.log).toContain(
          'gcp:cloud-run:create-iap-service is deprecated: use gcp:cloud-run-iap-service:create instead (same inputs and outputs). The old id will be removed in version 0.3.0 of this module.',
        );
        // The same handler: the same refusal as under the new id, before any write.
        expect(task.status).toBe('failed');
        expect(task.log).toContain(
          'owner group:default/team-a is not one of your groups',
        );
        expect(attemptedWrites(fake)).toEqual([]);
      } finally {
        await stop();
      }
    });

    it("refuses a squatter who re-registered a team's entity under their own group, with nothing written", async () => {
      const { stop, runTask, accessEvents } = await startScaffolder(fake, [
        updateTemplate,
        // team-app was deleted from the catalog and registered again, owned by the squatter.
        component('team-app', 'group:default/squatters'),
      ]);
      try {
        const task = await runTask(
          'user:default/mallory',
          'template:default/change-access',
          { name: 'team-app' },
        );
        expect(task.status).toBe('failed');
        expect(task.log).toContain(
          'component:default/team-app is owned by group:default/squatters in the catalog, but projects/acme-internal-apps/locations/europe-west2/services/team-app records group:default/team-a as its owner',
        );
        expect(attemptedWrites(fake)).toEqual([]);
        expect(accessEvents()).toEqual([
          expect.objectContaining({
            meta: expect.objectContaining({
              actor: 'user:default/mallory',
              entity: 'component:default/team-app',
            }),
            outcome: 'failed',
          }),
        ]);
      } finally {
        await stop();
      }
    });

    it('refuses an owner group the initiator is not in, before any write', async () => {
      const { stop, runTask } = await startScaffolder(fake, [createTemplate]);
      try {
        const task = await runTask(
          'user:default/mallory',
          'template:default/internal-app',
          { name: 'status-board', owner: 'group:default/team-a' },
        );
        expect(task.status).toBe('failed');
        expect(task.log).toContain(
          'owner group:default/team-a is not one of your groups (your ownership claims: user:default/mallory, group:default/squatters)',
        );
        expect(attemptedWrites(fake)).toEqual([]);
      } finally {
        await stop();
      }
    });

    it('refuses turning IAP off when that would make the app public, with nothing written', async () => {
      const offTemplate = templateEntity(
        'iap-off',
        'gcp:cloud-run-iap-access:update',
        {
          serviceName:
            'projects/acme-internal-apps/locations/europe-west2/services/${{ parameters.name }}',
          iapEnabled: false,
        },
      );
      const { stop, runTask } = await startScaffolder(fake, [
        offTemplate,
        ...catalogEntities,
      ]);
      try {
        for (const [name, reason] of [
          [
            'open-invoker-app',
            'allUsers (roles/run.servicesInvoker) may invoke it',
          ],
          ['no-check-app', 'the invoker IAM check is disabled'],
        ]) {
          const task = await runTask(
            'user:default/guest',
            'template:default/iap-off',
            { name },
          );
          expect(task.status).toBe('failed');
          expect(task.log).toContain(
            `iapEnabled: false would make projects/acme-internal-apps/locations/europe-west2/services/${name} public: ${reason}`,
          );
        }
        expect(attemptedWrites(fake)).toEqual([]);
      } finally {
        await stop();
      }
    });

    it('refuses a borrowed identity, a foreign secret and an image from another registry, before any write', async () => {
      const borrowing = templateEntity(
        'borrowing-app',
        'gcp:cloud-run-iap-service:create',
        {
          projectId: 'acme-sandbox',
          region: 'europe-west2',
          serviceId: '${{ parameters.name }}',
          image: 'docker.io/someone/miner:latest',
          serviceAccount: 'other-app@acme-sandbox.iam.gserviceaccount.com',
          env: {
            DB_PASSWORD: {
              secret: 'projects/acme-internal-apps/secrets/team-app-db',
            },
            DATABASE_URL: 'postgres://app:s3cret@db.internal/app',
          },
          entityRef: 'component:default/${{ parameters.name }}',
          owner: 'group:default/team-a',
        },
      );
      const { stop, runTask } = await startScaffolder(fake, [borrowing], {
        images: {
          allowedRegistries: ['europe-west2-docker.pkg.dev/acme-sandbox/apps'],
        },
      });
      try {
        const task = await runTask(
          'user:default/guest',
          'template:default/borrowing-app',
          { name: 'borrower' },
        );
        expect(task.status).toBe('failed');
        for (const rule of [
          'image must come from one of the registries in cloudRunIap.images.allowedRegistries',
          'serviceAccount is not listed for project acme-sandbox in cloudRunIap.projects[].serviceAccounts',
          'env.DB_PASSWORD.secret names a secret of project acme-internal-apps',
          'env.DATABASE_URL is a URL with credentials in it',
        ]) {
          expect(task.log).toContain(rule);
        }
        expect(task.log).not.toContain('s3cret');
        expect(fake.requests()).toEqual([]);
      } finally {
        await stop();
      }
    });

    it('creates an app with its own runtime account, audits it, and logs no service-account address', async () => {
      const { stop, runTask, accessEvents } = await startScaffolder(
        fake,
        [createTemplate, ...catalogEntities],
        {
          projects: cloudRunIapConfig.projects.map(p =>
            p.id === 'acme-sandbox'
              ? { ...p, serviceAccounts: [SHARED_RUNTIME] }
              : p,
          ),
        },
      );
      try {
        const task = await runTask(
          'user:default/guest',
          'template:default/internal-app',
          { name: 'status-board', owner: 'group:default/team-a' },
        );
        expect(task.log).toMatch(/Step 8\/8/);
        expect(task.status).toBe('completed');
        expect(task.log).toContain(
          'Created the runtime account app-status-board for component:default/status-board',
        );
        expect(task.log).not.toMatch(/gserviceaccount\.com/);
        const service = (fake.state() as any).services.find((s: any) =>
          s.name.endsWith('/services/status-board'),
        );
        expect(service.annotations).toMatchObject({
          'backstage.io/entity-ref': 'component:default/status-board',
          'backstage.io/owner-group': 'group:default/team-a',
        });
        expect(service.template.serviceAccount).toBe(
          'app-status-board@acme-sandbox.iam.gserviceaccount.com',
        );
        expect(accessEvents()).toEqual([
          expect.objectContaining({
            meta: expect.objectContaining({
              action: 'create-iap-service',
              actor: 'user:default/guest',
              entity: 'component:default/status-board',
              service:
                'projects/acme-sandbox/locations/europe-west2/services/status-board',
              members: { add: ['group:sre@example.com'], remove: [] },
            }),
            outcome: 'succeeded',
          }),
        ]);
      } finally {
        await stop();
      }
    });
  });
});
