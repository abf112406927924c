import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { catalogEntities, component } from './__testUtils__/backstageServices';
import {
  oneStepTemplate,
  startScaffolderTasks,
} from './__testUtils__/scaffolderTasks';
import {
  comparableState,
  realWrites,
  startTestFake,
  TEAM,
} from './__testUtils__/testWorld';

jest.setTimeout(120_000);

/*
 * Each action is stopped at every step boundary, through the real scaffolder: the task fails
 * right before a step's write reaches Google, or right after Google applied it and before the
 * step's checkpoint was stored (the answer is lost). The task is then run again through the
 * task API's retry, which keeps the checkpoints that succeeded. The world it leaves must be the
 * one an uninterrupted task leaves.
 */

const PROJECT = 'acme-internal-apps';
const REGION = 'europe-west2';

/** A write Google refuses without a retry (403), so the task fails at that step. */
const stopAt = (method: string, applied: boolean) => ({
  id: `stop-${applied ? 'after' : 'before'}`,
  method,
  status: 403,
  message: 'The caller does not have permission (simulated kill)',
  applied,
  count: 1,
});

/** The write each step makes, in order. */
const CREATE_STEPS = [
  ['runtime-account', 'iam.projects.serviceAccounts.create'],
  ['iap-agent', 'serviceusage.services.generateServiceIdentity'],
  ['service', 'run.projects.locations.services.create'],
  ['agent-invoker', 'run.projects.locations.services.setIamPolicy'],
  ['accessors', 'iap.setIamPolicy'],
] as const;
const UPDATE_STEPS = [
  ['agent-invoker', 'run.projects.locations.services.setIamPolicy'],
  ['iap-enabled', 'run.projects.locations.services.patch'],
  ['accessors', 'iap.setIamPolicy'],
] as const;

/** Writes a re-run makes again by design: asking for the agent is the same whatever exists. */
const ASKED_AGAIN = ['serviceusage.services.generateServiceIdentity'];

const createTemplate = oneStepTemplate(
  'create-rerun-app',
  'gcp:cloud-run-iap-service:create',
  {
    projectId: PROJECT,
    region: REGION,
    serviceId: 'rerun-app',
    image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/rerun-app:1.0.0`,
    entityRef: 'component:default/rerun-app',
    owner: TEAM,
    accessors: ['group:rerun@example.com', 'user:ada@example.com'],
    accessLevels: ['corp_network'],
  },
);
const updateTemplate = oneStepTemplate(
  'wake-dormant-app',
  'gcp:cloud-run-iap-access:update',
  {
    serviceName: `projects/${PROJECT}/locations/${REGION}/services/dormant-app`,
    iapEnabled: true,
    add: ['user:new@example.com'],
    accessLevels: ['uk_only'],
  },
);

describe('both actions killed at each step boundary and run again through the task API', () => {
  let fake: GoogleCloudFake;
  let scaffolder: Awaited<ReturnType<typeof startScaffolderTasks>>;

  beforeAll(async () => {
    fake = await startTestFake();
    scaffolder = await startScaffolderTasks(fake, [
      createTemplate,
      updateTemplate,
      ...catalogEntities,
      component('rerun-app', TEAM),
      component('dormant-app', TEAM),
    ]);
  });
  afterAll(async () => {
    await scaffolder?.stop();
    await fake?.stop();
  });

  /** Back to the seed, plus an app with IAP off whose agent is not its invoker yet. */
  function resetWorld() {
    fake.reset();
    fake.world.run.seedService(fake.world.findProject(PROJECT)!, {
      id: 'dormant-app',
      region: REGION,
      image: `europe-west2-docker.pkg.dev/${PROJECT}/apps/dormant-app:1.0.0`,
      iapEnabled: false,
      ingress: 'INGRESS_TRAFFIC_ALL',
      state: 'ready',
      labels: { 'managed-by': 'backstage' },
      annotations: {
        'backstage.io/entity-ref': 'component:default/dormant-app',
        'backstage.io/owner-group': TEAM,
      },
    });
  }

  /** The world the actions change, with the task id that differs per task left out. */
  function endState() {
    const state = comparableState(fake, PROJECT);
    return {
      ...state,
      services: state.services.map(s => ({
        ...s,
        annotations: {
          ...s.annotations,
          ...(s.annotations?.['backstage.io/created-by-task']
            ? { 'backstage.io/created-by-task': '<this task>' }
            : {}),
        },
      })),
      accounts: ((fake.state() as any).serviceAccounts as any[])
        .filter(a => a.email.endsWith(`@${PROJECT}.iam.gserviceaccount.com`))
        .map(a => ({
          email: a.email,
          displayName: a.displayName,
          description: a.description,
          disabled: a.disabled,
        })),
    };
  }

  describe.each([
    ['create', createTemplate, CREATE_STEPS],
    ['update', updateTemplate, UPDATE_STEPS],
  ] as const)('%s', (_name, template, steps) => {
    const templateRef = `template:default/${template.metadata.name}`;
    let initial: ReturnType<typeof endState>;
    let uninterrupted: ReturnType<typeof endState>;

    beforeAll(async () => {
      resetWorld();
      initial = endState();
      const task = await scaffolder.runTask(templateRef);
      if (task.status !== 'completed') {
        throw new Error(
          `the uninterrupted task ended ${task.status}: ${task.log}`,
        );
      }
      uninterrupted = endState();
    });

    it('changes the world when not interrupted', () => {
      expect(uninterrupted).not.toEqual(initial);
    });

    it.each(
      steps.flatMap(([step, method]) => [
        [step, 'before its write lands', method, false],
        [step, 'after Google applied its write', method, true],
      ]),
    )('killed at %s %s', async (_step, _when, method, applied) => {
      resetWorld();
      fake.faults.add(stopAt(method as string, applied as boolean));
      const killed = await scaffolder.runTask(templateRef);
      expect(killed.status).toBe('failed');
      expect(killed.log).toContain('simulated kill');
      const stopped = fake.requests().filter(r => r.fault?.startsWith('stop-'));
      expect(stopped).toHaveLength(1);
      fake.clearRequests();

      const again = await scaffolder.retryTask(killed.id);
      expect(again.status).toBe('completed');
      expect(endState()).toEqual(uninterrupted);
      // The re-run repeated no write that had succeeded: each checkpoint that was stored
      // gave its value back, and the interrupted step found its own work in place.
      const index = steps.findIndex(([, m]) => m === method);
      const done: string[] = steps.slice(0, index).map(([, m]) => m);
      if (applied && !ASKED_AGAIN.includes(method as string)) {
        done.push(method as string);
      }
      expect(
        realWrites(fake)
          .map(r => r.methodId)
          .filter(m => done.includes(m!)),
      ).toEqual([]);
    });
  });
});
