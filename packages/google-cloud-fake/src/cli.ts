import { parseArgs } from 'node:util';
import { demoSeedPath } from './demoSeed';
import { SeedError } from './seed/load';
import { startGoogleCloudFake } from './server';

const usage = `Usage: google-cloud-fake [--port 8085] [--host 127.0.0.1] [--seed seed.yaml] [--latency-ms N]

Serves Cloud Run Admin v2, IAP v1, Access Context Manager v1, Resource Manager v3 and
Service Usage v1beta1 on one port. Point each googleapis client's rootUrl at it.
Without --seed it serves the demo seed.`;

/** The command line; returns when the server stops (SIGINT/SIGTERM). */
export async function runCli(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8085' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        'latency-ms': { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(
      `google-cloud-fake: ${(error as Error).message}\n${usage}\n`,
    );
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const port = Number(values.port);
  const latencyMs = Number(values['latency-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `google-cloud-fake: --port must be a port number, got ${values.port}\n`,
    );
    return 2;
  }
  if (!Number.isInteger(latencyMs) || latencyMs < 0) {
    process.stderr.write(
      `google-cloud-fake: --latency-ms must be a whole number of milliseconds\n`,
    );
    return 2;
  }
  let fake;
  try {
    fake = await startGoogleCloudFake({
      port,
      host: values.host,
      seed: values.seed ?? demoSeedPath,
      latencyMs,
    });
  } catch (error) {
    if (error instanceof SeedError) {
      process.stderr.write(`google-cloud-fake: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `google-cloud-fake: cannot start: ${(error as Error).message}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `google-cloud-fake listening on ${fake.url} (seed: ${
      values.seed ?? demoSeedPath
    })\n`,
  );
  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await fake.stop();
  return 0;
}
