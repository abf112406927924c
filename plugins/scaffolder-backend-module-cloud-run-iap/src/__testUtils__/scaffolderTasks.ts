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
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { GoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { scaffolderModuleCloudRunIap } from '../module';
import { cloudRunIapConfig, TEAM } from './testWorld';

/** A template of one step running `action` with `input` as it is (no parameters). */
export function oneStepTemplate(
  name: string,
  action: string,
  input: Record<string, unknown>,
): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/platform',
      type: 'service',
      parameters: [],
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

/**
 * The real scaffolder with this module, a catalog holding `entities` and the fake's Google;
 * `runTask` starts a template through the task API as user:default/guest (a member of
 * team-a) and waits, at most 60 s, for the task to end; `retryTask` runs an ended one again.
 */
export async function startScaffolderTasks(
  fake: GoogleCloudFake,
  entities: Entity[],
) {
  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return { userEntityRef: ref, ownershipEntityRefs: [ref, TEAM] };
      },
    }),
  });
  const backend = await startTestBackend({
    features: [
      scaffolderBackend,
      scaffolderModuleCloudRunIap,
      userInfo,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          cloudRunIap: { ...cloudRunIapConfig, google: { endpoint: fake.url } },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/scaffolder`;
  const headers = {
    Authorization: mockCredentials.user.header('user:default/guest'),
    'Content-Type': 'application/json',
  };

  async function startTask(templateRef: string): Promise<string> {
    const created = await fetch(`${base}/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ templateRef, values: {} }),
    });
    if (created.status !== 201) {
      throw new Error(`POST /v2/tasks answered ${created.status}`);
    }
    return ((await created.json()) as { id: string }).id;
  }

  /** Waits, at most 60 s, for the task to end; its status and its log. */
  async function waitForTask(id: string) {
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

  async function runTask(templateRef: string) {
    return waitForTask(await startTask(templateRef));
  }

  /**
   * Runs an ended task again through `POST /v2/tasks/:id/retry`, as the UI's "Retry" does:
   * its steps run again, and each checkpoint that succeeded before gives its stored value.
   */
  async function retryTask(id: string) {
    const res = await fetch(`${base}/v2/tasks/${id}/retry`, {
      method: 'POST',
      headers,
      body: JSON.stringify({}),
    });
    if (res.status !== 201) {
      throw new Error(`POST /v2/tasks/${id}/retry answered ${res.status}`);
    }
    return waitForTask(id);
  }

  return { runTask, retryTask, stop: () => backend.stop() };
}
