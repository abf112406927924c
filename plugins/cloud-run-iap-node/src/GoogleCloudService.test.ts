import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  demoSeedPath,
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { GoogleApiError } from './errors';
import type { GoogleCallRecord } from './GoogleCloudClient';
import {
  cloudRunIapGoogleServiceRef,
  GoogleCloudService,
} from './GoogleCloudService';
import { isRetryable } from './retry';

const runName =
  'projects/acme-internal-apps/locations/europe-west2/services/access-manager';

function pluginSeeing(id: string, seen: GoogleCloudService[]) {
  return createBackendPlugin({
    pluginId: id,
    register(env) {
      env.registerInit({
        deps: { google: cloudRunIapGoogleServiceRef },
        async init({ google }) {
          seen.push(google);
        },
      });
    },
  });
}

describe('GoogleCloudService', () => {
  let fake: GoogleCloudFake;
  const logger = mockServices.logger.mock();

  const service = (cloudRunIap: object = {}) =>
    GoogleCloudService.fromConfig(
      new ConfigReader({
        cloudRunIap: { google: { endpoint: fake.url }, ...cloudRunIap },
      }),
      { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
    );
  const gets = () =>
    fake
      .requests()
      .filter(r => r.methodId === 'run.projects.locations.services.get');

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    jest.clearAllMocks();
  });

  it('is one per backend by default, built from the root config, shared by every plugin', async () => {
    const seen: GoogleCloudService[] = [];
    const backend = await startTestBackend({
      features: [
        pluginSeeing('one', seen),
        pluginSeeing('two', seen),
        mockServices.rootConfig.factory({
          data: {
            cloudRunIap: {
              google: { endpoint: fake.url },
              concurrency: 3,
              writeConcurrency: 2,
            },
          },
        }),
      ],
    });
    try {
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(seen[1]);
      expect(seen[0].pools.read.limit).toBe(3);
      expect(seen[0].pools.write.limit).toBe(2);
      const client = seen[0].forLogger(logger);
      expect((await client.getService(runName))?.name).toBe(runName);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start on a bad cloudRunIap config', async () => {
    await expect(
      startTestBackend({
        features: [
          pluginSeeing('one', []),
          mockServices.rootConfig.factory({
            data: { cloudRunIap: { writeConcurrency: -1 } },
          }),
        ],
      }),
    ).rejects.toThrow(/cloudRunIap\.writeConcurrency must be a whole number/);
  });

  it('can be replaced with createServiceFactory', async () => {
    const mine = service({ concurrency: 1 });
    const seen: GoogleCloudService[] = [];
    const backend = await startTestBackend({
      features: [
        pluginSeeing('one', seen),
        createServiceFactory({
          service: cloudRunIapGoogleServiceRef,
          deps: {},
          factory: () => mine,
        }),
      ],
    });
    await backend.stop();
    expect(seen).toEqual([mine]);
  });

  it('abandons a queued call when its signal aborts: it leaves the queue and is never sent', async () => {
    const google = service({ concurrency: 1 });
    const client = google.forLogger(logger);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 1_000,
    });
    let runningDone = false;
    const running = client.getService(runName).finally(() => {
      runningDone = true;
    });
    const controller = new AbortController();
    const queued = client.getService(runName, { signal: controller.signal });
    await new Promise(r => setTimeout(r, 30));
    expect(google.pools.read.queued).toBe(1);
    controller.abort(new Error('request closed'));
    await expect(queued).rejects.toThrow('request closed');
    // It left the queue at once, not when the slot came free.
    expect(runningDone).toBe(false);
    expect(google.pools.read.queued).toBe(0);
    expect((await running)?.name).toBe(runName);
    expect(gets()).toHaveLength(1);
  });

  it('aborts a running call through the signal given to googleapis', async () => {
    const client = service().forLogger(logger);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 2_000,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('task cancelled')), 50);
    const started = performance.now();
    await expect(
      client.getService(runName, { signal: controller.signal }),
    ).rejects.toThrow('task cancelled');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives every attempt the configured timeout, as a retryable error naming the call and the limit', async () => {
    const client = service({
      google: { endpoint: fake.url, timeout: { milliseconds: 150 } },
    }).forLogger(logger);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 3_000,
    });
    const started = performance.now();
    const error = await client.getService(runName).catch(e => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error.message).toBe(
      `services.get ${runName} got no answer within 150 ms (cloudRunIap.google.timeout)`,
    );
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(isRetryable(error)).toBe(true);
    // Two attempts (the retry tuning above), each cut at 150 ms; the fake logs a request only
    // once it answers, which these did not.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/no response: services\.get .* got no answer/),
    );
  });

  it('tells onCall of every attempt: its method, its status and how long it took', async () => {
    const records: GoogleCallRecord[] = [];
    const client = service().forLogger(logger, {
      onCall: record => records.push(record),
    });
    await client.getService(runName);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      status: 503,
    });
    await expect(client.getService(runName)).rejects.toThrow(GoogleApiError);
    fake.faults.clear();
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 2_000,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('task cancelled')), 50);
    await expect(
      client.getService(runName, { signal: controller.signal }),
    ).rejects.toThrow('task cancelled');

    expect(records.map(r => [r.method, r.status])).toEqual([
      ['services.get', 'OK'],
      // Two attempts: the retry tuning of service().
      ['services.get', 'UNAVAILABLE'],
      ['services.get', 'UNAVAILABLE'],
      ['services.get', 'aborted'],
    ]);
    expect(records.every(r => r.durationMs >= 0)).toBe(true);
    expect(records[3].durationMs).toBeGreaterThanOrEqual(40);
    expect(records[3].durationMs).toBeLessThan(1_000);
  });

  it('runs writes in their own pool: a saturated read pool does not hold up a write', async () => {
    const google = service({ concurrency: 1, writeConcurrency: 1 });
    const reads = google.forLogger(logger);
    const writes = google.forLogger(logger);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 1_500,
    });
    let readsDone = false;
    const slowReads = Promise.all([
      reads.getService(runName),
      reads.getService(runName),
    ]).finally(() => {
      readsDone = true;
    });
    await new Promise(r => setTimeout(r, 30));
    expect(google.pools.read.active).toBe(1);
    expect(google.pools.read.queued).toBe(1);
    const op = await writes.patchService(
      runName,
      { labels: { team: 'platform' } },
      ['labels'],
    );
    expect(op.name).toBeTruthy();
    // The write went through while the first read still held the only read slot.
    expect(readsDone).toBe(false);
    expect(google.pools.read.queued).toBe(1);
    expect(google.pools.write.maxActive).toBe(1);
    await slowReads;
    expect(google.pools.read.maxActive).toBe(1);
  });
});
