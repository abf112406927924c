/* eslint-disable no-console */
// Benchmark: 1,000 services across 50 projects; services.list of a 200-service region
// through googleapis, and 1,000 concurrent requests. Prints figures; asserts nothing.
// Run: ./portal bench (or ./portal yarn workspace @internal-apps/google-cloud-fake bench)
import { startGoogleCloudFake } from '../src';
import { SeedInput } from '../src/seed/schema';
import { googleClients } from '../src/__testUtils__/googleClients';

function largeSeed(): SeedInput {
  const projects = Array.from({ length: 50 }, (_, p) => {
    // project 0 holds the 200-service region; 40 more hold 20 each; 9 are empty
    let count = p <= 40 ? 20 : 0;
    if (p === 0) count = 200;
    return {
      id: `bench-project-${String(p).padStart(2, '0')}`,
      number: String(900000000000 + p),
      parent: 'organizations/1',
      services: Array.from({ length: count }, (__, s) => ({
        id: `svc-${String(s).padStart(3, '0')}`,
        region:
          p === 0 ? 'europe-west2' : ['us-central1', 'europe-west1'][s % 2],
        iapEnabled: true,
        runPolicy: {
          bindings: [
            { role: 'roles/run.invoker', members: [`user:u${s}@example.com`] },
          ],
        },
      })),
    };
  });
  return { organizations: [{ id: '1', domain: 'example.com' }], projects };
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function time(label: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(
      samples,
      95,
    ).toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(
      1,
    )} ms (${runs} runs)`,
  );
}

async function main() {
  const seedStarted = performance.now();
  const fake = await startGoogleCloudFake({
    seed: largeSeed(),
    requestLogLimit: 1000,
  });
  const total = fake.state().services.length;
  console.log(
    `seeded ${total} services in 50 projects in ${(
      performance.now() - seedStarted
    ).toFixed(0)} ms; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(
      0,
    )} MiB`,
  );
  const { run } = googleClients(fake.url);
  const parent = 'projects/bench-project-00/locations/europe-west2';

  await time(
    'services.list, 200-service region, one page of 200 (googleapis)',
    50,
    async () => {
      const { data } = await run.projects.locations.services.list({
        parent,
        pageSize: 200,
      });
      if (data.services?.length !== 200)
        throw new Error('expected 200 services');
    },
  );
  await time(
    'services.list, 200-service region, default pages of 100 (googleapis)',
    50,
    async () => {
      let pageToken: string | undefined;
      let count = 0;
      do {
        const { data } = await run.projects.locations.services.list({
          parent,
          pageToken,
        });
        count += data.services?.length ?? 0;
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      if (count !== 200) throw new Error('expected 200 services');
    },
  );

  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      fetch(
        `${fake.url}/v2/projects/bench-project-${String(1 + (i % 40)).padStart(
          2,
          '0',
        )}/locations/us-central1/services/svc-000`,
        { headers: { authorization: 'Bearer bench' } },
      ).then(r => r.status),
    ),
  );
  const errors = statuses.filter(s => s !== 200).length;
  console.log(
    `1000 concurrent services.get: ${(performance.now() - started).toFixed(
      0,
    )} ms, ${errors} errors; RSS ${(
      process.memoryUsage().rss /
      2 ** 20
    ).toFixed(0)} MiB`,
  );
  await fake.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
