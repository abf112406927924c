/* eslint-disable no-console */
// Benchmark: access reports and a review over 200 apps in one project, against the fake with
// 20 ms of latency per Google call (about what Google answers in). Prints figures; asserts nothing.
// Run: ./portal bench (or ./portal yarn workspace @internal-apps/plugin-cloud-run-iap-backend bench)
import { startGoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { startPluginTestBackend } from '../src/__testUtils__/testBackend';

const SERVICES = 200;
const LATENCY_MS = 20;

function seed() {
  const level = (id: string) =>
    `"accessPolicies/555000000001/accessLevels/${id}" in request.auth.access_levels`;
  return {
    organizations: [{ id: '123456789012', domain: 'example.com' }],
    projects: [
      {
        id: 'acme-internal-apps',
        number: '100000000001',
        parent: 'organizations/123456789012',
        iapServiceAgent: 'provisioned' as const,
        services: Array.from({ length: SERVICES }, (_, s) => ({
          id: `app-${String(s).padStart(3, '0')}`,
          region: 'europe-west2',
          iapEnabled: true,
          // Each service names its entity, as the create action writes it.
          annotations: {
            'backstage.io/entity-ref': `component:default/app-${String(
              s,
            ).padStart(3, '0')}`,
          },
          runPolicy: {
            bindings: [
              {
                role: 'roles/run.invoker',
                members: [
                  'serviceAccount:service-100000000001@gcp-sa-iap.iam.gserviceaccount.com',
                ],
              },
            ],
          },
          iap: {
            policy: {
              version: 3,
              bindings: [
                {
                  role: 'roles/iap.httpsResourceAccessor',
                  members: [
                    `group:team-${s % 10}@example.com`,
                    `user:u${s}@example.com`,
                  ],
                  condition: {
                    title: 'Corporate network',
                    expression: level('corp_network'),
                  },
                },
                {
                  role: 'roles/iap.httpsResourceAccessor',
                  members: [`user:lead${s % 7}@example.com`],
                },
              ],
            },
          },
        })),
      },
    ],
    accessPolicies: [
      {
        number: '555000000001',
        parent: 'organizations/123456789012',
        title: 'Org policy',
        accessLevels: [
          {
            id: 'corp_network',
            title: 'Corporate network',
            basic: { conditions: [{ ipSubnetworks: ['203.0.113.0/24'] }] },
          },
        ],
      },
    ],
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function main() {
  const fake = await startGoogleCloudFake({
    seed: seed() as any,
    latencyMs: LATENCY_MS,
  });
  const portal = await startPluginTestBackend({
    fakeUrl: fake.url,
    entities: Array.from({ length: SERVICES }, (_, s) => {
      const id = `app-${String(s).padStart(3, '0')}`;
      return {
        name: id,
        annotation: `projects/acme-internal-apps/locations/europe-west2/services/${id}`,
      };
    }),
  });
  const access = (name: string) =>
    portal.request(
      'GET',
      `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`,
    );
  try {
    console.log(
      `${SERVICES} apps in one project, ${LATENCY_MS} ms per Google call`,
    );

    fake.clearRequests();
    const [, cold] = await timed(() => access('app-000'));
    console.log(
      `cold report, one app: ${cold.toFixed(0)} ms, ${
        fake.requests().length
      } Google calls`,
    );

    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      samples.push((await timed(() => access('app-000')))[1]);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `warm report: p50 ${percentile(samples, 50).toFixed(
        1,
      )} ms, p95 ${percentile(samples, 95).toFixed(1)} ms (200 runs)`,
    );

    fake.clearRequests();
    const [responses, burst] = await timed(() =>
      Promise.all(Array.from({ length: 200 }, () => access('app-001'))),
    );
    const failed = responses.filter(r => r.status !== 200).length;
    console.log(
      `200 concurrent requests, one cold app: ${burst.toFixed(0)} ms, ${
        fake.requests().length
      } Google calls, ${failed} failed`,
    );

    fake.clearRequests();
    const rssBefore = process.memoryUsage().rss;
    const [review, coldReview] = await timed(() =>
      portal
        .request('GET', '/api/cloud-run-iap/review?owner=group:default/team-a')
        .then(r => r.json()),
    );
    const calls = fake.requests();
    const shared = calls.filter(
      r => r.methodId === 'accesscontextmanager.accessPolicies.list',
    ).length;
    console.log(
      `cold review of ${SERVICES} apps: ${coldReview.toFixed(0)} ms, ${
        (review as any).rows.length
      } rows, ${calls.length} Google calls (${(calls.length / SERVICES).toFixed(
        1,
      )} per app; access policies listed ${shared}x), rss +${(
        (process.memoryUsage().rss - rssBefore) /
        2 ** 20
      ).toFixed(0)} MiB`,
    );
    const [, warmReview] = await timed(() =>
      portal
        .request('GET', '/api/cloud-run-iap/review?owner=group:default/team-a')
        .then(r => r.json()),
    );
    console.log(`warm review of ${SERVICES} apps: ${warmReview.toFixed(0)} ms`);
    console.log(
      `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(
        0,
      )} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(
        0,
      )} MiB`,
    );
  } finally {
    await portal.stop();
    await fake.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
