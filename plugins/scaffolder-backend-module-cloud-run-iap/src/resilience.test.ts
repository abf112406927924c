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
import { MANAGED_CONDITION_TITLE } from './lib/bindings';
import { createCreateIapServiceAction } from './actions/createIapService';
import { createUpdateIapAccessAction } from './actions/updateIapAccess';

jest.setTimeout(60_000);

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
/**
 * Every request but the two creates (POST …/services, POST …/serviceAccounts; the list of
 * services shares the first path): those get counted faults instead, since a run gives up on
 * a create after a few read-then-retry turns and random faults could exhaust them.
 */
const EXCEPT_CREATES = '^(?!.*/(services|serviceAccounts)$)';

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

  it(`creates ${CREATE_RUNS} services through 20% of 429 and 503 answers on every method, each correct and none twice`, async () => {
    // The fake draws which calls fail from its seeded generator (startTestFake: randomSeed 7).
    fake.faults.add({ path: EXCEPT_CREATES, status: 503, probability: 0.1 });
    fake.faults.add({ path: EXCEPT_CREATES, status: 429, probability: 0.1 });
    // The creates are not repeated blindly (the action reads, then creates again, a bounded
    // number of times): they fail a bounded number of times, fewer than the action's attempts.
    fake.faults.add({ method: SERVICES_CREATE, status: 503, count: 2 });
    fake.faults.add({ method: SERVICES_CREATE, status: 429, count: 1 });
    const ids = Array.from(
      { length: CREATE_RUNS },
      (_, i) => `chaos-${String(i).padStart(3, '0')}`,
    );
    const entities = [
      ...catalogEntities,
      ...ids.map(id => component(id, TEAM)),
    ];
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
      await createCreateIapServiceAction(actionOptions(entities)).handler(
        test.ctx,
      );
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
    const faulted = fake.requests().filter(r => r.fault);
    expect(faulted.length).toBeGreaterThan(ids.length);
    fake.faults.clear();

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
    const created = fake
      .requests()
      .filter(r => r.methodId === SERVICES_CREATE && r.status < 400);
    expect(created).toHaveLength(ids.length);
  });

  // A create whose answer is lost is read back before it is tried again, as for services.
  it('creates a service when creating its runtime account answers 503 once', async () => {
    fake.faults.add({
      path: '/serviceAccounts$',
      httpMethod: 'POST',
      status: 503,
      count: 1,
    });
    const test = createTestActionContext({
      projectId: PROJECT,
      region: REGION,
      serviceId: 'new-app',
      image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/new-app:1.0.0`,
      entityRef: 'component:default/new-app',
      owner: TEAM,
      accessors: ['user:ada@example.com'],
    });
    await createCreateIapServiceAction(actionOptions()).handler(test.ctx);
    expect(test.outputs.serviceName).toBe(
      `projects/${PROJECT}/locations/${REGION}/services/new-app`,
    );
    expect(
      fake
        .requests()
        .filter(
          r => r.httpMethod === 'POST' && r.path.endsWith('/serviceAccounts'),
        )
        .map(r => r.status),
    ).toEqual([503, 200]);
  });
});
