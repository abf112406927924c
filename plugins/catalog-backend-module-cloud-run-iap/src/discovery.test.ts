import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { MetricAttributes } from '@backstage/backend-plugin-api/alpha';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  demoSeedPath,
  GoogleCloudFake,
  loadSeedFile,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  cloudRunServiceRef,
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
  UNOWNED_SERVICES_CATALOG_FILTER,
  unownedServiceOf,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { catalogModuleCloudRunIap } from './module';
import { cloudRunServiceEntityName } from './serviceEntity';

const PLATFORM_TEAM = 'group:default/platform-team';
const LINKED_SERVICE =
  'projects/acme-legacy-apps/locations/europe-west1/services/legacy-intranet';

interface SeededService {
  name: string;
  entityName: string;
  entityRef?: string;
  ownerGroup?: string;
  iapEnabled: boolean;
}

/** Every service of the demo seed, with what it records about its entity and owner. */
function seededServices(): SeededService[] {
  return loadSeedFile(demoSeedPath).projects.flatMap(project =>
    (project.services ?? []).map(service => {
      const ref = cloudRunServiceRef(project.id, service.region, service.id);
      return {
        name: ref.name,
        entityName: cloudRunServiceEntityName(ref),
        entityRef: service.annotations?.[ENTITY_REF_ANNOTATION],
        ownerGroup: service.annotations?.[OWNER_GROUP_ANNOTATION],
        iapEnabled: service.iapEnabled,
      };
    }),
  );
}

const components = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-team }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: internal-apps-team }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: access-manager }
spec: { type: service, lifecycle: production, owner: internal-apps-team }
`;

describe('Cloud Run discovery against the demo seed', () => {
  let fake: GoogleCloudFake;
  let backend: TestBackend;
  let dir: string;
  const scheduler = mockServices.scheduler();
  const measured: Array<{
    metric: string;
    value: number;
    attributes?: MetricAttributes;
  }> = [];
  const recorder =
    (metric: string) => (value: number, attributes?: MetricAttributes) =>
      measured.push({ metric, value, attributes });
  const metrics = metricsServiceMock.mock({
    createCounter: name => ({ add: recorder(name) }),
    createHistogram: name => ({ record: recorder(name) }),
  });
  const projects = ['acme-internal-apps', 'acme-legacy-apps', 'acme-sandbox'];
  const runDiscovery = () =>
    Promise.all(
      projects.map(project =>
        scheduler.triggerTask(
          `CloudRunServiceEntityProvider:${project}:refresh`,
        ),
      ),
    );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-run-discovery-'));
    fs.writeFileSync(path.join(dir, 'entities.yaml'), components);
    backend = await startTestBackend({
      features: [
        catalogBackend,
        catalogModuleCloudRunIap,
        metrics.factory,
        // Tasks run only when a test triggers them.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'Resource'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'entities.yaml') },
              ],
              providers: { cloudRunIap: { unownedOwner: 'platform-team' } },
            },
            cloudRunIap: {
              google: { endpoint: fake.url },
              projects: projects.map(id => ({ id, regions: ['europe-west2'] })),
              links: [
                {
                  service: LINKED_SERVICE,
                  entityRef: 'component:default/legacy-intranet',
                },
              ],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await fake?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function catalogGet(urlPath: string) {
    const res = await fetch(
      `http://127.0.0.1:${backend.server.port()}/api/catalog${urlPath}`,
      { headers: { Authorization: mockCredentials.service.header() } },
    );
    return { status: res.status, body: (await res.json()) as any };
  }

  /** The discovered resources, once the catalog serves `count` of them with their relations. */
  async function discoveredResources(count: number): Promise<Entity[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await catalogGet(
        '/entities/by-query?filter=kind=resource,spec.type=cloud-run-service&limit=500',
      );
      const items: Entity[] = body.items ?? [];
      const processed = items.every(e => e.relations?.length);
      if (items.length === count && processed) return items;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog served ${items.length} of ${count} discovered services`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('makes every seeded service a resource, linked as the service says, owned by its group or the platform team', async () => {
    fake.clearRequests();
    await runDiscovery();
    const seeded = seededServices();
    const resources = await discoveredResources(seeded.length);

    const lists = fake
      .requests()
      .filter(r => r.methodId === 'run.projects.locations.services.list')
      .map(r => r.path)
      .sort();
    expect(lists).toEqual(
      projects.map(p => `/v2/projects/${p}/locations/-/services`),
    );

    const byName = new Map(resources.map(e => [e.metadata.name, e]));
    for (const service of seeded) {
      const entity = byName.get(service.entityName);
      expect(
        entity?.metadata.annotations?.[
          'google.com/cloud-run-discovered-service'
        ],
      ).toBe(service.name);
      // The access card, the Access tab and the review read this one: the Resource has none.
      expect(entity?.metadata.annotations).not.toHaveProperty(
        'google.com/cloud-run-service',
      );
      const linkedTo =
        service.entityRef ??
        (service.name === LINKED_SERVICE
          ? 'component:default/legacy-intranet'
          : undefined);
      expect(entity?.spec?.dependencyOf).toEqual(
        linkedTo ? [linkedTo] : undefined,
      );
      expect(entity?.metadata.labels?.['google.com/cloud-run-linked']).toBe(
        String(Boolean(linkedTo)),
      );
      expect(entity?.spec?.owner).toBe(service.ownerGroup ?? PLATFORM_TEAM);
    }
    // The demo seed has both kinds, or the loop above proves less than it says.
    expect(seeded.some(s => s.entityRef && s.ownerGroup)).toBe(true);
    expect(seeded.some(s => !s.entityRef && !s.ownerGroup)).toBe(true);

    const { body: unlinked } = await catalogGet(
      '/entities/by-query?filter=kind=resource,spec.type=cloud-run-service,metadata.labels.google.com/cloud-run-linked=false&limit=500',
    );
    expect(unlinked.items.map((e: Entity) => e.metadata.name).sort()).toEqual(
      seeded
        .filter(s => !s.entityRef && s.name !== LINKED_SERVICE)
        .map(s => s.entityName)
        .sort(),
    );

    // The unowned view: linked to no entity, or IAP off, each unlinked one with its link command.
    const filters = UNOWNED_SERVICES_CATALOG_FILTER.map(
      filter =>
        `filter=${Object.entries(filter)
          .map(([key, value]) => `${key}=${value}`)
          .join(',')}`,
    ).join('&');
    const { body: unowned } = await catalogGet(
      `/entities/by-query?${filters}&limit=500`,
    );
    const rows = (unowned.items as Entity[]).map(e => unownedServiceOf(e)!);
    const isLinked = (s: SeededService) =>
      Boolean(s.entityRef) || s.name === LINKED_SERVICE;
    expect(rows.map(row => row.service.name).sort()).toEqual(
      seeded
        .filter(s => !isLinked(s) || !s.iapEnabled)
        .map(s => s.name)
        .sort(),
    );
    for (const row of rows) {
      expect(Boolean(row.linkCommand)).toBe(row.reasons.includes('not-linked'));
      expect(Boolean(row.enableIapCommand)).toBe(
        row.reasons.includes('iap-off'),
      );
    }
    expect(
      rows.find(row => row.service.serviceId === 'uptime-monitor')?.reasons,
    ).toEqual(['iap-off']);

    const uptime = byName.get(
      'uptime-monitor.europe-west2.acme-internal-apps',
    )!;
    expect(uptime.metadata.annotations).toMatchObject({
      'google.com/cloud-run-region': 'europe-west2',
      'google.com/cloud-run-iap-enabled': 'false',
      'google.com/cloud-run-url': expect.stringMatching(/\.run\.app$/),
    });
    expect(uptime.metadata.labels).toMatchObject({
      'google.com/cloud-run-iap-enabled': 'false',
      'google.com/cloud-run-project': 'acme-internal-apps',
    });

    const { body: accessManager } = await catalogGet(
      '/entities/by-name/component/default/access-manager',
    );
    expect(accessManager.relations).toContainEqual(
      expect.objectContaining({
        type: 'dependsOn',
        targetRef:
          'resource:default/access-manager.europe-west2.acme-internal-apps',
      }),
    );
    const { body: platformTeam } = await catalogGet(
      '/entities/by-name/group/default/platform-team',
    );
    expect(platformTeam.relations).toContainEqual(
      expect.objectContaining({
        type: 'ownerOf',
        targetRef:
          'resource:default/expense-tracker.europe-west2.acme-internal-apps',
      }),
    );
  });

  it("removes a deleted service's entity on the next run, and keeps every entity when a listing fails or misses a region", async () => {
    await runDiscovery();
    const seeded = seededServices();
    await discoveredResources(seeded.length);

    const res = await fetch(
      `${fake.url}/v2/projects/acme-internal-apps/locations/europe-west2/services/expense-tracker`,
      { method: 'DELETE', headers: { Authorization: 'Bearer test' } },
    );
    expect(res.status).toBe(200);

    const expenseTracker =
      '/entities/by-name/resource/default/expense-tracker.europe-west2.acme-internal-apps';
    const fault = fake.faults.add({
      method: 'run.projects.locations.services.list',
      path: 'acme-internal-apps',
      status: 403,
    });
    fake.clearRequests();
    await runDiscovery();
    fake.faults.remove(fault.id);
    expect(fake.requests().filter(r => r.status === 403)).toHaveLength(1);
    expect((await catalogGet(expenseTracker)).status).toBe(200);

    // A listing that could not reach a region is no listing: that region's entities stay.
    fake.world.run.unreachableRegions.add('europe-west2');
    measured.length = 0;
    await runDiscovery();
    fake.world.run.unreachableRegions.clear();
    // Each run is counted with its outcome; the project whose region was missed failed.
    expect(
      measured.filter(m => m.metric === 'cloud_run_iap.discovery.runs'),
    ).toEqual(
      expect.arrayContaining([
        {
          metric: 'cloud_run_iap.discovery.runs',
          value: 1,
          attributes: { project: 'acme-internal-apps', outcome: 'failure' },
        },
        {
          metric: 'cloud_run_iap.discovery.runs',
          value: 1,
          attributes: { project: 'acme-legacy-apps', outcome: 'success' },
        },
      ]),
    );
    expect(
      measured.filter(
        m =>
          m.metric === 'cloud_run_iap.discovery.services' &&
          m.attributes?.project === 'acme-internal-apps',
      ),
    ).toEqual([]);
    // Its Google calls are counted as the backend plugin's are: one list per project.
    expect(
      measured.filter(m => m.metric === 'cloud_run_iap.google.calls'),
    ).toEqual(
      projects.map(() => ({
        metric: 'cloud_run_iap.google.calls',
        value: 1,
        attributes: { method: 'services.list', status: 'OK' },
      })),
    );
    expect((await catalogGet(expenseTracker)).status).toBe(200);
    expect(await discoveredResources(seeded.length)).toHaveLength(
      seeded.length,
    );

    await runDiscovery();
    // A full mutation removes at once: no wait, so the 200 above proves the failed run kept it.
    expect((await catalogGet(expenseTracker)).status).toBe(404);
    const after = await discoveredResources(seeded.length - 1);
    expect(after.map(e => e.metadata.name)).not.toContain(
      'expense-tracker.europe-west2.acme-internal-apps',
    );
  });
});
