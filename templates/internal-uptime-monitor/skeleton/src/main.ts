// Entry point: reads the configuration, starts the checks and the server.
import { readFileSync } from 'node:fs';
import { IapVerifier } from './iap.ts';
import { parseTargets, UptimeMonitor } from './monitor.ts';
import { createAppServer, log } from './server.ts';

const targets = parseTargets(
  process.env.TARGETS_JSON ?? readFileSync(new URL('../targets.json', import.meta.url), 'utf8'),
);
const intervalSeconds = Number(process.env.CHECK_INTERVAL_SECONDS ?? '60');
const monitor = new UptimeMonitor(targets, log);
const server = createAppServer({ title: '${{ values.name }}', verifier: IapVerifier.fromEnv(), monitor });
const port = Number(process.env.PORT ?? '8080');

monitor.start(intervalSeconds * 1000);
server.listen(port, () => log({ severity: 'INFO', message: `listening on ${port}`, targets: targets.length }));
process.on('SIGTERM', () => {
  monitor.stop();
  server.close();
});
