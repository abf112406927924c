import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { generateKeyPairSync } from 'node:crypto';
import {
  CheckpointStore,
  createTestActionContext,
  SimulatedCrash,
} from '../__testUtils__/actionContext';
import {
  ACCESSOR,
  attemptedWrites,
  clientFactory,
  comparableState,
  handMadeCondition,
  ORG_POLICY,
  realWrites,
  sandboxAgent,
  SHARED_RUNTIME,
  startTestFake,
  TEAM,
} from '../__testUtils__/testWorld';
import {
  actionServices,
  catalogEntities,
  component,
} from '../__testUtils__/backstageServices';
import { MANAGED_CONDITION_TITLE } from '@internal-apps/plugin-cloud-run-iap-common';
import { createCreateIapServiceAction } from './createIapService';
import { CreateIapServiceInput } from './createIapServiceInput';

const sandboxInput: CreateIapServiceInput = {
  projectId: 'acme-sandbox',
  region: 'europe-west2',
  serviceId: 'uptime-monitor',
  image: 'europe-west2-docker.pkg.dev/acme-sandbox/apps/uptime-monitor:0.1.0',
  port: 3000,
  cpu: '1',
  memory: '512Mi',
  minInstances: 0,
  maxInstances: 3,
  labels: { team: 'sre' },
  env: {
    LOG_LEVEL: 'info',
    DB_PASSWORD: { secret: 'projects/acme-sandbox/secrets/uptime-db' },
  },
  description: 'Checks that our internal apps answer',
  entityRef: 'component:default/uptime-monitor',
  owner: TEAM,
  accessors: ['group:sre@example.com', 'user:ada@example.com'],
  accessLevels: ['corp_network', `${ORG_POLICY}/accessLevels/uk_only`],
};

const sandboxService =
  'projects/acme-sandbox/locations/europe-west2/services/uptime-monitor';
const runtimeAccount =
  'app-uptime-monitor@acme-sandbox.iam.gserviceaccount.com';
const sandboxIapResource =
  'projects/100000000002/iap_web/cloud_run-europe-west2/services/uptime-monitor';
// The `aud` of IAP's signed header when IAP sits directly on the service.
const sandboxAudience =
  '/projects/100000000002/locations/europe-west2/services/uptime-monitor';
const levelsExpression = `"${ORG_POLICY}/accessLevels/corp_network" in request.auth.access_levels || "${ORG_POLICY}/accessLevels/uk_only" in request.auth.access_levels`;

describe('gcp:cloud-run-iap-service:create against the fake', () => {
  let fake: GoogleCloudFake;

  beforeAll(async () => {
    fake = await startTestFake();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  let permissions: PermissionsService;
  let services: ReturnType<typeof actionServices>;
  beforeEach(() => {
    permissions = mockServices.permissions({ result: AuthorizeResult.ALLOW });
    services = actionServices();
  });
  const action = (extra: Parameters<typeof clientFactory>[1] = {}) =>
    createCreateIapServiceAction({
      clientFor: clientFactory(fake, extra),
      permissions,
      ...services,
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    });

  async function run(
    input: CreateIapServiceInput,
    options: Parameters<typeof createTestActionContext>[1] = {},
    extra: Parameters<typeof clientFactory>[1] = {},
  ) {
    const test = createTestActionContext(input, options);
    await action(extra).handler(test.ctx);
    return test;
  }

  const policy = (key: string) =>
    (fake.state() as any).iamPolicies[key] as { bindings: unknown[] };

  it('creates the service with IAP on, makes the agent its invoker and grants the accessors behind the levels', async () => {
    const { outputs, logger } = await run(sandboxInput);

    expect(outputs).toEqual({
      serviceName: sandboxService,
      uri: expect.stringMatching(/^https:\/\/uptime-monitor-.*\.run\.app$/),
      iapResource: sandboxIapResource,
      annotation: sandboxService,
      consoleUrl:
        'https://console.cloud.google.com/run/detail/europe-west2/uptime-monitor/security?project=acme-sandbox',
      iapAudience: sandboxAudience,
    });
    const service = (fake.state() as any).services.find(
      (s: any) => s.name === sandboxService,
    );
    expect(service).toMatchObject({
      iapEnabled: true,
      ingress: 'INGRESS_TRAFFIC_ALL',
      description: 'Checks that our internal apps answer',
      labels: { team: 'sre', 'managed-by': 'backstage' },
      annotations: {
        'backstage.io/entity-ref': 'component:default/uptime-monitor',
        'backstage.io/owner-group': 'group:default/team-a',
        'backstage.io/created-by-task': 'test-task',
      },
      template: {
        // The app's own runtime account, created by the action.
        serviceAccount: runtimeAccount,
        scaling: { minInstanceCount: 0, maxInstanceCount: 3 },
        containers: [
          {
            image:
              'europe-west2-docker.pkg.dev/acme-sandbox/apps/uptime-monitor:0.1.0',
            ports: [expect.objectContaining({ containerPort: 3000 })],
            env: [
              {
                name: 'DB_PASSWORD',
                valueSource: {
                  secretKeyRef: {
                    secret: 'projects/acme-sandbox/secrets/uptime-db',
                    version: 'latest',
                  },
                },
              },
              { name: 'IAP_AUDIENCE', value: sandboxAudience },
              { name: 'LOG_LEVEL', value: 'info' },
            ],
            resources: { limits: { cpu: '1', memory: '512Mi' } },
          },
        ],
      },
    });
    expect(
      policy(
        'run:projects/100000000002/locations/europe-west2/services/uptime-monitor',
      ).bindings,
    ).toEqual([{ role: 'roles/run.invoker', members: [sandboxAgent] }]);
    expect(policy(sandboxIapResource).bindings).toEqual([
      {
        role: ACCESSOR,
        members: ['group:sre@example.com', 'user:ada@example.com'],
        condition: {
          title: MANAGED_CONDITION_TITLE,
          description:
            'Requires one of these access levels: corp_network, uk_only',
          expression: levelsExpression,
        },
      },
    ]);

    const lines = logger.lines.map(l => l.message);
    const stepLines = lines.filter(l => /^Step \d\/8: /.test(l));
    expect(stepLines.map(l => l.slice(0, 8))).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map(n => `Step ${n}/8`),
    );
    expect(lines[lines.length - 1]).toBe(`Service URL: ${outputs.uri}`);
    // The sandbox agent did not exist and then propagated late: waited for, and said so.
    expect(logger.text()).toMatch(/does not exist.*retry 1/);
  });

  it('gives the app the audience of the signed IAP header, or the one the template sets', async () => {
    const container = () =>
      (fake.state() as any).services.find((s: any) => s.name === sandboxService)
        .template.containers[0];
    const direct = await run(sandboxInput);
    expect(direct.outputs.iapAudience).toBe(sandboxAudience);
    expect(container().env).toContainEqual({
      name: 'IAP_AUDIENCE',
      value: sandboxAudience,
    });

    fake.reset();
    const balancer = '/projects/100000000002/global/backendServices/42';
    const given = await run({
      ...sandboxInput,
      env: { ...sandboxInput.env, IAP_AUDIENCE: balancer },
    });
    expect(given.outputs.iapAudience).toBe(balancer);
    expect(
      container().env.filter((e: any) => e.name === 'IAP_AUDIENCE'),
    ).toEqual([{ name: 'IAP_AUDIENCE', value: balancer }]);
  });

  it('sends launchStage BETA only when asked to', async () => {
    await run({ ...sandboxInput, launchStage: 'BETA' });
    const service = (fake.state() as any).services.find(
      (s: any) => s.name === sandboxService,
    );
    expect(service.launchStage).toBe('BETA');
  });

  it('logs progress while Cloud Run works', async () => {
    fake.faults.add({
      method: 'run.projects.locations.operations.get',
      latencyMs: 80,
    });
    const { logger } = await run(sandboxInput);
    expect(logger.text()).toMatch(
      /Still waiting for Cloud Run to create uptime-monitor \(\d+ s\)/,
    );
  });

  it('makes no write when run again, in the same task or a new one', async () => {
    const checkpoints = new CheckpointStore();
    const first = await run(sandboxInput, { checkpoints });
    fake.clearRequests();

    const sameTask = await run(sandboxInput, { checkpoints });
    expect(attemptedWrites(fake)).toEqual([]);
    expect(sameTask.outputs).toEqual(first.outputs);

    const newTask = await run(sandboxInput);
    expect(attemptedWrites(fake)).toEqual([]);
    expect(newTask.outputs).toEqual(first.outputs);
    expect(newTask.logger.text()).toMatch(/adopting it/);
  });

  describe('a run killed after a step and run again ends as an uninterrupted run', () => {
    let baseline: ReturnType<typeof comparableState>;
    let baselineOutputs: Record<string, unknown>;

    beforeAll(async () => {
      fake.reset();
      baselineOutputs = (await run(sandboxInput)).outputs;
      baseline = comparableState(fake, 'acme-sandbox');
    });

    it.each([
      ['runtime-account', 'before-store'],
      ['runtime-account', 'after-store'],
      ['iap-agent', 'before-store'],
      ['iap-agent', 'after-store'],
      ['service', 'before-store'],
      ['service', 'after-store'],
      ['agent-invoker', 'before-store'],
      ['agent-invoker', 'after-store'],
      ['accessors', 'before-store'],
      ['accessors', 'after-store'],
    ] as const)('killed at %s (%s)', async (step, when) => {
      const checkpoints = new CheckpointStore();
      checkpoints.crashAt = { keyEndsWith: `/create/${step}`, when };
      await expect(run(sandboxInput, { checkpoints })).rejects.toThrow(
        SimulatedCrash,
      );
      const again = await run(sandboxInput, { checkpoints });
      expect(comparableState(fake, 'acme-sandbox')).toEqual(baseline);
      expect(again.outputs).toEqual(baselineOutputs);
    });

    it('killed while waiting for Cloud Run to create the service', async () => {
      fake.faults.add({
        method: 'run.projects.locations.operations.get',
        latencyMs: 50,
      });
      const checkpoints = new CheckpointStore();
      const controller = new AbortController();
      const killed = run(sandboxInput, {
        checkpoints,
        signal: controller.signal,
      });
      while (
        !fake
          .requests()
          .some(r => r.methodId === 'run.projects.locations.services.create')
      ) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      controller.abort(new Error('task cancelled'));
      await expect(killed).rejects.toThrow(/cancelled/);
      fake.faults.clear();
      const again = await run(sandboxInput, { checkpoints });
      expect(again.logger.text()).toMatch(/Adopting/);
      expect(comparableState(fake, 'acme-sandbox')).toEqual(baseline);
    });

    it('killed while validating, before anything was written', async () => {
      const checkpoints = new CheckpointStore();
      const controller = new AbortController();
      controller.abort(new Error('task cancelled'));
      await expect(
        run(sandboxInput, { checkpoints, signal: controller.signal }),
      ).rejects.toThrow(/cancelled/);
      expect(realWrites(fake)).toEqual([]);
      await run(sandboxInput, { checkpoints });
      expect(comparableState(fake, 'acme-sandbox')).toEqual(baseline);
    });
  });

  it('adopts a service another task created only for an initiator who may manage the app', async () => {
    await run(sandboxInput, { taskId: 'first-task' });
    fake.clearRequests();
    const authorize = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
    permissions = mockServices.permissions.mock({
      authorize: authorize as any,
    });

    // The task that created it runs again (a retry): no check, nothing to change.
    await run(sandboxInput, { taskId: 'first-task' });
    expect(authorize).not.toHaveBeenCalled();

    // Another task, e.g. someone else's template run naming the same service and entity.
    await expect(
      run(
        { ...sandboxInput, accessors: ['user:intruder@example.com'] },
        { taskId: 'second-task' },
      ),
    ).rejects.toThrow(
      `may not change who can reach ${sandboxInput.entityRef} (permission cloud-run-iap.access.manage)`,
    );
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('adopts its own service and keeps every binding it does not manage byte for byte', async () => {
    const runKey =
      'run:projects/100000000001/locations/europe-west2/services/team-app';
    const iapKey =
      'projects/100000000001/iap_web/cloud_run-europe-west2/services/team-app';
    const before = {
      run: structuredClone(policy(runKey).bindings),
      iap: structuredClone(policy(iapKey).bindings) as any[],
    };
    await run({
      projectId: 'acme-internal-apps',
      region: 'europe-west2',
      serviceId: 'team-app',
      image:
        'europe-west2-docker.pkg.dev/acme-internal-apps/apps/team-app:2.0.0',
      entityRef: 'component:default/team-app',
      owner: TEAM,
      accessors: ['user:new@example.com'],
    });
    expect(JSON.stringify(policy(runKey).bindings)).toBe(
      JSON.stringify(before.run),
    );
    const after = policy(iapKey).bindings as any[];
    expect(JSON.stringify(after[0])).toBe(JSON.stringify(before.iap[0]));
    expect(after[0].condition).toEqual(handMadeCondition);
    expect(JSON.stringify(after[2])).toBe(JSON.stringify(before.iap[2]));
    expect(after[1]).toEqual({
      role: ACCESSOR,
      members: ['user:owner@example.com', 'user:new@example.com'],
    });
    // Adopted as is: the image is the deploy pipeline's business, not this action's.
    const service = (fake.state() as any).services.find((s: any) =>
      s.name.endsWith('/team-app'),
    );
    expect(service.template.containers[0].image).toMatch(/team-app:1\.0\.0$/);
  });

  it.each([
    [
      'foreign-app',
      undefined,
      /does not carry the label managed-by: backstage/,
    ],
    [
      'other-entity-app',
      undefined,
      /annotation is "component:default\/someone-else", not component:default\/other-entity-app/,
    ],
  ])(
    'refuses an existing service it did not create for the entity (%s) before any write',
    async (serviceId, _unused, message) => {
      await expect(
        run({
          projectId: 'acme-internal-apps',
          region: 'europe-west2',
          serviceId,
          image: 'europe-west2-docker.pkg.dev/acme-internal-apps/apps/x:1',
          entityRef: `component:default/${serviceId}`,
          owner: TEAM,
        }),
      ).rejects.toThrow(message);
      expect(attemptedWrites(fake)).toEqual([]);
    },
  );

  const valid: CreateIapServiceInput = {
    projectId: 'acme-sandbox',
    region: 'europe-west2',
    serviceId: 'new-app',
    image: 'europe-west2-docker.pkg.dev/acme-sandbox/apps/new-app:1.0.0',
    entityRef: 'component:default/new-app',
    owner: TEAM,
    accessors: ['group:team@example.com'],
  };

  it.each<[string, Partial<CreateIapServiceInput>, RegExp]>([
    [
      'a service id with capitals',
      { serviceId: 'New_App' },
      /serviceId must start with a lowercase letter/,
    ],
    [
      'a service id ending in a hyphen',
      { serviceId: 'new-app-' },
      /serviceId must start with a lowercase letter.*not end with a hyphen/,
    ],
    [
      'a service id of 50 characters',
      { serviceId: `a${'b'.repeat(49)}` },
      /serviceId .*under 50 characters/,
    ],
    [
      'a malformed project id',
      { projectId: 'Acme' },
      /projectId must be 6 to 30 lowercase letters/,
    ],
    [
      'a project outside cloudRunIap.projects',
      { projectId: 'acme-legacy-apps' },
      /projectId "acme-legacy-apps" is not one of the projects the portal may use \(cloudRunIap.projects: acme-internal-apps, acme-sandbox\)/,
    ],
    [
      'a region not allowed for the project',
      { region: 'us-central1' },
      /region "us-central1" is not allowed for project acme-sandbox \(allowed: europe-west2\)/,
    ],
    [
      'a malformed region',
      { region: 'Europe West' },
      /region must be a Cloud Run region/,
    ],
    [
      'a malformed image',
      { image: 'Europe-docker.pkg.dev/UPPER/app::1' },
      /image must be a container image reference/,
    ],
    [
      'a malformed member',
      { accessors: ['alice@example.com'] },
      /accessors\[0\] must be user:EMAIL, group:EMAIL/,
    ],
    [
      'a service account member of another kind of email',
      { accessors: ['serviceAccount:bot@example.com'] },
      /accessors\[0\] must name a service account email ending in .gserviceaccount.com/,
    ],
    [
      'allUsers',
      { accessors: ['group:team@example.com', 'allUsers'] },
      /accessors\[1\] allUsers is never allowed/,
    ],
    [
      'allAuthenticatedUsers',
      { accessors: ['allAuthenticatedUsers'] },
      /accessors\[0\] allAuthenticatedUsers is never allowed/,
    ],
    [
      'a member outside the organisation',
      { accessors: ['user:someone@gmail.com'] },
      /accessors\[0\] "user:someone@gmail.com" is outside the organisation's domains \(example.com\); set cloudRunIap.organization.allowExternalMembers/,
    ],
    [
      'a domain outside the organisation',
      { accessors: ['domain:partner.org'] },
      /accessors\[0\] "domain:partner.org" is outside the organisation's domains/,
    ],
    [
      'a malformed access level',
      { accessLevels: ['corp network'] },
      /accessLevels\[0\] must be an access level id/,
    ],
    [
      'an access level that does not exist',
      { accessLevels: ['corp_network', 'moon_base'] },
      /accessLevels\[1\] "moon_base" does not exist in accessPolicies\/555000000001; valid levels: corp_network, uk_only/,
    ],
    [
      'an access level of a scoped policy',
      { accessLevels: ['team_vpn'] },
      /accessLevels\[0\] "team_vpn" comes from a scoped access policy \(accessPolicies\/555000000002\), which IAP ignores; valid levels of accessPolicies\/555000000001: corp_network, uk_only/,
    ],
    [
      'a secret as a plain env value',
      { env: { API_TOKEN: 'abc' } },
      /env.API_TOKEN looks like a secret: give it as a Secret Manager reference/,
    ],
    [
      'a password as a plain env value (_PASS)',
      { env: { SMTP_PASS: 'hunter2' } },
      /env.SMTP_PASS looks like a secret/,
    ],
    [
      'a key as a plain env value (_KEY)',
      { env: { STRIPE_KEY: 'sk_live_x' } },
      /env.STRIPE_KEY looks like a secret/,
    ],
    [
      'a DSN as a plain env value (_DSN)',
      { env: { SENTRY_DSN: 'https://abc@o1.ingest.sentry.io/1' } },
      /env.SENTRY_DSN looks like a secret/,
    ],
    [
      'a URL with credentials as a plain env value',
      { env: { DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/app' } },
      /env.DATABASE_URL is a URL with credentials in it \(scheme:\/\/user:password@host\)/,
    ],
    [
      'a secret of another project',
      {
        env: {
          DB: { secret: 'projects/acme-internal-apps/secrets/team-app-db' },
        },
      },
      /env.DB.secret names a secret of project acme-internal-apps: an app may only mount secrets of its own project \(acme-sandbox\)/,
    ],
    [
      'a secret of another project given by number',
      { env: { DB: { secret: 'projects/100000000001/secrets/team-app-db' } } },
      /env.DB.secret names a secret of project 100000000001: an app may only mount secrets of its own project \(acme-sandbox, number 100000000002\)/,
    ],
    [
      'an existing service account that config does not list',
      { serviceAccount: 'other-app@acme-sandbox.iam.gserviceaccount.com' },
      /serviceAccount is not listed for project acme-sandbox in cloudRunIap.projects\[\].serviceAccounts/,
    ],
    ['no owner', { owner: undefined as any }, /owner is required \(a string\)/],
    [
      'an owner that is not a group',
      { owner: 'user:default/guest' },
      /owner must be a group entity ref such as group:default\/team-a \(got "user:default\/guest"\)/,
    ],
    [
      'an owner group the initiator is not in',
      { owner: 'group:default/platform-admins' },
      /owner group:default\/platform-admins is not one of your groups \(your ownership claims: user:default\/guest, group:default\/team-a\): the owner recorded on the service must be a group you belong to/,
    ],
    [
      'a runtime account id taken by an account it did not create',
      { serviceId: 'taken-app', entityRef: 'component:default/taken-app' },
      /serviceAccount: the account id app-taken-app in acme-sandbox is taken by an account that was not created by this portal for .*taken-app/,
    ],
    [
      'a reserved env name',
      { env: { PORT: '80' } },
      /env.PORT is set by Cloud Run itself/,
    ],
    [
      'a malformed secret reference',
      { env: { DB: { secret: 'projects/x/secret/y' } } },
      /env.DB.secret must be a Secret Manager secret id/,
    ],
    [
      'the managed-by label',
      { labels: { 'managed-by': 'me' } },
      /labels.managed-by is set by the action itself/,
    ],
    [
      'a label with capitals',
      { labels: { Team: 'x' } },
      /labels.Team key must start with a lowercase letter/,
    ],
    [
      'more minimum than maximum instances',
      { minInstances: 5, maxInstances: 2 },
      /minInstances must not exceed maxInstances \(5 > 2\)/,
    ],
    [
      'a fractional instance count',
      { maxInstances: 1.5 },
      /maxInstances must be a whole number from 1 to 1000/,
    ],
    ['a malformed cpu', { cpu: 'two' }, /cpu must be a CPU limit/],
    [
      'a malformed memory',
      { memory: '512MB' },
      /memory must be a memory limit in Mi or Gi/,
    ],
    [
      'a port out of range',
      { port: 70000 },
      /port must be a whole number from 1 to 65535/,
    ],
    [
      'a runtime identity with a prefix',
      {
        serviceAccount:
          'serviceAccount:app@acme-sandbox.iam.gserviceaccount.com',
      },
      /serviceAccount must be a service account email/,
    ],
    [
      'an unknown ingress',
      { ingress: 'public' as any },
      /ingress must be one of all, internal, internal-and-cloud-load-balancing/,
    ],
    [
      'a malformed entity ref',
      { entityRef: 'my app' },
      /entityRef must be an entity ref such as component:default\/my-app/,
    ],
    [
      'a description over 512 characters',
      { description: 'x'.repeat(513) },
      /description must be at most 512 characters/,
    ],
  ])('refuses %s before the first write', async (_name, change, message) => {
    await expect(run({ ...valid, ...change })).rejects.toThrow(message);
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('names every bad field in one error', async () => {
    await expect(
      run({
        ...valid,
        serviceId: '9lives',
        region: 'mars',
        accessors: ['allUsers'],
      }),
    ).rejects.toThrow(
      /region must be a Cloud Run region.*; serviceId must start.*; accessors\[0\] allUsers is never allowed/,
    );
  });

  it('accepts external members when allowed, and explains domain restricted sharing when Google refuses them', async () => {
    await run(
      { ...valid, accessors: ['user:pat@partner.org'] },
      {},
      { allowExternalMembers: true },
    );
    await expect(
      run(
        {
          ...valid,
          serviceId: 'other-app',
          accessors: ['user:someone@gmail.com'],
        },
        {},
        { allowExternalMembers: true },
      ),
    ).rejects.toThrow(
      /Granting roles\/iap.httpsResourceAccessor .* failed \(400 FAILED_PRECONDITION: One or more users named in the policy do not belong to a permitted customer.*domain restricted sharing/,
    );
  });

  it('makes no write in a dry run, yet has Cloud Run validate the definition', async () => {
    const before = comparableState(fake, 'acme-sandbox');
    const { outputs, logger } = await run(sandboxInput, { isDryRun: true });
    expect(realWrites(fake)).toEqual([]);
    expect(attemptedWrites(fake).map(r => r.methodId)).toEqual([
      'run.projects.locations.services.create',
    ]);
    expect(attemptedWrites(fake)[0].query).toContain('validateOnly=true');
    expect(comparableState(fake, 'acme-sandbox')).toEqual(before);
    expect(outputs).toMatchObject({
      serviceName: sandboxService,
      iapResource: sandboxIapResource,
      annotation: sandboxService,
    });
    expect(logger.text()).toMatch(/Dry run: nothing was changed/);
    expect(
      logger.lines.filter(l => /^Step \d\/8: /.test(l.message)),
    ).toHaveLength(8);
  });

  it('validates in a dry run too', async () => {
    await expect(
      run({ ...valid, accessors: ['allUsers'] }, { isDryRun: true }),
    ).rejects.toThrow(/allUsers is never allowed/);
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('gets through 20% of 503 and 429 answers on every method', async () => {
    fake.faults.add({ method: '*', status: 503, probability: 0.1 });
    fake.faults.add({ method: '*', status: 429, probability: 0.1 });
    const { outputs } = await run(sandboxInput);
    expect(outputs.serviceName).toBe(sandboxService);
    expect(fake.requests().filter(r => r.fault).length).toBeGreaterThan(0);
    fake.faults.clear();
    expect(policy(sandboxIapResource).bindings).toEqual([
      expect.objectContaining({
        members: ['group:sre@example.com', 'user:ada@example.com'],
      }),
    ]);
  });

  it('fails with the rollout error when the revision does not start, before granting access', async () => {
    await expect(
      run({
        ...valid,
        image: 'europe-west2-docker.pkg.dev/acme-sandbox/apps/broken:1',
      }),
    ).rejects.toThrow(/Cloud Run could not create .*new-app/);
    expect(
      (fake.state() as any).iamPolicies[
        'projects/100000000002/iap_web/cloud_run-europe-west2/services/new-app'
      ],
    ).toBeUndefined();
  });

  it('never puts credentials or service-account addresses in logs, outputs or errors', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const credentials = JSON.stringify({
      type: 'service_account',
      project_id: 'acme-internal-apps',
      private_key_id: 'key-id-0123456789abcdef',
      private_key: pem,
      client_email: 'backstage@acme-internal-apps.iam.gserviceaccount.com',
      client_id: '1234567890',
    });
    const secretParts = [
      pem.split('\n')[5],
      'key-id-0123456789abcdef',
      'BEGIN PRIVATE KEY',
    ];
    // A key next to the fake's endpoint is refused before any call: credentials go to Google only.
    let refusal = '';
    await run(sandboxInput, {}, { credentials }).catch(e => {
      refusal = `${e.message}\n${e.stack}\n${JSON.stringify(e)}`;
    });
    expect(refusal).toMatch(
      /cloudRunIap.google.credentials must not be set together with cloudRunIap.google.endpoint/,
    );
    expect(fake.requests()).toEqual([]);

    const ok = await run(sandboxInput);
    fake.faults.add({ method: 'iap.setIamPolicy', status: 403 });
    const failing = createTestActionContext({
      ...valid,
      serviceId: 'denied-app',
    });
    let error = '';
    await action()
      .handler(failing.ctx)
      .catch(e => {
        error = `${e.message}\n${e.stack}\n${JSON.stringify(e)}`;
      });
    expect(error).toMatch(/403 PERMISSION_DENIED/);
    const everything = [
      refusal,
      ok.logger.text(),
      JSON.stringify(ok.outputs),
      failing.logger.text(),
      JSON.stringify(failing.outputs),
      error,
    ].join('\n');
    for (const part of secretParts) {
      expect(everything).not.toContain(part);
    }
    // The run created an account and granted the IAP agent: neither address reaches the log.
    expect(ok.logger.text()).toMatch(
      /Created the runtime account app-uptime-monitor/,
    );
    expect(everything).not.toMatch(/gserviceaccount\.com/);
  });
  describe('no borrowed identity or secrets', () => {
    const accounts = () =>
      (fake.state() as any).serviceAccounts as Array<{
        email: string;
        displayName?: string;
        description?: string;
      }>;

    it('gives each new app its own runtime account, named for the entity, created once', async () => {
      const checkpoints = new CheckpointStore();
      await run(sandboxInput, { checkpoints });
      expect(accounts().find(a => a.email === runtimeAccount)).toEqual(
        expect.objectContaining({
          displayName: 'uptime-monitor (Backstage app)',
          description: `Runtime identity of ${sandboxService}, created by Backstage for component:default/uptime-monitor (owner group:default/team-a)`,
        }),
      );
      await run({ ...valid, serviceId: 'second-app' });
      const service = (id: string) =>
        (fake.state() as any).services.find((x: any) =>
          x.name.endsWith(`/services/${id}`),
        );
      expect(service('second-app').template.serviceAccount).toBe(
        'app-second-app@acme-sandbox.iam.gserviceaccount.com',
      );
      expect(service('uptime-monitor').template.serviceAccount).toBe(
        runtimeAccount,
      );
      const creates = fake
        .requests()
        .filter(r => r.methodId === 'iam.projects.serviceAccounts.create');
      expect(creates.map(r => r.status)).toEqual([200, 200]);
    });

    it('converges when the account exists from an earlier run (no second create)', async () => {
      const checkpoints = new CheckpointStore();
      checkpoints.crashAt = {
        keyEndsWith: '/create/runtime-account',
        when: 'before-store',
      };
      await expect(run(sandboxInput, { checkpoints })).rejects.toThrow(
        SimulatedCrash,
      );
      await run(sandboxInput, { checkpoints });
      const calls = fake
        .requests()
        .filter(r => r.methodId?.startsWith('iam.projects.serviceAccounts'));
      expect(
        calls.map(r => `${r.methodId!.split('.').pop()} ${r.status}`),
      ).toEqual(['get 404', 'get 404', 'create 200', 'get 200', 'get 200']);
    });

    it('waits while Cloud Run does not see the new account yet', async () => {
      fake.faults.add({
        method: 'run.projects.locations.services.create',
        status: 400,
        message: `Service account ${runtimeAccount} does not exist.`,
        count: 2,
      });
      const { logger, outputs } = await run(sandboxInput);
      expect(outputs.serviceName).toBe(sandboxService);
      expect(logger.text()).toMatch(
        /Cloud Run does not see the runtime service account yet; trying again in \d+ s \(2 of 4\)/,
      );
      expect(logger.text()).not.toMatch(/gserviceaccount\.com/);
    });

    it('runs as an existing account only when config lists it for the project', async () => {
      await run({ ...valid, serviceAccount: SHARED_RUNTIME });
      const service = (fake.state() as any).services.find((x: any) =>
        x.name.endsWith('/services/new-app'),
      );
      expect(service.template.serviceAccount).toBe(SHARED_RUNTIME);
      expect(
        fake
          .requests()
          .filter(r => r.methodId === 'iam.projects.serviceAccounts.create'),
      ).toEqual([]);
    });

    it('mounts only secrets labelled for the app when config requires it', async () => {
      const labelled = { requireAppLabel: true };
      await expect(
        run(
          { ...valid, env: { DB_PASSWORD: { secret: 'unlabelled-db' } } },
          {},
          labelled,
        ),
      ).rejects.toThrow(
        "env.DB_PASSWORD.secret names secret unlabelled-db, which is not labelled for this app: cloudRunIap.secrets.requireAppLabel asks every mounted secret to carry the label backstage-app: new-app (it has no such label); the secret's owner can add it with gcloud secrets update unlabelled-db --project=acme-sandbox --update-labels=backstage-app=new-app",
      );
      await expect(
        run(
          {
            ...valid,
            env: {
              DB_PASSWORD: {
                secret: 'projects/acme-sandbox/secrets/other-app-db',
              },
            },
          },
          {},
          labelled,
        ),
      ).rejects.toThrow(/it has backstage-app: other-app/);
      await expect(
        run(
          { ...valid, env: { DB_PASSWORD: { secret: 'missing-db' } } },
          {},
          labelled,
        ),
      ).rejects.toThrow(
        /names secret missing-db, which does not exist in project acme-sandbox/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
      // Labelled for the app: accepted, and unlabelled ones are fine while not required.
      await run(sandboxInput, {}, labelled);
      await run({
        ...valid,
        env: { DB_PASSWORD: { secret: 'unlabelled-db' } },
      });
    });

    it('takes images only from the allowed registries, when config sets them', async () => {
      const allowed = {
        allowedRegistries: ['europe-west2-docker.pkg.dev/acme-sandbox/apps/'],
      };
      for (const image of [
        'europe-west2-docker.pkg.dev/acme-sandbox/apps-evil/new-app:1',
        'docker.io/library/nginx:1.27',
        'europe-west2-docker.pkg.dev/acme-sandbox/apps',
      ]) {
        await expect(run({ ...valid, image }, {}, allowed)).rejects.toThrow(
          `image must come from one of the registries in cloudRunIap.images.allowedRegistries (europe-west2-docker.pkg.dev/acme-sandbox/apps), got ${JSON.stringify(
            image,
          )}`,
        );
      }
      expect(attemptedWrites(fake)).toEqual([]);
      await run(valid, {}, allowed);
    });
  });

  describe('adopting an existing service', () => {
    it('refuses another task adopting through an entity that a squatter re-registered', async () => {
      await run(sandboxInput, { taskId: 'first-task' });
      fake.clearRequests();
      services = actionServices({
        claims: ['user:default/mallory', 'group:default/squatters'],
        entities: [
          component('uptime-monitor', 'group:default/squatters'),
          ...catalogEntities.filter(e => e.metadata.name !== 'uptime-monitor'),
        ],
      });
      await expect(
        run(
          {
            ...sandboxInput,
            owner: 'group:default/squatters',
            accessors: ['user:mallory@example.com'],
          },
          { taskId: 'second-task' },
        ),
      ).rejects.toThrow(
        /component:default\/uptime-monitor is owned by group:default\/squatters in the catalog, but .* records group:default\/team-a as its owner/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
      expect(services.auditor.events).toEqual([
        expect.objectContaining({
          meta: expect.objectContaining({
            action: 'create-iap-service',
            actor: 'user:default/guest',
            service: sandboxService,
          }),
          outcome: 'failed',
        }),
      ]);
    });

    it('refuses adopting a service that another task created while this one was creating it', async () => {
      const deny = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
      permissions = mockServices.permissions.mock({ authorize: deny as any });
      // The create waits in the fake; meanwhile another task's service appears (409 or re-read).
      fake.faults.add({
        method: 'run.projects.locations.services.create',
        latencyMs: 300,
        count: 1,
      });
      const checkpoints = new CheckpointStore();
      const racing = run(sandboxInput, { checkpoints, taskId: 'slow-task' });
      while (!checkpoints.ran.some(k => k.endsWith('/create/iap-agent'))) {
        await new Promise(resolve => setTimeout(resolve, 2));
      }
      fake.world.run.seedService(fake.world.findProject('acme-sandbox')!, {
        id: 'uptime-monitor',
        region: 'europe-west2',
        image: 'europe-west2-docker.pkg.dev/acme-sandbox/apps/other:1',
        iapEnabled: true,
        ingress: 'INGRESS_TRAFFIC_ALL',
        state: 'ready',
        labels: { 'managed-by': 'backstage' },
        annotations: {
          'backstage.io/entity-ref': 'component:default/uptime-monitor',
          'backstage.io/owner-group': TEAM,
          'backstage.io/created-by-task': 'fast-task',
        },
      });
      await expect(racing).rejects.toThrow(
        `may not change who can reach ${sandboxInput.entityRef} (permission cloud-run-iap.access.manage)`,
      );
      expect(deny).toHaveBeenCalledTimes(1);
      // Neither the accessors nor the invoker were granted on the other task's service.
      expect(
        (fake.state() as any).iamPolicies[sandboxIapResource],
      ).toBeUndefined();
      expect(
        realWrites(fake).filter(r =>
          /setIamPolicy|services\.patch/.test(r.methodId ?? ''),
        ),
      ).toEqual([]);
    });

    it('lets a new task of the recorded owner group adopt a service whose entity was never registered ("start over")', async () => {
      await run(sandboxInput, { taskId: 'died-before-register' });
      fake.clearRequests();
      const deny = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
      permissions = mockServices.permissions.mock({ authorize: deny as any });
      const withoutTheApp = catalogEntities.filter(
        e => e.metadata.name !== 'uptime-monitor',
      );
      services = actionServices({ entities: withoutTheApp });

      const test = await run(sandboxInput, { taskId: 'start-over' });

      expect(deny).not.toHaveBeenCalled();
      expect(test.logger.text()).toContain(
        'is not in the catalog yet and projects/acme-sandbox/locations/europe-west2/services/uptime-monitor records group:default/team-a, one of your groups, as its owner: adopting it',
      );
      // Converged: the same service, nothing to write.
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('applies the ordinary rules to a start-over once an entity of that name is in the catalog', async () => {
      await run(sandboxInput, { taskId: 'died-before-register' });
      fake.clearRequests();
      const deny = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
      permissions = mockServices.permissions.mock({ authorize: deny as any });

      await expect(run(sandboxInput, { taskId: 'start-over' })).rejects.toThrow(
        `may not change who can reach ${sandboxInput.entityRef} (permission cloud-run-iap.access.manage)`,
      );
      expect(deny).toHaveBeenCalledTimes(1);
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('refuses a start-over by a group other than the recorded one, even with no entity registered', async () => {
      await run(sandboxInput, { taskId: 'died-before-register' });
      fake.clearRequests();
      services = actionServices({
        claims: ['user:default/guest', TEAM, 'group:default/team-b'],
        entities: catalogEntities.filter(
          e => e.metadata.name !== 'uptime-monitor',
        ),
      });
      await expect(
        run(
          { ...sandboxInput, owner: 'group:default/team-b' },
          { taskId: 'start-over' },
        ),
      ).rejects.toThrow(
        /component:default\/uptime-monitor, which .* names, is not in the catalog/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });

    it('refuses another task naming a different owner than the one recorded', async () => {
      await run(sandboxInput, { taskId: 'first-task' });
      fake.clearRequests();
      services = actionServices({
        claims: ['user:default/guest', TEAM, 'group:default/team-b'],
      });
      await expect(
        run(
          { ...sandboxInput, owner: 'group:default/team-b' },
          { taskId: 'second-task' },
        ),
      ).rejects.toThrow(
        /owner group:default\/team-b is not the owner recorded on .*uptime-monitor \(group:default\/team-a\)/,
      );
      expect(attemptedWrites(fake)).toEqual([]);
    });
  });

  it('audits the access change with actor, entity, service, members and outcome', async () => {
    await run(sandboxInput);
    expect(services.auditor.events).toEqual([
      {
        eventId: 'iap-access-change',
        severityLevel: 'high',
        meta: {
          action: 'create-iap-service',
          actor: 'user:default/guest',
          entity: 'component:default/uptime-monitor',
          ownerGroup: TEAM,
          service: sandboxService,
          members: {
            add: ['group:sre@example.com', 'user:ada@example.com'],
            remove: [],
          },
          accessLevels: [
            `${ORG_POLICY}/accessLevels/corp_network`,
            `${ORG_POLICY}/accessLevels/uk_only`,
          ],
          taskId: 'test-task',
        },
        outcome: 'succeeded',
        outcomeMeta: expect.objectContaining({ adopted: false }),
      },
    ]);
    services.auditor.events.length = 0;
    await run(sandboxInput, { isDryRun: true });
    expect(services.auditor.events).toEqual([]);
  });
});
