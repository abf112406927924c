import os from 'node:os';
import { FigureTable } from './figures';
import { startBenchPortal } from './portal';
import { generateWorld } from './seeds';
import {
  longestCallChain,
  maxFetchesOfOneSource,
  percentile,
  timed,
} from './stats';

const COLD_ENTITIES = 50;
const WARM_CLIENTS = 100;
const WARM_REQUESTS_PER_CLIENT = 10;
const BURST = 200;

/** Cold and warm access reports and a burst on one cold entity, through the HTTP router. */
export async function benchReports(table: FigureTable, latencyMs: number) {
  // One app more than the cold sample: the burst needs an entity no one has asked for yet.
  const world = generateWorld({
    services: COLD_ENTITIES + 1,
    projects: 1,
    regions: 1,
  });
  const bench = await startBenchPortal(world, latencyMs);
  const { fake } = bench;
  try {
    const durations: number[] = [];
    const chains: number[] = [];
    const calls: number[] = [];
    const coldCpuBefore = process.cpuUsage();
    for (const app of world.apps.slice(0, COLD_ENTITIES)) {
      fake.clearRequests();
      const [res, ms] = await timed(() => bench.access(app.name));
      await res.arrayBuffer();
      if (res.status !== 200) {
        throw new Error(`cold report of ${app.name} answered ${res.status}`);
      }
      durations.push(ms);
      chains.push(longestCallChain(fake.requests()));
      calls.push(fake.requests().length);
    }
    const coldCpu = process.cpuUsage(coldCpuBefore);
    const coldCpuPerReport =
      (coldCpu.user + coldCpu.system) / 1000 / durations.length;
    const chain = percentile(chains, 50);
    const limit = chain * latencyMs;
    const firstChain = chains[0];
    table.add({
      name: `cold report p50 (${COLD_ENTITIES} entities, ${latencyMs} ms/call)`,
      value: percentile(durations, 50),
      unit: 'ms',
      limit,
      target: `<= 1.3 x limit (${(1.3 * limit).toFixed(0)} ms)`,
      note: `limit = median longest chain of dependent calls in the fake's log (${chain}) x ${latencyMs} ms; ${coldCpuPerReport.toFixed(
        1,
      )} ms of CPU per report (backend, catalog and fake, one process)`,
    });
    table.add({
      name: `cold report p95 (${COLD_ENTITIES} entities, ${latencyMs} ms/call)`,
      value: percentile(durations, 95),
      unit: 'ms',
      limit: percentile(chains, 95) * latencyMs,
    });
    table.add({
      name: 'cold report, the first one (no project or organisation data shared yet)',
      value: durations[0],
      unit: 'ms',
      limit: firstChain * latencyMs,
      note: `${calls[0]} Google calls, longest chain ${firstChain}`,
    });
    table.add({
      name: 'cold report: Google calls per service (mean)',
      value: calls.reduce((a, b) => a + b, 0) / calls.length,
      unit: 'calls',
    });

    const target = world.apps[0].name;
    const alone: number[] = [];
    for (let i = 0; i < 50; i++) {
      const [, ms] = await timed(async () => {
        const r = await bench.access(target);
        await r.arrayBuffer();
      });
      alone.push(ms);
    }
    table.add({
      name: 'warm report p50 (one client at a time, HTTP + auth)',
      value: percentile(alone, 50),
      unit: 'ms',
      note: 'what one warm report costs the backend; 100 clients queue behind it on one event loop',
    });

    const warm: number[] = [];
    let failed = 0;
    const cpuBefore = process.cpuUsage();
    const [, warmWallMs] = await timed(() =>
      Promise.all(
        Array.from({ length: WARM_CLIENTS }, async () => {
          for (let i = 0; i < WARM_REQUESTS_PER_CLIENT; i++) {
            const [res, ms] = await timed(async () => {
              const r = await bench.access(target);
              await r.arrayBuffer();
              return r;
            });
            if (res.status !== 200) failed += 1;
            warm.push(ms);
          }
        }),
      ),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerReport = (cpu.user + cpu.system) / 1000 / warm.length;
    table.add({
      name: `warm report p50 (${WARM_CLIENTS} concurrent clients, HTTP + auth)`,
      value: percentile(warm, 50),
      unit: 'ms',
      target: '<= 10 ms',
      note: `${warm.length} requests, p95 ${percentile(warm, 95).toFixed(
        1,
      )} ms, ${failed} not 200, ${(warm.length / (warmWallMs / 1000)).toFixed(
        0,
      )} reports/s, ${cpuPerReport.toFixed(
        2,
      )} ms of CPU per report (server and clients, one process), load average ${os
        .loadavg()[0]
        .toFixed(1)} on ${os.cpus().length} cores`,
    });

    const burstTarget = world.apps[COLD_ENTITIES].name;
    fake.clearRequests();
    const [responses, burstMs] = await timed(() =>
      Promise.all(
        Array.from({ length: BURST }, async () => {
          const r = await bench.access(burstTarget);
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    const burstCalls = fake.requests();
    table.add({
      name: `burst: ${BURST} concurrent cold requests, fetches of one source (max)`,
      value: maxFetchesOfOneSource(burstCalls),
      unit: 'fetches',
      limit: 1,
      target: '1 fetch per source',
      note: `${burstCalls.length} Google calls in all, ${burstMs.toFixed(
        0,
      )} ms, ${responses.filter(s => s !== 200).length} not 200`,
    });
  } finally {
    await bench.stop();
  }
}
