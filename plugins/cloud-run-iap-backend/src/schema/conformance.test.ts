import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import express, { Express } from 'express';
import { Server } from 'node:http';
import request from 'supertest';
import { demoSeedLinkedTo } from '../__testUtils__/seeds';
import {
  LEAD,
  NO_ACCESS,
  NO_LEVELS,
  PluginTestBackend,
  REQUESTER,
  startPluginTestBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const PLUGIN = '/api/cloud-run-iap';
const service = (id: string) =>
  `projects/acme-internal-apps/locations/europe-west2/services/${id}`;
const access = (name: string) =>
  `${PLUGIN}/entities/by-name/component/default/${name}/access`;

/**
 * Passes every request on to the test backend as it came. `/openapi.json`, where the validating
 * proxy reads the spec, is the plugin's own `/api/cloud-run-iap/openapi.json`: the spec the
 * running router serves, its paths prefixed with the plugin's mount point.
 */
function forwardingApp(baseUrl: string): Express {
  const app = express();
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.use(async (req, res) => {
    const url =
      req.url === '/openapi.json' ? `${PLUGIN}/openapi.json` : req.url;
    const headers: Record<string, string> = {
      authorization:
        req.headers.authorization ?? mockCredentials.user.header(LEAD),
    };
    if (req.headers['content-type']) {
      headers['content-type'] = req.headers['content-type'];
    }
    const upstream = await fetch(`${baseUrl}${url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : req.body,
    });
    res.status(upstream.status);
    const type = upstream.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.send(Buffer.from(await upstream.arrayBuffer()));
  });
  // wrapServer listens on a port of its choice; keep that listener on the loopback interface.
  return {
    listen: (port: number) => app.listen(port, '127.0.0.1'),
  } as unknown as Express;
}

describe('every route answers as src/schema/openapi.yaml says', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  let server: Server;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: demoSeedLinkedTo(({ id }) => ({
        entityRef: `component:default/${id}`,
        ownerGroup: 'group:default/team-a',
      })),
    });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [
        { name: 'access-manager', annotation: service('access-manager') },
        { name: 'uptime-monitor', annotation: service('uptime-monitor') },
        { name: 'unlinked', annotation: service('expense-tracker') },
        {
          name: 'broken-annotation',
          annotation: 'projects/acme-internal-apps/services/oops',
        },
        { name: 'cold', annotation: service('data-sharing-api') },
      ],
      users: [
        { name: 'lead', email: 'lead@example.com' },
        { name: 'requester', email: 'requester@example.com' },
      ],
    });
    server = await wrapServer(forwardingApp(portal.baseUrl));
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  /**
   * Sends a request through the validating proxy, then waits for its verdict: a request or an
   * answer that the spec does not describe fails the running test.
   */
  async function send(
    method: 'get' | 'post',
    url: string,
    options: { user?: string; body?: unknown } = {},
  ) {
    let req = request(server)
      [method](url)
      .set('Authorization', mockCredentials.user.header(options.user ?? LEAD));
    if (options.body !== undefined) req = req.send(options.body as object);
    const res = await req;
    await new Promise(resolve => setTimeout(resolve, 200));
    return res;
  }

  it.each([
    ['a full report', access('access-manager'), 200],
    [
      'a report with findings and a disabled IAP',
      access('uptime-monitor'),
      200,
    ],
    ['a refreshed report', `${access('access-manager')}?refresh=true`, 200],
    ['a not-linked service', access('unlinked'), 200],
    ['an invalid annotation', access('broken-annotation'), 400],
    [
      'a malformed kind',
      `${PLUGIN}/entities/by-name/comp!nent/default/x/access`,
      400,
    ],
    ['an unknown entity', access('nothing-here'), 404],
  ])('GET the access report: %s', async (_, url, status) => {
    const res = await send('get', url);
    expect(res.status).toBe(status);
  });

  it('GET the access report: permission denied (403)', async () => {
    const res = await send('get', access('access-manager'), {
      user: NO_ACCESS,
    });
    expect(res.status).toBe(403);
  });

  it('GET the access report: Google down and nothing cached (503)', async () => {
    fake.faults.add({ status: 503 });
    const res = await send('get', access('cold'));
    expect(res.status).toBe(503);
  });

  it.each([
    [{ ip: '203.0.113.7', region: 'GB', member: 'user:ada@example.com' }, 200],
    [{}, 200],
    [{ ip: 'not-an-ip' }, 400],
    [{ projectId: 'acme-internal-apps' }, 400],
  ])('POST a simulation %j', async (body, status) => {
    const res = await send('post', `${access('access-manager')}/simulate`, {
      body,
    });
    expect(res.status).toBe(status);
  });

  it.each([
    [{ ip: '203.0.113.7', region: 'GB' }, LEAD, 200],
    [{}, NO_ACCESS, 400],
    [{ ip: 'not-an-ip' }, LEAD, 400],
    [{ member: 'user:ada@example.com' }, LEAD, 400],
  ])('POST a self-check %j as %s', async (body, user, status) => {
    const res = await send('post', `${access('access-manager')}/self-check`, {
      body,
      user,
    });
    expect(res.status).toBe(status);
  });

  it('POST and GET access requests, a decision and the history', async () => {
    const requests = `${access('access-manager')}/requests`;
    const body = {
      service: service('access-manager'),
      justification: 'Checking the spec',
      duration: 'P1D',
    };
    const created = await send('post', requests, { user: REQUESTER, body });
    expect(created.status).toBe(201);
    const decision = `${PLUGIN}/access/requests/${created.body.id}/decision`;
    expect(
      (await send('post', requests, { user: REQUESTER, body })).status,
    ).toBe(409);
    expect(
      (
        await send('post', requests, {
          user: REQUESTER,
          body: { ...body, extra: true },
        })
      ).status,
    ).toBe(400);
    expect((await send('get', requests, { user: REQUESTER })).status).toBe(200);
    expect(
      (await send('get', `${PLUGIN}/access/requests?status=pending`)).status,
    ).toBe(200);
    expect(
      (
        await send('post', decision, {
          user: REQUESTER,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(403);
    // Google down: the approval fails as a 503 and the request stays pending.
    fake.faults.clear();
    fake.faults.add({ status: 503 });
    expect(
      (await send('post', decision, { body: { decision: 'approve' } })).status,
    ).toBe(503);
    fake.faults.clear();
    expect(
      (await send('post', decision, { body: { decision: 'approve' } })).status,
    ).toBe(200);
    expect(
      (await send('post', decision, { body: { decision: 'deny' } })).status,
    ).toBe(409);
    expect(
      (await send('get', `${access('access-manager')}/history`)).status,
    ).toBe(200);
  });

  it('POST access changes: a preview, an apply, a 409 with a fresh preview, and the refusals', async () => {
    const changes = `${access('uptime-monitor')}/changes`;
    const body = {
      service: service('uptime-monitor'),
      add: ['user:conformance@example.com'],
    };
    const preview = await send('post', changes, {
      body: { ...body, dryRun: true },
    });
    expect(preview.status).toBe(200);
    const applied = await send('post', changes, {
      body: { ...body, etag: preview.body.etag },
    });
    expect(applied.status).toBe(200);
    const stale = await send('post', changes, {
      body: {
        service: service('uptime-monitor'),
        add: ['user:late@example.com'],
        etag: preview.body.etag,
      },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.preview.etag).toBe(applied.body.etag);
    expect(
      (await send('post', changes, { body: { ...body, extra: true } })).status,
    ).toBe(400);
    expect(
      (
        await send('post', changes, {
          user: REQUESTER,
          body: { ...body, dryRun: true },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send('post', `${access('unlinked')}/changes`, {
          body: {
            service: service('expense-tracker'),
            dryRun: true,
            add: [],
            remove: ['user:x@example.com'],
          },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send('post', `${access('nothing-here')}/changes`, {
          body: { ...body, dryRun: true },
        })
      ).status,
    ).toBe(404);
    fake.faults.add({ status: 503 });
    expect(
      (await send('post', changes, { body: { ...body, dryRun: true } })).status,
    ).toBe(503);
    fake.faults.clear();
  });

  it.each([
    [`${PLUGIN}/review?owner=group:default/team-a`, 200],
    [`${PLUGIN}/review?owner=team-a&system=internal-apps`, 200],
    [`${PLUGIN}/review?owner=group:default/team-a&format=xml`, 400],
    [`${PLUGIN}/review`, 400],
  ])('GET %s', async (url, status) => {
    const res = await send('get', url);
    expect(res.status).toBe(status);
  });

  it.each([
    [`${PLUGIN}/access-levels?project=acme-internal-apps`, LEAD, 200],
    [`${PLUGIN}/access-levels?project=acme-other-project`, LEAD, 400],
    [`${PLUGIN}/access-levels?project=acme-internal-apps`, NO_LEVELS, 403],
  ])('GET %s as %s', async (url, user, status) => {
    const res = await send('get', url, { user });
    expect(res.status).toBe(status);
  });
});
