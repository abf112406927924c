import {
  AuditorService,
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
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { scaffolderModuleCloudRunIap } from '../module';
import { cloudRunIapConfig, TEAM } from './testWorld';

/**
 * A template of one step running `action` with `input` as it is; `parameters` names the string
 * parameters the input may template in (`${{ parameters.name }}`).
 */
export function oneStepTemplate(
  name: string,
  action: string,
  input: Record<string, unknown>,
  parameters: string[] = [],
): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/platform',
      type: 'service',
      parameters:
        parameters.length > 0
          ? [
              {
                properties: Object.fromEntries(
                  parameters.map(p => [p, { type: 'string' }]),
                ),
              },
            ]
          : [],
      // A template holds JSON: the input as it would be read from YAML.
      steps: [
        {
          id: 'cloud-run',
          name: 'Cloud Run',
          action,
          input: JSON.parse(JSON.stringify(input)),
        },
      ],
    },
  };
}

export interface ScaffolderTasksOptions {
  /** The groups each user's sign-in claims; without it every user is in team-a. */
  groupsOf?: Record<string, string[]>;
  /** `cloudRunIap` keys over the test world's config. */
  cloudRunIap?: Record<string, unknown>;
  /** The auditor of every plugin (the test backend's own when absent). */
  auditor?: AuditorService;
}

/** Who starts a task, and the template's parameter values. */
export interface TaskRun {
  /** Default user:default/guest. */
  user?: string;
  values?: Record<string, unknown>;
}

/**
 * The real scaffolder with this module, a catalog holding `entities` and the fake's Google;
 * `runTask` starts a template through the task API (as user:default/guest, a member of team-a,
 * unless told) and waits, at most 60 s, for the task to end; `retryTask` runs an ended one again.
 */
export async function startScaffolderTasks(
  fake: GoogleCloudFake,
  entities: Entity[],
  options: ScaffolderTasksOptions = {},
) {
  const { groupsOf } = options;
  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        const groups = groupsOf ? groupsOf[ref] ?? [] : [TEAM];
        return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
      },
    }),
  });
  const { auditor } = options;
  const backend = await startTestBackend({
    features: [
      scaffolderBackend,
      scaffolderModuleCloudRunIap,
      userInfo,
      catalogServiceMock.factory({ entities }),
      ...(auditor
        ? [
            createServiceFactory({
              service: coreServices.auditor,
              deps: {},
              factory: () => auditor,
            }),
          ]
        : []),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          cloudRunIap: {
            ...cloudRunIapConfig,
            ...options.cloudRunIap,
            google: { endpoint: fake.url },
          },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/scaffolder`;
  const headersFor = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
    'Content-Type': 'application/json',
  });
  /** Who started each task: its status, log and retry are asked for as that user. */
  const startedBy = new Map<string, string>();

  async function startTask(templateRef: string, run: TaskRun = {}) {
    const user = run.user ?? 'user:default/guest';
    const created = await fetch(`${base}/v2/tasks`, {
      method: 'POST',
      headers: headersFor(user),
      body: JSON.stringify({ templateRef, values: run.values ?? {} }),
    });
    if (created.status !== 201) {
      throw new Error(`POST /v2/tasks answered ${created.status}`);
    }
    const { id } = (await created.json()) as { id: string };
    startedBy.set(id, user);
    return id;
  }

  /** Waits, at most 60 s, for the task to end; its status and its log. */
  async function waitForTask(id: string) {
    const headers = headersFor(startedBy.get(id) ?? 'user:default/guest');
    const deadline = Date.now() + 60_000;
    let status = 'open';
    while (!['completed', 'failed', 'cancelled'].includes(status)) {
      if (Date.now() > deadline)
        throw new Error(`task ${id} is still ${status}`);
      await new Promise(r => setTimeout(r, 100));
      const res = await fetch(`${base}/v2/tasks/${id}`, { headers });
      status = ((await res.json()) as { status: string }).status;
    }
    const events = (await (
      await fetch(`${base}/v2/tasks/${id}/events`, { headers })
    ).json()) as Array<{ body: { message?: string } }>;
    return {
      id,
      status,
      log: events.map(e => e.body.message ?? '').join('\n'),
    };
  }

  async function runTask(templateRef: string, run: TaskRun = {}) {
    return waitForTask(await startTask(templateRef, run));
  }

  /**
   * Runs an ended task again through `POST /v2/tasks/:id/retry`, as the UI's "Retry" does:
   * its steps run again, and each checkpoint that succeeded before gives its stored value.
   */
  async function retryTask(id: string) {
    const res = await fetch(`${base}/v2/tasks/${id}/retry`, {
      method: 'POST',
      headers: headersFor(startedBy.get(id) ?? 'user:default/guest'),
      body: JSON.stringify({}),
    });
    if (res.status !== 201) {
      throw new Error(`POST /v2/tasks/${id}/retry answered ${res.status}`);
    }
    return waitForTask(id);
  }

  return { runTask, retryTask, stop: () => backend.stop() };
}
