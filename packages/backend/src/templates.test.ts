import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import yaml from 'yaml';
import { testBackendFeatures } from './__testUtils__/testBackendFeatures';
import { LocalGitRepositories } from './localGit/LocalGitRepositories';

/*
 * The golden-path templates (templates/) end to end through the real scaffolder's task API:
 * the backend of this repository (catalog, scaffolder, our modules, the embedded Google Cloud
 * fake, the local git publisher), the guest's own token, and each template as the catalog
 * loaded it from app-config's locations.
 */

const repoRoot = path.resolve(__dirname, '../../..');
const examples = path.join(repoRoot, 'examples');
const templatesDir = path.join(repoRoot, 'templates');
const APPS_NUMBER = '100000000001';
const APPS_AGENT = `serviceAccount:service-${APPS_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com`;
const CORP_NETWORK = 'accessPolicies/555000000001/accessLevels/corp_network';
const OWNER = 'group:default/internal-apps-team';
const OWNER_EMAIL = 'group:internal-apps-team@example.com';

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

interface Case {
  template: string;
  values: Record<string, unknown>;
  accessors: string[];
  levels: string[];
}

const base = {
  owner: OWNER,
  system: 'system:default/internal-apps',
  projectId: 'acme-internal-apps',
  image: 'us-docker.pkg.dev/cloudrun/container/hello',
  repoOwner: 'internal-apps',
};
const cases: Case[] = [
  {
    template: 'internal-flask-app',
    values: {
      ...base,
      name: 'access-requests',
      description: 'Staff request access; approvers decide',
      region: 'europe-west2',
      accessors: ['group:sre@example.com', 'user:ada@example.com'],
      accessLevels: [CORP_NETWORK],
    },
    accessors: ['group:sre@example.com', 'user:ada@example.com'],
    levels: [CORP_NETWORK],
  },
  {
    template: 'internal-fastapi-app',
    values: {
      ...base,
      name: 'shared-datasets',
      description: 'Curated data sets for partner teams',
      region: 'us-central1',
      withoutAccessLevel: true,
    },
    // No accessor chosen: the owner group, by its email in the catalog.
    accessors: [OWNER_EMAIL],
    levels: [],
  },
  {
    template: 'internal-genai-assistant',
    values: {
      ...base,
      name: 'agent-assistant',
      description: 'Drafts answers for call-centre agents',
      region: 'us-east1',
      accessors: ['group:callcentre@example.com'],
      accessLevels: [CORP_NETWORK],
    },
    accessors: ['group:callcentre@example.com'],
    levels: [CORP_NETWORK],
  },
  {
    template: 'internal-uptime-monitor',
    values: {
      ...base,
      name: 'app-status',
      description: 'Checks that our internal apps answer',
      region: 'europe-west2',
      targets: [{ name: 'Portal', url: 'https://backstage.example.com/' }],
      withoutAccessLevel: true,
    },
    accessors: [OWNER_EMAIL],
    levels: [],
  },
];

jest.setTimeout(240_000);

describe('the golden-path templates through the scaffolder task API', () => {
  let backend: TestBackend;
  let baseUrl: string;
  let fakeUrl: string;
  let dataDir: string;
  let repositories: LocalGitRepositories;
  let token: string;

  beforeAll(async () => {
    const fakePort = await freePort();
    fakeUrl = `http://127.0.0.1:${fakePort}`;
    dataDir = await mkdtemp(path.join(tmpdir(), 'templates-test-git-'));
    repositories = new LocalGitRepositories(dataDir);
    const templateLocations = cases.map(c => ({
      type: 'file',
      target: path.join(templatesDir, c.template, 'template.yaml'),
      rules: [{ allow: ['Template'] }],
    }));
    backend = await startTestBackend({
      features: [
        ...testBackendFeatures,
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: {
              baseUrl: 'http://localhost:7007',
              reading: {
                allow: [
                  {
                    host: 'localhost:1024-65535',
                    paths: ['/api/local-git/repos/'],
                  },
                ],
              },
            },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(examples, 'entities.yaml') },
                {
                  type: 'file',
                  target: path.join(examples, 'org.yaml'),
                  rules: [{ allow: ['User', 'Group'] }],
                },
                ...templateLocations,
              ],
            },
            permission: { enabled: true },
            auth: {
              providers: {
                guest: {
                  userEntityRef: 'user:default/guest',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
            cloudRunIap: {
              google: { endpoint: fakeUrl },
              organization: { domains: ['example.com'] },
              projects: [
                {
                  id: 'acme-internal-apps',
                  regions: ['europe-west2', 'us-central1', 'us-east1'],
                },
              ],
            },
            googleCloudFake: { enabled: true, port: fakePort },
            localGit: { enabled: true, dataDir },
          },
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${backend.server.port()}`;
    token = await eventually('the guest sign-in with its team', async () => {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!res.ok) return undefined;
      const { backstageIdentity } = (await res.json()) as {
        backstageIdentity: {
          token: string;
          identity: { ownershipEntityRefs: string[] };
        };
      };
      return backstageIdentity.identity.ownershipEntityRefs.includes(OWNER)
        ? backstageIdentity.token
        : undefined;
    });
    await eventually('the four templates in the catalog', async () => {
      const res = await api(
        '/api/catalog/entities/by-query?filter=kind=template',
      );
      const { items } = (await res.json()) as { items: unknown[] };
      return items.length === cases.length ? true : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function api(urlPath: string, init: RequestInit = {}) {
    return fetch(`${baseUrl}${urlPath}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });
  }

  const fake = {
    state: async () =>
      (await (await fetch(`${fakeUrl}/__fake/state`)).json()) as any,
    requests: async (): Promise<Array<Record<string, any>>> =>
      ((await (await fetch(`${fakeUrl}/__fake/requests`)).json()) as any)
        .requests,
    clearRequests: () =>
      fetch(`${fakeUrl}/__fake/requests`, { method: 'DELETE' }),
    addFault: (rule: object) =>
      fetch(`${fakeUrl}/__fake/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(rule),
      }),
    clearFaults: () => fetch(`${fakeUrl}/__fake/faults`, { method: 'DELETE' }),
  };
  const requestLog = () => fake.requests();

  async function runTask(template: string, values: object) {
    const res = await api('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: `template:default/${template}`,
        values,
        secrets: {},
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    return waitForTask(id);
  }

  async function waitForTask(id: string) {
    return eventually(
      `task ${id}`,
      async () => {
        const res = await api(`/api/scaffolder/v2/tasks/${id}`);
        const task = (await res.json()) as {
          id: string;
          status: string;
          output?: {
            links?: Array<{ title: string; url?: string; entityRef?: string }>;
            text?: Array<{ content: string }>;
          };
        };
        return ['completed', 'failed', 'cancelled'].includes(task.status)
          ? task
          : undefined;
      },
      180_000,
    );
  }

  /** The template's rendered output, from the task's completion event. */
  async function taskOutput(id: string) {
    const res = await api(`/api/scaffolder/v2/tasks/${id}/events`);
    const events = (await res.json()) as Array<{
      type: string;
      body: {
        output?: {
          links?: Array<{ title: string; url?: string; entityRef?: string }>;
          text?: Array<{ content: string }>;
        };
      };
    }>;
    return events.find(e => e.type === 'completion')?.body.output ?? {};
  }

  async function taskLog(id: string): Promise<string> {
    const res = await api(`/api/scaffolder/v2/tasks/${id}/events`);
    const events = (await res.json()) as Array<{ body: { message?: string } }>;
    return events.map(e => e.body.message ?? '').join('\n');
  }

  const serviceName = (c: Case) =>
    `projects/${c.values.projectId}/locations/${c.values.region}/services/${c.values.name}`;
  const iapResource = (c: Case) =>
    `projects/${APPS_NUMBER}/iap_web/cloud_run-${c.values.region}/services/${c.values.name}`;

  async function expectService(c: Case) {
    const state = await fake.state();
    const services = (state.services as any[]).filter(
      s => s.name === serviceName(c),
    );
    expect(services).toHaveLength(1);
    const [service] = services;
    expect(service.iapEnabled).toBe(true);
    expect(service.annotations['backstage.io/entity-ref']).toBe(
      `component:default/${c.values.name}`,
    );
    expect(service.template.containers[0].env).toContainEqual({
      name: 'IAP_AUDIENCE',
      value: `/projects/${APPS_NUMBER}/locations/${c.values.region}/services/${c.values.name}`,
    });
    const runPolicy = state.iamPolicies[
      `run:projects/${APPS_NUMBER}/locations/${c.values.region}/services/${c.values.name}`
    ] as { bindings: Array<{ role: string; members: string[] }> };
    const invokers = runPolicy.bindings
      .filter(b => b.role === 'roles/run.invoker')
      .flatMap(b => b.members);
    expect(invokers).toContain(APPS_AGENT);
    expect(invokers).not.toContain('allUsers');
    expect(invokers).not.toContain('allAuthenticatedUsers');
    const iapPolicy = state.iamPolicies[iapResource(c)] as {
      bindings: Array<{
        role: string;
        members: string[];
        condition?: { expression: string };
      }>;
    };
    const accessorBindings = iapPolicy.bindings.filter(
      b => b.role === 'roles/iap.httpsResourceAccessor',
    );
    expect(accessorBindings.flatMap(b => b.members).sort()).toEqual(
      [...c.accessors].sort(),
    );
    for (const binding of accessorBindings) {
      if (c.levels.length === 0) {
        expect(binding.condition).toBeUndefined();
      } else {
        for (const level of c.levels) {
          expect(binding.condition?.expression).toContain(
            `"${level}" in request.auth.access_levels`,
          );
        }
      }
    }
    return service;
  }

  async function registeredEntity(name: string) {
    return eventually(`component ${name} in the catalog`, async () => {
      const res = await api(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      return res.ok ? ((await res.json()) as any) : undefined;
    });
  }

  async function locationsFor(name: string) {
    const res = await api('/api/catalog/locations');
    const locations = (await res.json()) as Array<{
      data: { type: string; target: string };
    }>;
    return locations.filter(
      l =>
        l.data.type === 'url' &&
        l.data.target.includes(`/repos/internal-apps/${name}/`),
    );
  }

  describe.each(cases)('$template', c => {
    const name = c.values.name as string;

    it('dry run: the real scaffolder runs every step and writes nothing', async () => {
      const templateYaml = yaml.parse(
        await readFile(
          path.join(templatesDir, c.template, 'template.yaml'),
          'utf8',
        ),
      );
      const skeleton = path.join(templatesDir, c.template, 'skeleton');
      const files = (
        await readdir(skeleton, { recursive: true, withFileTypes: true })
      )
        .filter(f => f.isFile())
        .map(f => path.join(f.parentPath, f.name));
      const directoryContents = await Promise.all(
        files.map(async file => ({
          path: path.join('skeleton', path.relative(skeleton, file)),
          base64Content: (await readFile(file)).toString('base64'),
        })),
      );
      await fake.clearRequests();
      const res = await api('/api/scaffolder/v2/dry-run', {
        method: 'POST',
        body: JSON.stringify({
          template: templateYaml,
          values: c.values,
          secrets: {},
          directoryContents,
        }),
      });
      const body = (await res.json()) as {
        log: Array<{
          body: { message: string; status?: string; stepId?: string };
        }>;
        directoryContents: Array<{ path: string }>;
        output: { text?: Array<{ content: string }> };
      };
      expect(res.status).toBe(200);
      const messages = body.log.map(l => l.body.message).join('\n');
      expect(messages).not.toMatch(/\bfailed\b/i);
      expect(messages).toMatch(/validateOnly/);
      expect(messages).toMatch(/Dry run: would publish/);
      // The rendered skeleton is what the task would publish.
      expect(body.directoryContents.map(f => f.path)).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          'README.md',
        ]),
      );
      expect(body.output.text?.[0].content).toContain(
        `/projects/${APPS_NUMBER}/locations/${c.values.region}/services/${name}`,
      );
      // Nothing written to Google (validateOnly changes nothing), no repository, no entity.
      const log = await requestLog();
      expect(
        log.some(r => String(r.query ?? '').includes('validateOnly=true')),
      ).toBe(true);
      const writes = log.filter(
        r => r.write && !String(r.query ?? '').includes('validateOnly=true'),
      );
      expect(writes).toEqual([]);
      expect(await repositories.exists('internal-apps', name)).toBe(false);
      expect(await locationsFor(name)).toEqual([]);
    });

    it('creates the service, publishes the repository and registers the entity', async () => {
      const task = await runTask(c.template, c.values);
      if (task.status !== 'completed') {
        throw new Error(`task ${task.status}:\n${await taskLog(task.id)}`);
      }

      const service = await expectService(c);

      // The published repository, also served over HTTP by the local git read route.
      const summary = await repositories.describe('internal-apps', name);
      expect(summary?.files).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          'README.md',
          '.github/workflows/deploy.yaml',
        ]),
      );
      const served = await fetch(
        `${baseUrl}/api/local-git/repos/internal-apps/${name}/blob/main/catalog-info.yaml`,
      );
      expect(served.status).toBe(200);
      const catalogInfo = yaml.parse(await served.text());
      expect(
        catalogInfo.metadata.annotations['google.com/cloud-run-service'],
      ).toBe(serviceName(c));

      // The registered entity, read by the catalog from that repository.
      const entity = await registeredEntity(name);
      expect(entity.spec.owner).toBe(OWNER);
      expect(entity.metadata.annotations['google.com/cloud-run-service']).toBe(
        serviceName(c),
      );

      // The backend's access report for the entity.
      const report = await eventually('the access report', async () => {
        const res = await api(
          `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`,
        );
        return res.ok ? ((await res.json()) as any) : undefined;
      });
      expect(report.services).toHaveLength(1);
      expect(report.services[0].iapEnabled).toBe(true);
      // The accessors granted on the service (grants above it, in the demo seed, may add others).
      const reported = new Map<string, any>(
        report.services[0].accessors.map((a: any) => [a.member, a]),
      );
      for (const member of c.accessors) {
        const serviceGrants = reported
          .get(member)
          ?.grants.filter((g: any) => g.level === 'service');
        expect(serviceGrants).toHaveLength(1);
        expect(serviceGrants[0].contextRestricted).toBe(c.levels.length > 0);
      }

      // The output links: the repository, the app and the entity.
      const links = (await taskOutput(task.id)).links ?? [];
      expect(links).toEqual([
        {
          title: 'Repository',
          url: expect.stringMatching(
            new RegExp(`/api/local-git/repos/internal-apps/${name}$`),
          ),
        },
        { title: 'Open the app', url: service.uri },
        {
          title: 'Open in catalog',
          icon: 'catalog',
          entityRef: `component:default/${name}`,
        },
      ]);
    });

    it('run again with the same values, converges: same service, entity and repository, no duplicate', async () => {
      const before = await repositories.describe('internal-apps', name);
      const task = await runTask(c.template, c.values);
      if (task.status !== 'completed') {
        throw new Error(`task ${task.status}:\n${await taskLog(task.id)}`);
      }
      await expectService(c);
      expect(await repositories.describe('internal-apps', name)).toEqual(
        before,
      );
      expect(await repositories.commitCount('internal-apps', name)).toBe(1);
      expect(await locationsFor(name)).toHaveLength(1);
      const res = await api(
        `/api/catalog/entities/by-query?filter=kind=component,metadata.name=${name}`,
      );
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(
        1,
      );
    });
  });

  it('a task killed midway (IAP refuses the grant) converges when retried, and again when started over', async () => {
    const c: Case = {
      ...cases[0],
      values: { ...cases[0].values, name: 'interrupted-app' },
    };
    // The service gets created, then the accessor grant fails for good.
    await fake.addFault({ method: 'iap.setIamPolicy', status: 403 });
    const first = await runTask(c.template, c.values);
    await fake.clearFaults();
    expect(first.status).toBe('failed');
    const state = await fake.state();
    expect(
      (state.services as any[]).filter(s => s.name === serviceName(c)),
    ).toHaveLength(1);
    expect(await repositories.exists('internal-apps', 'interrupted-app')).toBe(
      false,
    );

    // Retry the same task: it resumes and finishes.
    const retried = await api(`/api/scaffolder/v2/tasks/${first.id}/retry`, {
      method: 'POST',
      body: JSON.stringify({ secrets: {} }),
    });
    expect(retried.status).toBe(201);
    const resumed = await eventually(
      'the retried task to complete',
      async () => {
        const res = await api(`/api/scaffolder/v2/tasks/${first.id}`);
        const task = (await res.json()) as { status: string };
        return task.status === 'completed' ? task : undefined;
      },
      120_000,
    ).catch(async error => {
      throw new Error(`${error.message}:\n${await taskLog(first.id)}`);
    });
    expect(resumed.status).toBe('completed');
    await expectService(c);
    await registeredEntity('interrupted-app');

    // Start over (a new task with the same values): nothing new.
    const again = await runTask(c.template, c.values);
    expect(again.status).toBe('completed');
    await expectService(c);
    expect(
      await repositories.commitCount('internal-apps', 'interrupted-app'),
    ).toBe(1);
    expect(await locationsFor('interrupted-app')).toHaveLength(1);
  });
  it('a task cancelled while Cloud Run creates the service converges when retried, and again when started over', async () => {
    const c: Case = {
      ...cases[1],
      values: { ...cases[1].values, name: 'cancelled-app' },
    };
    // Cloud Run is slow to finish: cancel once the service's create call went out.
    await fake.addFault({
      method: 'run.projects.locations.operations.get',
      latencyMs: 1500,
      count: 4,
    });
    await fake.clearRequests();
    const res = await api('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: `template:default/${c.template}`,
        values: c.values,
        secrets: {},
      }),
    });
    const { id } = (await res.json()) as { id: string };
    await eventually('the service create call', async () =>
      (
        await requestLog()
      ).some(r => r.methodId === 'run.projects.locations.services.create')
        ? true
        : undefined,
    );
    const cancel = await api(`/api/scaffolder/v2/tasks/${id}/cancel`, {
      method: 'POST',
    });
    expect(cancel.ok).toBe(true);
    const cancelled = await waitForTask(id);
    await fake.clearFaults();
    expect(cancelled.status).not.toBe('completed');
    expect(await repositories.exists('internal-apps', 'cancelled-app')).toBe(
      false,
    );

    // Retry the cancelled task: it adopts the service it created and finishes.
    const retried = await api(`/api/scaffolder/v2/tasks/${id}/retry`, {
      method: 'POST',
      body: JSON.stringify({ secrets: {} }),
    });
    expect(retried.status).toBe(201);
    await eventually(
      'the retried task to complete',
      async () => {
        const task = (await (
          await api(`/api/scaffolder/v2/tasks/${id}`)
        ).json()) as { status: string };
        return task.status === 'completed' ? task : undefined;
      },
      120_000,
    ).catch(async error => {
      throw new Error(`${error.message}:\n${await taskLog(id)}`);
    });
    await expectService(c);
    await registeredEntity('cancelled-app');

    // Start over (a new task with the same values): nothing new.
    const again = await runTask(c.template, c.values);
    if (again.status !== 'completed') {
      throw new Error(`task ${again.status}:\n${await taskLog(again.id)}`);
    }
    await expectService(c);
    expect(
      await repositories.commitCount('internal-apps', 'cancelled-app'),
    ).toBe(1);
    expect(await locationsFor('cancelled-app')).toHaveLength(1);
  });
});
