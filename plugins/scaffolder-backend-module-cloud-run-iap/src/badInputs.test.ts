import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import fs from 'node:fs';
import path from 'node:path';
import { createTestActionContext } from './__testUtils__/actionContext';
import {
  actionServices,
  catalogEntities,
} from './__testUtils__/backstageServices';
import {
  oneStepTemplate,
  startScaffolderTasks,
} from './__testUtils__/scaffolderTasks';
import {
  attemptedWrites,
  clientFactory,
  startTestFake,
  TEAM,
} from './__testUtils__/testWorld';
import { createCreateIapServiceAction } from './actions/createIapService';
import { createUpdateIapAccessAction } from './actions/updateIapAccess';

jest.setTimeout(60_000);

/** One file of `__fixtures__/bad-inputs`: overrides of a valid input, and the field the error must name. */
interface BadInputCase {
  description: string;
  action: 'create' | 'update';
  field: string;
  input: Record<string, unknown>;
  omit?: string[];
  /** Also run through the real scaffolder's task API. */
  taskApi?: boolean;
}

const corpusDir = path.join(__dirname, '__fixtures__', 'bad-inputs');
const corpus: Array<[string, BadInputCase]> = fs
  .readdirSync(corpusDir)
  .filter(file => file.endsWith('.json'))
  .sort()
  .map(file => [
    file,
    JSON.parse(fs.readFileSync(path.join(corpusDir, file), 'utf8')),
  ]);

const validInputs: Record<BadInputCase['action'], Record<string, unknown>> = {
  create: {
    projectId: 'acme-sandbox',
    region: 'europe-west2',
    serviceId: 'new-app',
    image: 'europe-west2-docker.pkg.dev/acme-sandbox/apps/new-app:1.0.0',
    entityRef: 'component:default/new-app',
    owner: TEAM,
    accessors: ['group:team@example.com'],
  },
  update: {
    serviceName:
      'projects/acme-internal-apps/locations/europe-west2/services/team-app',
    add: ['user:new@example.com'],
  },
};

function inputOf(testCase: BadInputCase): Record<string, unknown> {
  const input = { ...validInputs[testCase.action], ...testCase.input };
  for (const field of testCase.omit ?? []) delete input[field];
  return input;
}

/** The field as a whole word, so `region` does not match inside `regions`' of another field. */
const naming = (field: string) =>
  new RegExp(`(^|[^A-Za-z])${field}([^A-Za-z]|$)`);

describe('the actions refuse every input of the bad-inputs corpus before any write', () => {
  let fake: GoogleCloudFake;
  beforeAll(async () => {
    fake = await startTestFake();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const actionFor = (kind: BadInputCase['action']) => {
    const options = {
      clientFor: clientFactory(fake),
      permissions: mockServices.permissions({
        result: AuthorizeResult.ALLOW,
      }),
      ...actionServices(),
      progressEveryMs: 20,
      agentPropagation: { attempts: 5, delayMs: 10 },
    };
    return kind === 'create'
      ? createCreateIapServiceAction(options)
      : createUpdateIapAccessAction(options);
  };

  it('holds at least 40 cases, for both actions', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map(([, c]) => c.action))).toEqual(
      new Set(['create', 'update']),
    );
  });

  it.each(corpus)('%s', async (_file, testCase) => {
    const test = createTestActionContext(inputOf(testCase));
    const error = await actionFor(testCase.action)
      .handler(test.ctx)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error).toBeDefined();
    expect({ name: error!.name, message: error!.message }).toEqual({
      name: 'InputError',
      message: expect.stringMatching(naming(testCase.field)),
    });
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it.each(['create', 'update'] as const)(
    'still runs a good %s after the corpus',
    async kind => {
      const test = createTestActionContext(validInputs[kind]);
      await actionFor(kind).handler(test.ctx);
      expect(test.outputs.serviceName).toMatch(/\/services\/(new|team)-app$/);
      expect(attemptedWrites(fake).length).toBeGreaterThan(0);
    },
  );
});

describe('the real scaffolder refuses bad inputs of the corpus through the task API before any write', () => {
  let fake: GoogleCloudFake;
  let scaffolder: Awaited<ReturnType<typeof startScaffolderTasks>>;
  const throughTasks = corpus.filter(([, c]) => c.taskApi);
  const templateName = (file: string) => file.replace(/\.json$/, '');
  const actionIds = {
    create: 'gcp:cloud-run-iap-service:create',
    update: 'gcp:cloud-run-iap-access:update',
  };

  beforeAll(async () => {
    fake = await startTestFake();
    scaffolder = await startScaffolderTasks(fake, [
      ...catalogEntities,
      ...throughTasks.map(([file, c]) =>
        oneStepTemplate(templateName(file), actionIds[c.action], inputOf(c)),
      ),
      oneStepTemplate('good-create', actionIds.create, validInputs.create),
    ]);
  });
  afterAll(async () => {
    await scaffolder?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('sends cases of both actions', () => {
    expect(new Set(throughTasks.map(([, c]) => c.action))).toEqual(
      new Set(['create', 'update']),
    );
  });

  it.each(throughTasks)('%s', async (file, testCase) => {
    const task = await scaffolder.runTask(
      `template:default/${templateName(file)}`,
    );
    expect(task.status).toBe('failed');
    const refusal = task.log
      .split('\n')
      .find(line => line.startsWith('InputError: '));
    expect(refusal).toMatch(naming(testCase.field));
    expect(attemptedWrites(fake)).toEqual([]);
  });

  it('still completes a good task afterwards', async () => {
    const task = await scaffolder.runTask('template:default/good-create');
    expect(task.status).toBe('completed');
  });
});
