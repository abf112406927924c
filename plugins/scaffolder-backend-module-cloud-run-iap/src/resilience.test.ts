import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { createTestActionContext } from './__testUtils__/actionContext';
import {
  actionServices,
  catalogEntities,
  component,
} from './__testUtils__/backstageServices';
import {
  ACCESSOR,
  APPS_NUMBER,
  appsAgent,
  clientFactory,
  startTestFake,
  TEAM,
} from './__testUtils__/testWorld';
import { MANAGED_CONDITION_TITLE } from '@internal-apps/plugin-cloud-run-iap-common';
import { createCreateIapServiceAction } from './actions/createIapService';
import { createUpdateIapAccessAction } from './actions/updateIapAccess';

jest.setTimeout(120_000);

const PROJECT = 'acme-internal-apps';
const REGION = 'europe-west2';
const teamApp = `projects/${PROJECT}/locations/${REGION}/services/team-app`;
const iapKeyOf = (serviceId: string) =>
  `projects/${APPS_NUMBER}/iap_web/cloud_run-${REGION}/services/${serviceId}`;
const runKeyOf = (serviceId: string) =>
  `run:projects/${APPS_NUMBER}/locations/${REGION}/services/${serviceId}`;

/** How many create runs go through the faults, and how many of them run at once. */
const CREATE_RUNS = 100;
const CREATES_AT_ONCE = 5;

const SERVICES_CREATE = 'run.projects.locations.services.create';
const ACCOUNTS_CREATE = 'iam.projects.serviceAccounts.create';

/**
 * 20 % of every request, whatever the method, creates included: 10 % answered 429, 5 % 503,
 * and 5 % applied by the fake and then answered 503 (a lost answer). The rules are drawn in
 * turn, so each one's probability is of the requests the ones before it left.
 */
const RANDOM_FAULTS = [
  { id: 'random-429', method: '*', status: 429, probability: 0.1 },
  { id: 'random-503', method: '*', status: 503, probability: 0.05 / 0.9 },
  {
    id: 'random-lost-answer',
    method: '*',
    status: 503,
    applied: true,
    probability: 0.05 / 0.85,
  },
];
const LOST_ANSWER_FAULTS = ['random-lost-answer', 'lost-answer'];

describe('resilience of the actions against the fake', () => {
  let fake: GoogleCloudFake;
  beforeAll(async () => {
    fake = await startTestFake();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  afterEach(() => fake.faults.clear());

  const policy = (key: string) =>
    (fake.state() as any).iamPolicies[key] as { bindings: any[] };

  function actionOptions(entities = catalogEntities) {
    return {
      clientFor: clientFactory(fake),
      permissions: mockServices.permissions({
        result: AuthorizeResult.ALLOW,
      }),
      ...actionServices({ entities }),
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    };
  }

  it('lands 10 concurrent accessor changes on one service and keeps every binding it does not manage byte for byte', async () => {
    const before = {
      iap: policy(iapKeyOf('team-app')).bindings.map(b => JSON.stringify(b)),
      run: JSON.stringify(policy(runKeyOf('team-app')).bindings),
    };
    // The seed holds a conditional hand-made accessor binding, an unconditional managed one
    // (user:owner) and an iap.admin binding; the run policy holds the agent and developers.
    expect(before.iap).toHaveLength(3);
    // A slow write makes the runs read the policy before the others' writes land.
    fake.faults.add({ method: 'iap.getIamPolicy', latencyMs: 20 });
    fake.faults.add({ method: 'iap.setIamPolicy', latencyMs: 60 });
    const members = Array.from(
      { length: 10 },
      (_, i) => `user:concurrent-${i}@example.com`,
    );
    const runs = members.map((member, i) => {
      const test = createTestActionContext(
        { serviceName: teamApp, add: [member] },
        { taskId: `concurrent-${i}` },
      );
      return createUpdateIapAccessAction(actionOptions())
        .handler(test.ctx)
        .then(() => test.outputs);
    });
    const outputs = await Promise.all(runs);
    expect(outputs.every(o => o.changed === true)).toBe(true);

    const after = policy(iapKeyOf('team-app')).bindings;
    expect(after).toHaveLength(3);
    expect(JSON.stringify(after[0])).toBe(before.iap[0]);
    expect(JSON.stringify(after[2])).toBe(before.iap[2]);
    expect(after[1].role).toBe(ACCESSOR);
    expect(after[1].condition).toBeUndefined();
    expect([...after[1].members].sort()).toEqual(
      ['user:owner@example.com', ...members].sort(),
    );
    expect(JSON.stringify(policy(runKeyOf('team-app')).bindings)).toBe(
      before.run,
    );
    // The runs did collide, and re-applied their change on the newer policy.
    const sets = fake.requests().filter(r => r.methodId === 'iap.setIamPolicy');
    expect(sets.filter(r => r.status === 409).length).toBeGreaterThan(0);
    expect(sets.filter(r => r.status === 200)).toHaveLength(10);
  });

  /** The requests of `methodId` that took effect: answered, or applied with a lost answer. */
  const madeBy = (methodId: string) =>
    fake
      .requests()
      .filter(
        r =>
          r.methodId === methodId &&
          (r.status < 400 ||
            (r.status === 503 && LOST_ANSWER_FAULTS.includes(r.fault ?? ''))),
      );

  it(`creates ${CREATE_RUNS} services through 20% of 429 and 503 answers on every method, creates included, each correct and none twice`, async () => {
    // The first creates of each kind lose their answer for sure; then the random faults apply,
    // drawn from the fake's seeded generator (startTestFake: randomSeed 7).
    for (const method of [SERVICES_CREATE, ACCOUNTS_CREATE]) {
      fake.faults.add({
        id: 'lost-answer',
        method,
        status: 503,
        applied: true,
        count: 3,
      });
    }
    RANDOM_FAULTS.forEach(f => fake.faults.add(f));
    const ids = Array.from(
      { length: CREATE_RUNS },
      (_, i) => `chaos-${String(i).padStart(3, '0')}`,
    );
    const entities = [
      ...catalogEntities,
      ...ids.map(id => component(id, TEAM)),
    ];
    const options = actionOptions(entities);
    const createOne = async (serviceId: string) => {
      const test = createTestActionContext(
        {
          projectId: PROJECT,
          region: REGION,
          serviceId,
          image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/${serviceId}:1.0.0`,
          entityRef: `component:default/${serviceId}`,
          owner: TEAM,
          accessors: [`group:${serviceId}@example.com`, 'user:ada@example.com'],
          accessLevels: ['corp_network'],
        },
        { taskId: `task-${serviceId}` },
      );
      await createCreateIapServiceAction(options).handler(test.ctx);
      return test.outputs;
    };
    for (let i = 0; i < ids.length; i += CREATES_AT_ONCE) {
      const batch = ids.slice(i, i + CREATES_AT_ONCE);
      const outputs = await Promise.all(batch.map(createOne));
      expect(outputs.map(o => o.serviceName)).toEqual(
        batch.map(
          id => `projects/${PROJECT}/locations/${REGION}/services/${id}`,
        ),
      );
    }
    const requests = fake.requests();
    fake.faults.clear();
    const faultedCreates = requests.filter(
      r => r.fault && [SERVICES_CREATE, ACCOUNTS_CREATE].includes(r.methodId!),
    );
    expect(faultedCreates.length).toBeGreaterThanOrEqual(6);
    expect(requests.filter(r => r.fault).length).toBeGreaterThan(ids.length);

    const state = fake.state() as any;
    for (const id of ids) {
      const name = `projects/${PROJECT}/locations/${REGION}/services/${id}`;
      const services = (state.services as any[]).filter(s => s.name === name);
      expect(services).toHaveLength(1);
      expect(services[0]).toMatchObject({
        iapEnabled: true,
        labels: { 'managed-by': 'backstage' },
        annotations: {
          'backstage.io/entity-ref': `component:default/${id}`,
          'backstage.io/owner-group': TEAM,
          'backstage.io/created-by-task': `task-${id}`,
        },
        template: {
          serviceAccount: `app-${id}@${PROJECT}.iam.gserviceaccount.com`,
        },
      });
      expect(policy(runKeyOf(id)).bindings).toEqual([
        { role: 'roles/run.invoker', members: [appsAgent] },
      ]);
      expect(policy(iapKeyOf(id)).bindings).toEqual([
        {
          role: ACCESSOR,
          members: [`group:${id}@example.com`, 'user:ada@example.com'],
          condition: expect.objectContaining({
            title: MANAGED_CONDITION_TITLE,
          }),
        },
      ]);
    }
    // Each service and each runtime account was made by exactly one create.
    const serviceCreates = madeBy(SERVICES_CREATE).map(r =>
      new URLSearchParams(r.query).get('serviceId'),
    );
    expect([...serviceCreates].sort()).toEqual(ids);
    expect(madeBy(ACCOUNTS_CREATE)).toHaveLength(ids.length);
    const accounts = (state.serviceAccounts as any[]).filter(a =>
      /^app-chaos-/.test(a.email),
    );
    expect(accounts).toHaveLength(ids.length);
  });

  it('reports an accessor change whose write Google applied but whose answer was lost', async () => {
    fake.faults.add({
      method: 'iap.setIamPolicy',
      status: 503,
      applied: true,
      count: 1,
    });
    const test = createTestActionContext({
      serviceName: teamApp,
      add: ['user:lost-answer@example.com'],
    });
    await createUpdateIapAccessAction(actionOptions()).handler(test.ctx);
    // The retry carried the old etag (409); the re-read found the change in force.
    expect(
      fake
        .requests()
        .filter(r => r.methodId === 'iap.setIamPolicy')
        .map(r => r.status),
    ).toEqual([503, 409]);
    expect(test.outputs.changed).toBe(true);
    expect(test.outputs.accessors).toContain('user:lost-answer@example.com');
  });

  const newApp = {
    projectId: PROJECT,
    region: REGION,
    serviceId: 'new-app',
    image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/new-app:1.0.0`,
    entityRef: 'component:default/new-app',
    owner: TEAM,
    accessors: ['user:ada@example.com'],
  };

  it('carries on with its own service when Cloud Run made it but the answer to the create was lost', async () => {
    fake.faults.add({
      method: SERVICES_CREATE,
      status: 503,
      applied: true,
      count: 1,
    });
    const options = actionOptions();
    const test = createTestActionContext(newApp, { taskId: 'lost-answer' });
    await createCreateIapServiceAction(options).handler(test.ctx);
    expect(test.outputs.serviceName).toBe(
      `projects/${PROJECT}/locations/${REGION}/services/new-app`,
    );
    // The retry read the service and knew it by this task's annotations: no second create,
    // and no adoption (which would have needed the manage permission).
    expect(
      fake
        .requests()
        .filter(r => r.methodId === SERVICES_CREATE)
        .map(r => r.status),
    ).toEqual([503]);
    expect(test.logger.text()).toMatch(
      /carries this task's annotations: this task created it \(the answer to the create was lost\)/,
    );
    expect(options.auditor.events).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        outcomeMeta: expect.objectContaining({ adopted: false }),
      }),
    ]);
    expect(policy(iapKeyOf('new-app')).bindings).toEqual([
      { role: ACCESSOR, members: ['user:ada@example.com'] },
    ]);
  });

  /** Options whose client runs `meanwhile` once, after the first failed call of `method`. */
  function withRace(
    method: 'createService' | 'createServiceAccount',
    meanwhile: () => void,
    permissions:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const options = {
      ...actionOptions(),
      permissions: mockServices.permissions({ result: permissions }),
    };
    const clientFor = options.clientFor;
    let raced = false;
    options.clientFor = logger => {
      const client = clientFor(logger);
      const call = (client[method] as (...a: unknown[]) => Promise<any>).bind(
        client,
      );
      client[method] = ((...args: unknown[]) =>
        call(...args).catch(error => {
          if (!raced) meanwhile();
          raced = true;
          throw error;
        })) as any;
      return client;
    };
    return options;
  }

  it('never takes over a service another task made while its own create answered 503', async () => {
    fake.faults.add({ method: SERVICES_CREATE, status: 503, count: 1 });
    // Between the failed create and the read that follows, another task of the same entity
    // and owner creates new-app; this task may not manage the app, so it must not adopt it.
    const options = withRace(
      'createService',
      () =>
        fake.world.run.seedService(fake.world.findProject(PROJECT)!, {
          id: 'new-app',
          region: REGION,
          image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/other:1`,
          iapEnabled: true,
          ingress: 'INGRESS_TRAFFIC_ALL',
          state: 'ready',
          labels: { 'managed-by': 'backstage' },
          annotations: {
            'backstage.io/entity-ref': 'component:default/new-app',
            'backstage.io/owner-group': TEAM,
            'backstage.io/created-by-task': 'other-task',
          },
        }),
      AuthorizeResult.DENY,
    );
    const test = createTestActionContext(newApp, { taskId: 'this-task' });
    await expect(
      createCreateIapServiceAction(options).handler(test.ctx),
    ).rejects.toThrow(/permission cloud-run-iap\.access\.manage/);
    expect(
      fake.requests().filter(r => r.methodId === SERVICES_CREATE),
    ).toHaveLength(1);
    expect(policy(iapKeyOf('new-app'))).toBeUndefined();
  });

  it('uses its own runtime account when the fake made it but the answer to the create was lost', async () => {
    fake.faults.add({
      method: ACCOUNTS_CREATE,
      status: 503,
      applied: true,
      count: 1,
    });
    const test = createTestActionContext(newApp);
    await createCreateIapServiceAction(actionOptions()).handler(test.ctx);
    expect(test.outputs.serviceName).toBe(
      `projects/${PROJECT}/locations/${REGION}/services/new-app`,
    );
    expect(
      fake
        .requests()
        .filter(r => r.methodId === ACCOUNTS_CREATE)
        .map(r => r.status),
    ).toEqual([503]);
    expect(test.logger.text()).toMatch(
      /Created the runtime account app-new-app for component:default\/new-app/,
    );
  });

  it('refuses a runtime account someone else made while its own create answered 503', async () => {
    fake.faults.add({ method: ACCOUNTS_CREATE, status: 503, count: 1 });
    const options = withRace('createServiceAccount', () =>
      fake.world.serviceAccounts.add(fake.world.findProject(PROJECT)!, {
        accountId: 'app-new-app',
        description: 'made by hand for something else',
      }),
    );
    const test = createTestActionContext(newApp);
    await expect(
      createCreateIapServiceAction(options).handler(test.ctx),
    ).rejects.toThrow(
      /the account id app-new-app in acme-internal-apps is taken by an account that was not created by this portal/,
    );
    expect(fake.requests().filter(r => r.methodId === SERVICES_CREATE)).toEqual(
      [],
    );
  });
});
