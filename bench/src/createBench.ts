import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startGoogleCloudFake } from '@internal-apps/google-cloud-fake';
import {
  createCreateIapServiceAction,
  CreateIapServiceInput,
} from '@internal-apps/plugin-scaffolder-backend-module-cloud-run-iap';
// The scaffolder module's own test world and action context (the real action, real HTTP).
/* eslint-disable no-restricted-imports, @backstage/no-forbidden-package-imports */
import {
  CheckpointStore,
  createTestActionContext,
} from '@internal-apps/plugin-scaffolder-backend-module-cloud-run-iap/src/__testUtils__/actionContext';
import { actionServices } from '@internal-apps/plugin-scaffolder-backend-module-cloud-run-iap/src/__testUtils__/backstageServices';
import {
  clientFactory,
  TEAM,
  testSeed,
} from '@internal-apps/plugin-scaffolder-backend-module-cloud-run-iap/src/__testUtils__/testWorld';
/* eslint-enable no-restricted-imports, @backstage/no-forbidden-package-imports */
import { FigureTable } from './figures';
import { longestCallChain, timed } from './stats';

const OPERATION_MS = 2_000;

/**
 * The interval between two polls of an operation when it finishes, per
 * `GoogleCloudClient.waitForOperation` (0.5 s doubling up to 5 s).
 */
function pollIntervalAt(operationMs: number) {
  let delay = 500;
  let waited = 0;
  for (;;) {
    waited += delay;
    if (waited >= operationMs) return delay;
    delay = Math.min(delay * 2, 5_000);
  }
}

const input: CreateIapServiceInput = {
  projectId: 'acme-internal-apps',
  region: 'europe-west2',
  serviceId: 'bench-app',
  image: 'europe-west2-docker.pkg.dev/acme-internal-apps/apps/bench-app:1.0.0',
  entityRef: 'component:default/bench-app',
  owner: TEAM,
  accessors: ['group:team@example.com', 'user:ada@example.com'],
  accessLevels: ['corp_network'],
};

/** The create action from scratch, with a 2 s Cloud Run operation, then re-run. */
export async function benchCreate(table: FigureTable, latencyMs: number) {
  const fake = await startGoogleCloudFake({
    seed: {
      ...testSeed,
      runtime: { operationDelayMs: OPERATION_MS, failingImages: [] },
    },
    latencyMs,
    randomSeed: 7,
  });
  const services = actionServices({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'bench-app', namespace: 'default' },
        spec: { type: 'service', lifecycle: 'production', owner: TEAM },
      },
    ],
  });
  const action = createCreateIapServiceAction({
    clientFor: clientFactory(fake),
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    ...services,
  });
  const writes = () =>
    fake
      .requests()
      .filter(r => r.write && !r.query.includes('validateOnly=true')).length;
  try {
    const checkpoints = new CheckpointStore();
    fake.clearRequests();
    const [, ms] = await timed(() =>
      action.handler(
        createTestActionContext(input, { checkpoints, taskId: 'bench-task' })
          .ctx,
      ),
    );
    const calls = fake.requests();
    const poll = pollIntervalAt(OPERATION_MS);
    const limit = OPERATION_MS + poll + 12 * latencyMs;
    table.add({
      name: `create action (${OPERATION_MS} ms operation, ${latencyMs} ms/call)`,
      value: ms,
      unit: 'ms',
      limit,
      target: `<= operation + one poll interval + 12 x latency`,
      note: `limit = ${OPERATION_MS} + ${poll} (poll interval when the operation ends) + 12 x ${latencyMs}; ${
        calls.length
      } Google calls, ${writes()} writes, longest chain of dependent calls ${longestCallChain(
        calls,
      )}`,
    });

    fake.clearRequests();
    await action.handler(
      createTestActionContext(input, { checkpoints, taskId: 'bench-task' }).ctx,
    );
    const resumedWrites = writes();
    fake.clearRequests();
    await action.handler(
      createTestActionContext(input, { taskId: 'bench-task' }).ctx,
    );
    const freshWrites = writes();
    table.add({
      name: 're-run of the finished task: writes',
      value: resumedWrites + freshWrites,
      unit: 'writes',
      target: '0',
      note: `${resumedWrites} with the task's checkpoints kept, ${freshWrites} with them lost (${
        fake.requests().length
      } Google calls)`,
    });
  } finally {
    await fake.stop();
  }
}
