import { GoogleCloudFake, startGoogleCloudFake } from './server';
import { googleClients, googleError } from './__testUtils__/googleClients';
import { contractSeed } from './__testUtils__/seeds';

const serviceName =
  'projects/test-project/locations/europe-west2/services/existing';

describe('the fake server', () => {
  let fake: GoogleCloudFake;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: contractSeed });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const control = (path: string, init?: RequestInit) =>
    fetch(`${fake.url}${path}`, init).then(r => r.json());

  it('binds to 127.0.0.1 on a free port', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses requests without credentials with 401 UNAUTHENTICATED', async () => {
    const res = await fetch(`${fake.url}/v2/${serviceName}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe(
      'application/json; charset=UTF-8',
    );
    expect((await res.json()).error.status).toBe('UNAUTHENTICATED');
  });

  it('answers unknown paths with a Google 404 envelope', async () => {
    const res = await fetch(`${fake.url}/v9/whatever`, {
      headers: { authorization: 'Bearer t' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 404,
        message: 'The requested URL /v9/whatever was not found on this server.',
        status: 'NOT_FOUND',
      },
    });
  });

  it('injects a counted fault by method id, then recovers', async () => {
    const { run } = googleClients(fake.url);
    await control('/__fake/faults', {
      method: 'POST',
      body: JSON.stringify({
        method: 'run.projects.locations.services.get',
        status: 503,
        count: 2,
      }),
    });
    for (let i = 0; i < 2; i++) {
      expect(
        await googleError(
          run.projects.locations.services.get({ name: serviceName }),
        ),
      ).toMatchObject({ httpStatus: 503, status: 'UNAVAILABLE' });
    }
    const { status } = await run.projects.locations.services.get({
      name: serviceName,
    });
    expect(status).toBe(200);
    const log = fake
      .requests()
      .filter(r => r.methodId?.endsWith('services.get'));
    expect(log.map(r => [r.status, r.fault])).toEqual([
      [503, 'fault-1'],
      [503, 'fault-1'],
      [200, undefined],
    ]);
  });

  it('applies a request and loses its answer when the fault says applied', async () => {
    const { run } = googleClients(fake.url);
    fake.faults.add({
      id: 'lost-answer',
      method: 'run.projects.locations.services.create',
      status: 503,
      applied: true,
      count: 1,
    });
    const create = () =>
      run.projects.locations.services.create({
        parent: 'projects/test-project/locations/europe-west2',
        serviceId: 'lost',
        requestBody: { template: { containers: [{ image: 'x/y:1' }] } },
      });
    expect(await googleError(create())).toMatchObject({
      httpStatus: 503,
      status: 'UNAVAILABLE',
    });
    const name = 'projects/test-project/locations/europe-west2/services/lost';
    expect(
      (fake.state() as any).services.some((s: any) => s.name === name),
    ).toBe(true);
    // Tried again, the create finds what the lost one made.
    expect(await googleError(create())).toMatchObject({
      httpStatus: 409,
      status: 'ALREADY_EXISTS',
    });
    expect(
      fake
        .requests()
        .filter(r => r.methodId?.endsWith('services.create'))
        .map(r => [r.status, r.fault]),
    ).toEqual([
      [503, 'lost-answer'],
      [409, undefined],
    ]);
    expect(() =>
      fake.faults.add({ method: 'run.*', latencyMs: 5, applied: true }),
    ).toThrow(/applied: applied: true needs a status/);
  });

  it('lets googleapis retry idempotent calls through 429s', async () => {
    const { run } = googleClients(fake.url, { retry: true });
    fake.faults.add({
      path: '/services/existing$',
      httpMethod: 'GET',
      status: 429,
      count: 2,
    });
    const { status } = await run.projects.locations.services.get({
      name: serviceName,
    });
    expect(status).toBe(200);
    expect(fake.requests().map(r => r.status)).toEqual([429, 429, 200]);
  });

  it('fires probabilistic faults at about the given rate, reproducibly', async () => {
    const { run } = googleClients(fake.url);
    fake.faults.add({ method: 'run.*', status: 500, probability: 0.3 });
    let failures = 0;
    for (let i = 0; i < 200; i++) {
      try {
        await run.projects.locations.services.get({ name: serviceName });
      } catch {
        failures += 1;
      }
    }
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('adds latency from a fault rule', async () => {
    const { run } = googleClients(fake.url);
    fake.faults.add({
      method: 'run.projects.locations.services.get',
      latencyMs: 150,
    });
    const started = performance.now();
    await run.projects.locations.services.get({ name: serviceName });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects a malformed fault rule', async () => {
    const res = await fetch(`${fake.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'run.*', status: 200 }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^Invalid fault: status/);
  });

  it('lists requests with write markers, dumps state and resets to the seed', async () => {
    const { run } = googleClients(fake.url);
    await run.projects.locations.services.create({
      parent: 'projects/test-project/locations/europe-west2',
      serviceId: 'temp',
      requestBody: { template: { containers: [{ image: 'x/y:1' }] } },
    });
    const { requests } = await control('/__fake/requests');
    expect(requests).toEqual([
      expect.objectContaining({
        httpMethod: 'POST',
        methodId: 'run.projects.locations.services.create',
        write: true,
        status: 200,
      }),
    ]);
    const state = await control('/__fake/state');
    expect(
      state.services.map((s: any) => s.name.split('/').pop()).sort(),
    ).toEqual(['existing', 'temp']);
    await control('/__fake/reset', { method: 'POST' });
    const after = await control('/__fake/state');
    expect(after.services).toHaveLength(1);
    expect((await control('/__fake/requests')).requests).toEqual([]);
  });

  it('holds 1,000 concurrent requests without an error', async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        fetch(`${fake.url}/v2/${serviceName}`, {
          headers: { authorization: 'Bearer t' },
        }).then(r => r.status),
      ),
    );
    expect(results.filter(s => s !== 200)).toEqual([]);
    // Not a speed check: on a loaded machine 1,000 requests take longer than the default 5 s.
  }, 60_000);
});
