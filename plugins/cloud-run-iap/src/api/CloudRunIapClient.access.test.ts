/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { CloudRunIapClient } from './CloudRunIapClient';
import {
  AccessChangedSinceYouLookedError,
  classifyCloudRunIapError,
} from './errors';
import {
  accessRequest,
  addAlanPreview,
  deniedSelfCheck,
  TEAM_DIRECTORY,
  TEAM_DIRECTORY_REF,
} from '../testing/accessFixtures';
import {
  Answer,
  errorAnswer,
  ReceivedRequest,
  startHttpBackend,
} from '../testing/httpBackend';

/*
 * The day-two methods over real HTTP: a server on 127.0.0.1 plays the backend, the client uses
 * Node's fetch, so paths, methods, JSON bodies and error bodies cross a real socket.
 */

const ENTITY = '/entities/by-name/component/default/team-directory';

async function withBackend(
  answer: (request: ReceivedRequest) => Answer,
  run: (
    client: CloudRunIapClient,
    requests: ReceivedRequest[],
  ) => Promise<void>,
) {
  const backend = await startHttpBackend(answer);
  try {
    const client = new CloudRunIapClient({
      discoveryApi: { getBaseUrl: async () => backend.baseUrl },
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...init?.headers, Authorization: 'Bearer user-token' },
          }),
      },
    });
    await run(client, backend.requests);
  } finally {
    await backend.close();
  }
}

describe('CloudRunIapClient day-two routes', () => {
  it('previews a change as a dry run, then applies it with the preview etag', async () => {
    await withBackend(
      ({ body }) => ({
        status: 200,
        body: addAlanPreview(
          (body as { dryRun: boolean }).dryRun
            ? {}
            : { dryRun: false, applied: true, etag: 'BwYAAAAAAAB=' },
        ),
      }),
      async (client, requests) => {
        const preview = await client.previewAccessChange(TEAM_DIRECTORY_REF, {
          service: TEAM_DIRECTORY,
          add: ['user:alan@example.com'],
        });
        expect(preview.after.bindings[0].members).toContain(
          'user:alan@example.com',
        );
        const applied = await client.applyAccessChange(TEAM_DIRECTORY_REF, {
          service: TEAM_DIRECTORY,
          add: ['user:alan@example.com'],
          etag: preview.etag,
        });
        expect(applied).toMatchObject({ applied: true, etag: 'BwYAAAAAAAB=' });
        expect(requests.map(r => [r.method, r.path])).toEqual([
          ['POST', `${ENTITY}/access/changes`],
          ['POST', `${ENTITY}/access/changes`],
        ]);
        expect(requests[0].headers['content-type']).toBe('application/json');
        expect(requests[0].headers.authorization).toBe('Bearer user-token');
        expect(requests[0].body).toEqual({
          service: TEAM_DIRECTORY,
          add: ['user:alan@example.com'],
          dryRun: true,
        });
        expect(requests[1].body).toEqual({
          service: TEAM_DIRECTORY,
          add: ['user:alan@example.com'],
          etag: 'BwYAAAAAAAA=',
          dryRun: false,
        });
      },
    );
  });

  it('sends cleared access levels as an empty list', async () => {
    await withBackend(
      () => ({ status: 200, body: addAlanPreview() }),
      async (client, requests) => {
        await client.previewAccessChange(TEAM_DIRECTORY_REF, {
          service: TEAM_DIRECTORY,
          accessLevels: [],
        });
        expect(requests[0].body).toEqual({
          service: TEAM_DIRECTORY,
          accessLevels: [],
          dryRun: true,
        });
      },
    );
  });

  it('turns a 409 with a fresh preview into "changed since you looked"', async () => {
    const fresh = addAlanPreview({ etag: 'BwYAAAAAAAC=' });
    await withBackend(
      () =>
        errorAnswer(
          409,
          'ConflictError',
          'The access of team-directory changed since you looked (etag BwYAAAAAAAA= is now BwYAAAAAAAC=). Review the new preview and apply again.',
          { preview: fresh },
        ),
      async client => {
        const error = await client
          .applyAccessChange(TEAM_DIRECTORY_REF, {
            service: TEAM_DIRECTORY,
            add: ['user:alan@example.com'],
            etag: 'BwYAAAAAAAA=',
          })
          .catch(e => e);
        expect(error).toBeInstanceOf(AccessChangedSinceYouLookedError);
        expect(error.preview).toEqual(fresh);
        expect(error.message).toMatch(/changed since you looked/);
        expect(classifyCloudRunIapError(error)).toMatchObject({
          message: expect.stringMatching(/changed since you looked/),
          statusCode: 409,
        });
      },
    );
  });

  it('leaves a 409 without a preview a plain ResponseError', async () => {
    await withBackend(
      () => errorAnswer(409, 'ConflictError', 'Request already decided'),
      async client => {
        const error = await client
          .decideAccessRequest('abc', { decision: 'approve' })
          .catch(e => e);
        expect(ResponseError.is(error)).toBe(true);
        expect(classifyCloudRunIapError(error)).toEqual({
          kind: 'error',
          message: 'Request already decided',
          statusCode: 409,
        });
      },
    );
  });

  it('refuses a change without the permission as permission-denied', async () => {
    await withBackend(
      () =>
        errorAnswer(
          403,
          'NotAllowedError',
          'You may not change access to component:default/team-directory',
        ),
      async client => {
        const error = await client
          .previewAccessChange(TEAM_DIRECTORY_REF, {
            service: TEAM_DIRECTORY,
            add: ['user:alan@example.com'],
          })
          .catch(e => e);
        expect(classifyCloudRunIapError(error).kind).toBe('permission-denied');
      },
    );
  });

  it('requests access and reads the answer (201)', async () => {
    await withBackend(
      () => ({ status: 201, body: accessRequest() }),
      async (client, requests) => {
        const created = await client.requestAccess(TEAM_DIRECTORY_REF, {
          service: TEAM_DIRECTORY,
          justification: 'I maintain the desk map for the new office.',
          duration: 'P7D',
        });
        expect(created.status).toBe('pending');
        expect(requests[0]).toMatchObject({
          method: 'POST',
          path: `${ENTITY}/access/requests`,
          body: {
            service: TEAM_DIRECTORY,
            justification: 'I maintain the desk map for the new office.',
            duration: 'P7D',
          },
        });
      },
    );
  });

  it('shows a refused permanent duration with the message naming the field', async () => {
    await withBackend(
      () =>
        errorAnswer(
          400,
          'InputError',
          'duration: permanent access is not allowed here (cloudRunIap.requests.allowPermanent is off)',
        ),
      async client => {
        const error = await client
          .requestAccess(TEAM_DIRECTORY_REF, {
            service: TEAM_DIRECTORY,
            justification: 'x',
            duration: 'permanent',
          })
          .catch(e => e);
        expect(classifyCloudRunIapError(error)).toMatchObject({
          kind: 'invalid-input',
          message: expect.stringMatching(/^duration: /),
        });
      },
    );
  });

  it('lists requests of an app, pending requests to review, and decides one', async () => {
    await withBackend(
      ({ path }) =>
        path.endsWith('/decision')
          ? {
              status: 200,
              body: accessRequest({
                status: 'approved',
                decidedBy: 'user:default/guest',
                expiresAt: '2026-12-09T10:00:00Z',
              }),
            }
          : { status: 200, body: { items: [accessRequest()] } },
      async (client, requests) => {
        expect(
          (await client.listAccessRequests(TEAM_DIRECTORY_REF)).items,
        ).toHaveLength(1);
        expect((await client.listPendingAccessRequests()).items[0].id).toBe(
          accessRequest().id,
        );
        const decided = await client.decideAccessRequest('id with/slash', {
          decision: 'approve',
          comment: 'ok for a week',
        });
        expect(decided.status).toBe('approved');
        expect(requests.map(r => [r.method, r.path, r.body])).toEqual([
          ['GET', `${ENTITY}/access/requests`, undefined],
          ['GET', '/access/requests?status=pending', undefined],
          [
            'POST',
            '/access/requests/id%20with%2Fslash/decision',
            { decision: 'approve', comment: 'ok for a week' },
          ],
        ]);
      },
    );
  });

  it('reads the history and checks my own access with an optional IP', async () => {
    await withBackend(
      ({ path }) =>
        path.endsWith('/history')
          ? { status: 200, body: { items: [] } }
          : { status: 200, body: deniedSelfCheck() },
      async (client, requests) => {
        expect(await client.getAccessHistory(TEAM_DIRECTORY_REF)).toEqual({
          items: [],
        });
        const check = await client.checkMyAccess(TEAM_DIRECTORY_REF, {
          ip: '203.0.113.7',
        });
        expect(check.services[0].verdict).toBe('denied');
        await client.checkMyAccess(TEAM_DIRECTORY_REF);
        expect(requests.map(r => [r.method, r.path, r.body])).toEqual([
          ['GET', `${ENTITY}/access/history`, undefined],
          ['POST', `${ENTITY}/access/self-check`, { ip: '203.0.113.7' }],
          ['POST', `${ENTITY}/access/self-check`, {}],
        ]);
      },
    );
  });
});
