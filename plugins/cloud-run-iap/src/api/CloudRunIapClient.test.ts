import { ResponseError } from '@backstage/errors';
import { CloudRunIapClient } from './CloudRunIapClient';
import { classifyCloudRunIapError } from './errors';
import { report } from '../testing/fixtures';
import { fakeResponse } from '../testing/http';

const BASE = 'http://localhost:7007/api/cloud-run-iap';

type FakeBody = { status: number; body: unknown; contentType?: string };

function setup(answer: FakeBody | (() => Promise<never>)) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    typeof answer === 'function' ? answer() : fakeResponse(answer),
  );
  const client = new CloudRunIapClient({
    discoveryApi: { getBaseUrl: async () => BASE },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

function backstageError(name: string, message: string, statusCode: number) {
  return {
    status: statusCode,
    body: {
      error: { name, message },
      request: { method: 'GET', url: '/api/cloud-run-iap/x' },
      response: { statusCode },
    },
  };
}

const ref = { kind: 'Component', namespace: 'default', name: 'access-manager' };

describe('CloudRunIapClient', () => {
  it('fetches the access report of an entity by name', async () => {
    const { client, fetch } = setup({ status: 200, body: report([]) });
    const result = await client.getAccessReport(ref);
    expect(result.entityRef).toBe('component:default/access-manager');
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/entities/by-name/component/default/access-manager/access`,
      undefined,
    );
  });

  it('asks for a refresh when told to', async () => {
    const { client, fetch } = setup({ status: 200, body: report([]) });
    await client.getAccessReport(ref, { refresh: true });
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/entities/by-name/component/default/access-manager/access?refresh=true`,
    );
  });

  it('posts the simulation context as JSON', async () => {
    const { client, fetch } = setup({
      status: 200,
      body: { request: {}, services: [] },
    });
    await client.simulateAccess(ref, { ip: '203.0.113.7', region: 'GB' });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${BASE}/entities/by-name/component/default/access-manager/access/simulate`,
    );
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({
      ip: '203.0.113.7',
      region: 'GB',
    });
  });

  it('encodes the owner and project in query strings', async () => {
    const { client, fetch } = setup({ status: 200, body: {} });
    await client.getReview('group:default/internal-apps-team');
    await client.getAccessLevels('acme-internal-apps');
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/review?owner=group%3Adefault%2Finternal-apps-team`,
    );
    expect(fetch.mock.calls[1][0]).toBe(
      `${BASE}/access-levels?project=acme-internal-apps`,
    );
  });

  it('downloads the review as CSV', async () => {
    const { client, fetch } = setup({
      status: 200,
      body: 'entityRef,service,member\n',
      contentType: 'text/csv',
    });
    const blob = await client.getReviewCsv('group:default/internal-apps-team');
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/review?owner=group%3Adefault%2Finternal-apps-team&format=csv`,
    );
    expect(await blob.text()).toBe('entityRef,service,member\n');
  });

  it.each([
    ['InputError', 400, 'invalid-input'],
    ['AuthenticationError', 401, 'unauthenticated'],
    ['NotAllowedError', 403, 'permission-denied'],
    ['NotFoundError', 404, 'not-found'],
    ['ServiceUnavailableError', 503, 'unavailable'],
    ['Error', 500, 'error'],
  ])(
    'maps a %s (%i) to the %s state with the server message',
    async (name, status, kind) => {
      const { client } = setup(
        backstageError(name, `the server says ${name}`, status),
      );
      const error = await client.getAccessReport(ref).catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(classifyCloudRunIapError(error)).toEqual({
        kind,
        message: `the server says ${name}`,
        statusCode: status,
      });
    },
  );

  it('maps a 503 from the simulate and review routes the same way', async () => {
    const { client } = setup(
      backstageError('ServiceUnavailableError', 'Google is down', 503),
    );
    const simulate = await client.simulateAccess(ref, {}).catch(e => e);
    const review = await client.getReviewCsv('group:default/a').catch(e => e);
    expect(classifyCloudRunIapError(simulate).kind).toBe('unavailable');
    expect(classifyCloudRunIapError(review).kind).toBe('unavailable');
  });

  it('copes with an error answer that is not JSON', async () => {
    const { client } = setup({
      status: 502,
      body: '<html>Bad gateway</html>',
      contentType: 'text/html',
    });
    const error = await client.getAccessReport(ref).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(classifyCloudRunIapError(error)).toMatchObject({
      kind: 'error',
      statusCode: 502,
    });
  });

  it('reports a network failure as a plain error', async () => {
    const { client } = setup(() =>
      Promise.reject(new TypeError('Failed to fetch')),
    );
    const error = await client.getAccessReport(ref).catch(e => e);
    expect(classifyCloudRunIapError(error)).toEqual({
      kind: 'error',
      message: 'Failed to fetch',
    });
  });
});
