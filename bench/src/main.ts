/* eslint-disable no-console */
// The portal's benchmarks: the real backend plugin and the real create action against the
// Google Cloud fake with injected latency. They print figures beside their limits and write
// bench/results.json; they assert nothing. Run: ./portal bench
import path from 'node:path';
import { benchCreate } from './createBench';
import { benchFake } from './fakeBench';
import { FigureTable } from './figures';
import { benchReports } from './reportBench';
import { benchReview } from './reviewBench';

const LATENCY_MS = 50;

const steps: Array<{
  name: string;
  figures: Array<{ name: string; unit: string; target: string | null }>;
  run: (table: FigureTable) => Promise<void>;
}> = [
  {
    name: 'reports',
    figures: [
      { name: 'cold report p50', unit: 'ms', target: '<= 1.3 x limit' },
      { name: 'warm report p50', unit: 'ms', target: '<= 10 ms' },
      { name: 'burst: fetches of one source', unit: 'fetches', target: '1' },
    ],
    run: table => benchReports(table, LATENCY_MS),
  },
  {
    name: 'review',
    figures: [
      { name: 'review wall time', unit: 'ms', target: '<= 1.25 x limit' },
    ],
    run: table => benchReview(table, LATENCY_MS),
  },
  {
    name: 'create action',
    figures: [
      {
        name: 'create action',
        unit: 'ms',
        target: '<= operation + one poll interval + 12 x latency',
      },
    ],
    run: table => benchCreate(table, LATENCY_MS),
  },
  {
    name: 'fake',
    figures: [
      {
        name: 'fake: run.services.get per second',
        unit: 'req/s',
        target: null,
      },
    ],
    run: table => benchFake(table),
  },
];

async function main() {
  const only = process.argv.slice(2);
  const table = new FigureTable();
  const started = performance.now();
  for (const step of steps) {
    if (only.length && !only.includes(step.name)) continue;
    console.error(`bench: ${step.name}...`);
    try {
      await step.run(table);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      console.error(`bench: ${step.name} failed`, error);
      step.figures.forEach(f =>
        table.notMeasured(
          f.name,
          f.unit,
          f.target,
          `${step.name} failed: ${why}`,
        ),
      );
    }
  }
  console.log('');
  table.print(line => console.log(line));
  // yarn runs the bench script in this workspace's folder.
  const file = path.resolve('results.json');
  table.write(file);
  console.log(
    `\n${table.all().length} figures in ${(
      (performance.now() - started) /
      1000
    ).toFixed(0)} s, written to ${path.relative(process.cwd(), file)}`,
  );
  // Backstage's test backend leaves timers behind; the figures are out.
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
