import { startGoogleCloudFake } from '@internal-apps/google-cloud-fake';
import { FigureTable } from './figures';
import { generateWorld } from './seeds';

const CLIENTS = 64;
const DURATION_MS = 5_000;

/** `run.services.get` throughput of the fake at zero latency, from 64 concurrent clients. */
export async function benchFake(table: FigureTable) {
  const world = generateWorld({ services: 64, projects: 1, regions: 1 });
  const fake = await startGoogleCloudFake({ seed: world.seed, latencyMs: 0 });
  try {
    let answered = 0;
    let failed = 0;
    const end = performance.now() + DURATION_MS;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const url = `${fake.url}/v2/${world.apps[c].service}`;
        while (performance.now() < end) {
          const res = await fetch(url, {
            headers: { Authorization: 'Bearer bench' },
          });
          await res.arrayBuffer();
          if (res.status === 200) answered += 1;
          else failed += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    table.add({
      name: `fake: run.services.get per second (${CLIENTS} clients, 0 ms)`,
      value: answered / seconds,
      unit: 'req/s',
      note: `${answered} answered in ${seconds.toFixed(
        1,
      )} s, ${failed} not 200; the clients share the fake's process and core`,
    });
  } finally {
    await fake.stop();
  }
}
