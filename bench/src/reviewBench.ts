import os from 'node:os';
import { FigureTable } from './figures';
import { startBenchPortal } from './portal';
import { generateWorld } from './seeds';
import { mib, timed } from './stats';

const SERVICES = 1_000;
const PROJECTS = 50;
const REGIONS = 5;
const CONCURRENCY = 16;

/** A cold review of every app of one owner, at the configured concurrency. */
export async function benchReview(table: FigureTable, latencyMs: number) {
  const world = generateWorld({
    services: SERVICES,
    projects: PROJECTS,
    regions: REGIONS,
  });
  const bench = await startBenchPortal(world, latencyMs, {
    concurrency: CONCURRENCY,
    review: { maxEntities: SERVICES },
  });
  const { fake, portal } = bench;
  const scale = `${SERVICES} services, ${PROJECTS} projects x ${REGIONS} regions, ${latencyMs} ms/call, concurrency ${CONCURRENCY}`;
  try {
    global.gc?.();
    fake.clearRequests();
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 25);
    const [review, wallMs] = await timed(async () => {
      const res = await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
      );
      const body = (await res.json()) as { rows?: unknown[] };
      if (res.status !== 200) {
        throw new Error(
          `review answered ${res.status}: ${JSON.stringify(body)}`,
        );
      }
      return body;
    });
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const log = fake.requests();
    const calls = log.length;
    const byMethod = new Map<string, number>();
    log.forEach(r =>
      byMethod.set(
        r.methodId ?? r.path,
        (byMethod.get(r.methodId ?? r.path) ?? 0) + 1,
      ),
    );
    const topMethods = [...byMethod.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([method, n]) => `${method} ${n}`)
      .join(', ');
    const limit = (calls / CONCURRENCY) * latencyMs;
    table.add({
      name: `review wall time (${scale})`,
      value: wallMs,
      unit: 'ms',
      limit,
      target: `<= 1.25 x limit (${(1.25 * limit).toFixed(0)} ms)`,
      note: `${
        review.rows?.length ?? 0
      } rows; limit = ${calls} calls / ${CONCURRENCY} x ${latencyMs} ms; the process (backend, catalog and fake) used ${(
        cpuMs / 1000
      ).toFixed(1)} s of CPU, load average ${os.loadavg()[0].toFixed(1)} on ${
        os.cpus().length
      } cores`,
    });
    table.add({
      name: 'review: Google calls',
      value: calls,
      unit: 'calls',
      note: `most made: ${topMethods}`,
    });
    table.add({
      name: 'review: Google calls per service',
      value: calls / SERVICES,
      unit: 'calls',
      target: '<= 2.2',
    });
    table.add({
      name: 'review: RSS growth (peak during review, whole process)',
      value: mib(rssPeak - rssBefore),
      unit: 'MiB',
      target: '<= 250 MB',
      note: 'the fake runs in the same process, so its share of the request log is counted too',
    });
  } finally {
    await bench.stop();
  }
}
