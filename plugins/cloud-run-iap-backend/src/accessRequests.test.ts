import notificationsBackend from '@backstage/plugin-notifications-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  AccessReportResponse,
  MANAGED_CONDITION_TITLE,
  TIME_BOUND_CONDITION_TITLE,
  accessLevelsExpression,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { ManualClock, ManualScheduler } from './__testUtils__/manualTime';
import { demoSeedLinkedTo } from './__testUtils__/seeds';
import {
  LEAD,
  PluginTestBackend,
  REQUESTER,
  startPluginTestBackend,
} from './__testUtils__/testBackend';
import type { AccessEvent, AccessRequest } from './services/accessRequestTypes';

jest.setTimeout(120_000);

const CONTRACTOR = 'user:default/contractor';
const NO_EMAIL = 'user:default/no-email';
const EXPIRY_TASK = 'cloud-run-iap-expire-grants';
const CORP_NETWORK = 'accessPolicies/555000000001/accessLevels/corp_network';
const PROJECT_NUMBER = '100000000001';
const DAY_MS = 24 * 60 * 60 * 1000;

const svc = (id: string) =>
  `projects/acme-internal-apps/locations/europe-west2/services/${id}`;
const entityPath = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`;
const decisionPath = (id: string) =>
  `/api/cloud-run-iap/access/requests/${id}/decision`;

interface Binding {
  role: string;
  members: string[];
  condition?: { title?: string; description?: string; expression: string };
}

/**
 * The demo seed with every europe-west2 service naming `component:default/<id>` and recording
 * team-a as its owner, except admin-console, which records team-b (its entity says team-a).
 * access-manager's accessor grant is the portal's managed one, requiring corp_network.
 */
function seed() {
  const linked = demoSeedLinkedTo(({ id }) => ({
    entityRef: `component:default/${id}`,
    ownerGroup:
      id === 'admin-console' ? 'group:default/team-b' : 'group:default/team-a',
  }));
  const project = linked.projects.find(p => p.id === 'acme-internal-apps')!;
  const accessManager = project.services!.find(s => s.id === 'access-manager')!;
  accessManager.iap!.policy!.bindings![0].condition = {
    title: MANAGED_CONDITION_TITLE,
    expression: accessLevelsExpression([CORP_NETWORK]),
  };
  return linked;
}

describe('access requests through the HTTP API', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  const clock = new ManualClock('2027-01-10T09:00:00.000Z');
  const scheduler = new ManualScheduler();

  async function iapBindings(serviceId: string): Promise<Binding[]> {
    const resource = `projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2/services/${serviceId}`;
    const res = await fetch(`${fake.url}/v1/${resource}:getIamPolicy`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer test',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ options: { requestedPolicyVersion: 3 } }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { bindings?: Binding[] }).bindings ?? [];
  }

  async function notificationsOf(user: string) {
    const res = await fetch(
      `${portal.baseUrl}/api/notifications/notifications?limit=100`,
      { headers: { Authorization: mockCredentials.user.header(user) } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      notifications: Array<{
        payload: { title: string; link?: string; topic?: string };
      }>;
    };
    return body.notifications.map(n => n.payload);
  }

  async function request(
    user: string,
    name: string,
    body: Record<string, unknown>,
  ) {
    return portal.request('POST', `${entityPath(name)}/requests`, {
      user,
      body,
    });
  }

  async function requestsOf(user: string, name: string) {
    const res = await portal.request('GET', `${entityPath(name)}/requests`, {
      user,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: AccessRequest[] }).items;
  }

  /** The members the app's report (cached or not, no refresh asked) lists as accessors. */
  async function reportedAccessors(name: string): Promise<string[]> {
    const res = await portal.request('GET', entityPath(name));
    expect(res.status).toBe(200);
    const body = (await res.json()) as AccessReportResponse;
    return body.services.flatMap(s => s.accessors.map(a => a.member));
  }

  async function history(name: string) {
    const res = await portal.request('GET', `${entityPath(name)}/history`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: AccessEvent[] }).items;
  }

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: seed() });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [
        'access-manager',
        'expense-tracker',
        'admin-console',
        'feature-flags',
        'wiki-search',
      ].map(name => ({ name, annotation: svc(name) })),
      users: [
        { name: 'lead', email: 'lead@example.com', memberOf: ['team-a'] },
        { name: 'requester', email: 'Requester@Example.com' },
        { name: 'contractor', email: 'contractor@partner.example' },
        { name: 'no-email' },
      ],
      features: [notificationsBackend, scheduler.factory(), clock.factory()],
    });
    // The owners' notifications reach the group's members once the catalog relates them.
    for (let i = 0; ; i++) {
      const res = await fetch(
        `${portal.baseUrl}/api/catalog/entities/by-name/group/default/team-a`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      const group = (await res.json()) as {
        relations?: Array<{ type: string; targetRef: string }>;
      };
      if (group.relations?.some(r => r.type === 'hasMember')) break;
      if (i > 300) throw new Error('team-a never got its member');
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  it('schedules the expiry task once across replicas, every 5 minutes by default, a minute after startup', () => {
    expect(scheduler.task(EXPIRY_TASK)).toMatchObject({
      scope: 'global',
      frequency: { milliseconds: 5 * 60 * 1000 },
      // Not at startup, where the test backend's own scheduler would run it at once.
      initialDelay: { minutes: 1 },
    });
  });

  it('request, notify, approve: a time-bound grant with the app access levels, removed by the expiry task', async () => {
    const managedBefore = (await iapBindings('access-manager')).filter(
      b => b.condition?.title === MANAGED_CONDITION_TITLE,
    );
    // The report is cached now: what the approval and the expiry write must replace it.
    expect(await reportedAccessors('access-manager')).not.toContain(
      'user:requester@example.com',
    );
    const created = await request(REQUESTER, 'access-manager', {
      service: svc('access-manager'),
      justification: 'On call for the access manager this week',
      duration: 'P1D',
    });
    expect(created.status).toBe(201);
    const pending = (await created.json()) as AccessRequest;
    expect(pending).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      entityRef: 'component:default/access-manager',
      service: svc('access-manager'),
      requester: REQUESTER,
      member: 'user:requester@example.com',
      justification: 'On call for the access manager this week',
      duration: 'P1D',
      status: 'pending',
      createdAt: '2027-01-10T09:00:00.000Z',
      requestExpiresAt: '2027-01-17T09:00:00.000Z',
    });

    // The owner (team-a's member) is told, with a link to the request; the requester is not.
    expect(await notificationsOf(LEAD)).toContainEqual(
      expect.objectContaining({
        topic: 'cloud-run-iap-access-request',
        link: `/catalog/default/component/access-manager/access?request=${pending.id}`,
        title: expect.stringContaining('user:requester@example.com'),
      }),
    );
    expect(await notificationsOf(REQUESTER)).toEqual([]);

    // Managers see every request of the app and on the review list; the requester their own.
    expect((await requestsOf(LEAD, 'access-manager')).map(r => r.id)).toEqual([
      pending.id,
    ]);
    expect(
      (await requestsOf(REQUESTER, 'access-manager')).map(r => r.id),
    ).toEqual([pending.id]);
    const review = await portal.request(
      'GET',
      '/api/cloud-run-iap/access/requests?status=pending',
    );
    expect(
      ((await review.json()) as { items: AccessRequest[] }).items.map(
        r => r.id,
      ),
    ).toContain(pending.id);
    const notManager = await portal.request(
      'GET',
      '/api/cloud-run-iap/access/requests',
      { user: REQUESTER },
    );
    expect(await notManager.json()).toEqual({ items: [] });

    const decided = await portal.request('POST', decisionPath(pending.id), {
      body: { decision: 'approve', comment: 'For the on-call week' },
    });
    expect(decided.status).toBe(200);
    const approved = (await decided.json()) as AccessRequest;
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: LEAD,
      decidedAt: '2027-01-10T09:00:00.000Z',
      comment: 'For the on-call week',
      expiresAt: '2027-01-11T09:00:00.000Z',
    });

    // Read back from Google: the time-bound binding, joined with the app's access levels.
    const granted = await iapBindings('access-manager');
    expect(granted).toContainEqual({
      role: 'roles/iap.httpsResourceAccessor',
      members: ['user:requester@example.com'],
      condition: {
        title: TIME_BOUND_CONDITION_TITLE,
        description: `Request ${pending.id} approved by ${LEAD}, until 2027-01-11T09:00:00Z`,
        expression: `request.time < timestamp("2027-01-11T09:00:00Z") && ("${CORP_NETWORK}" in request.auth.access_levels)`,
      },
    });
    expect(
      granted.filter(b => b.condition?.title === MANAGED_CONDITION_TITLE),
    ).toEqual(managedBefore);
    expect(await reportedAccessors('access-manager')).toContain(
      'user:requester@example.com',
    );
    expect(await notificationsOf(REQUESTER)).toContainEqual(
      expect.objectContaining({
        topic: 'cloud-run-iap-access-request',
        title: expect.stringContaining('approved'),
      }),
    );

    // Before the end nothing is removed.
    await scheduler.run(EXPIRY_TASK);
    expect(await iapBindings('access-manager')).toEqual(granted);

    clock.advance(DAY_MS + 60_000);
    await scheduler.run(EXPIRY_TASK);
    const after = await iapBindings('access-manager');
    expect(after).toEqual(
      granted.filter(b => b.condition?.title !== TIME_BOUND_CONDITION_TITLE),
    );
    expect(
      after.filter(b => b.condition?.title === MANAGED_CONDITION_TITLE),
    ).toEqual(managedBefore);
    expect(await reportedAccessors('access-manager')).not.toContain(
      'user:requester@example.com',
    );
    expect(await requestsOf(REQUESTER, 'access-manager')).toEqual([
      expect.objectContaining({ id: pending.id, status: 'expired' }),
    ]);
    expect(
      (await history('access-manager')).map(e => [e.kind, e.actor, e.members]),
    ).toEqual([
      ['expire', 'cloud-run-iap', ['user:requester@example.com']],
      ['approve', LEAD, ['user:requester@example.com']],
      ['request', REQUESTER, ['user:requester@example.com']],
    ]);
    expect(await notificationsOf(LEAD)).toContainEqual(
      expect.objectContaining({
        topic: 'cloud-run-iap-access-expiry',
        title: expect.stringContaining('user:requester@example.com'),
      }),
    );
    const audits = portal
      .auditEvents()
      .filter(e => e.eventId.startsWith('cloud-run-iap-access-'));
    expect(audits.map(e => [e.eventId, e.outcome])).toEqual(
      expect.arrayContaining([
        ['cloud-run-iap-access-request', 'success'],
        ['cloud-run-iap-access-decision', 'success'],
        ['cloud-run-iap-access-expiry', 'success'],
      ]),
    );
    expect(
      audits.find(e => e.eventId === 'cloud-run-iap-access-expiry')?.meta,
    ).toMatchObject({
      action: 'grant-removed',
      entityRef: 'component:default/access-manager',
      service: svc('access-manager'),
      members: ['user:requester@example.com'],
    });
  });

  it('deny: nothing is granted, the requester is told, and a second decision is a 409', async () => {
    const before = await iapBindings('expense-tracker');
    const created = await request(REQUESTER, 'expense-tracker', {
      service: svc('expense-tracker'),
      justification: 'Checking my expenses',
      duration: 'P7D',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as AccessRequest;
    const denied = await portal.request('POST', decisionPath(id), {
      body: { decision: 'deny', comment: 'Use the finance portal' },
    });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({
      status: 'denied',
      decidedBy: LEAD,
      comment: 'Use the finance portal',
    });
    expect(await iapBindings('expense-tracker')).toEqual(before);
    expect(await notificationsOf(REQUESTER)).toContainEqual(
      expect.objectContaining({ title: expect.stringContaining('denied') }),
    );
    const again = await portal.request('POST', decisionPath(id), {
      body: { decision: 'approve' },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.message).toMatch(
      /already denied/,
    );
    expect(await iapBindings('expense-tracker')).toEqual(before);
  });

  it('a second pending request for the same app is a 409, and only one is stored', async () => {
    const body = {
      service: svc('feature-flags'),
      justification: 'Flip the release flag',
      duration: 'P1D',
    };
    expect((await request(REQUESTER, 'feature-flags', body)).status).toBe(201);
    const second = await request(REQUESTER, 'feature-flags', {
      ...body,
      duration: 'P30D',
    });
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).error.message).toMatch(
      /already have a pending access request for component:default\/feature-flags/,
    );
    expect(await requestsOf(REQUESTER, 'feature-flags')).toHaveLength(1);
  });

  it('refuses a requester outside the organisation (403) or without an email (400), storing nothing', async () => {
    const body = {
      service: svc('wiki-search'),
      justification: 'Reading the docs',
      duration: 'P1D',
    };
    const outside = await request(CONTRACTOR, 'wiki-search', body);
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as any).error.message).toMatch(
      /user:contractor@partner\.example .*outside its domains \(example\.com\)/,
    );
    const noEmail = await request(NO_EMAIL, 'wiki-search', body);
    expect(noEmail.status).toBe(400);
    expect(((await noEmail.json()) as any).error.message).toMatch(
      /no spec\.profile\.email/,
    );
    expect(await requestsOf(LEAD, 'wiki-search')).toEqual([]);
  });

  it('names the field of a bad body, before anything is stored', async () => {
    const good = {
      service: svc('wiki-search'),
      justification: 'Reading the docs',
      duration: 'P1D',
    };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, urgent: true }, /urgent: unknown field/],
      [
        { ...good, duration: 'permanent' },
        /duration: permanent access cannot be requested/,
      ],
      [{ ...good, duration: 'P2D' }, /duration/],
      [{ ...good, justification: '' }, /justification/],
      [{ ...good, justification: '   ' }, /justification: must say why/],
      [{ ...good, justification: 'x'.repeat(1001) }, /justification/],
      [
        { ...good, service: svc('access-manager') },
        /service: must be one of the services component:default\/wiki-search annotates/,
      ],
      [{ service: good.service, duration: 'P1D' }, /justification/],
    ];
    for (const [body, message] of cases) {
      const res = await request(REQUESTER, 'wiki-search', body);
      expect([JSON.stringify(body).slice(0, 80), res.status]).toEqual([
        JSON.stringify(body).slice(0, 80),
        400,
      ]);
      expect(((await res.json()) as any).error.message).toMatch(message);
    }
    const decision = await portal.request(
      'POST',
      decisionPath('00000000-0000-4000-8000-000000000000'),
      { body: { decision: 'maybe' } },
    );
    expect(decision.status).toBe(400);
    expect(((await decision.json()) as any).error.message).toMatch(/decision/);
    expect(await requestsOf(LEAD, 'wiki-search')).toEqual([]);
  });

  it('401 without a user; 403 on a decision without access.manage; nobody approves their own request', async () => {
    const body = {
      service: svc('wiki-search'),
      justification: 'Reading the docs',
      duration: 'P1D',
    };
    expect(
      (
        await portal.request('POST', `${entityPath('wiki-search')}/requests`, {
          user: null,
          body,
        })
      ).status,
    ).toBe(401);
    const created = await request(REQUESTER, 'wiki-search', body);
    const { id } = (await created.json()) as AccessRequest;
    for (const path of [
      `${entityPath('wiki-search')}/requests`,
      `${entityPath('wiki-search')}/history`,
      '/api/cloud-run-iap/access/requests',
    ]) {
      expect([
        path,
        (await portal.request('GET', path, { user: null })).status,
      ]).toEqual([path, 401]);
    }
    expect(
      (
        await portal.request('POST', decisionPath(id), {
          user: null,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(401);
    const forbidden = await portal.request('POST', decisionPath(id), {
      user: REQUESTER,
      body: { decision: 'approve' },
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as any).error.message).toMatch(
      /cloud-run-iap\.access\.manage/,
    );
    expect(
      (
        await portal.request('GET', `${entityPath('wiki-search')}/history`, {
          user: REQUESTER,
        })
      ).status,
    ).toBe(403);

    const own = await request(LEAD, 'wiki-search', body);
    expect(own.status).toBe(201);
    const ownId = ((await own.json()) as AccessRequest).id;
    const selfApproval = await portal.request('POST', decisionPath(ownId), {
      body: { decision: 'approve' },
    });
    expect(selfApproval.status).toBe(403);
    expect(((await selfApproval.json()) as any).error.message).toMatch(
      /your own access request/,
    );
    expect((await requestsOf(LEAD, 'wiki-search')).map(r => r.status)).toEqual([
      'pending',
      'pending',
    ]);
  });

  it('refuses an approval when the service records another owner than the catalog, writing nothing', async () => {
    const before = await iapBindings('admin-console');
    const created = await request(REQUESTER, 'admin-console', {
      service: svc('admin-console'),
      justification: 'Rotate the admin keys',
      duration: 'P1D',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as AccessRequest;
    const refused = await portal.request('POST', decisionPath(id), {
      body: { decision: 'approve' },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.message).toMatch(
      /owned by group:default\/team-a in the catalog, but .*admin-console records "group:default\/team-b"/,
    );
    expect(await iapBindings('admin-console')).toEqual(before);
    expect(await requestsOf(LEAD, 'admin-console')).toEqual([
      expect.objectContaining({ id, status: 'pending' }),
    ]);
  });

  it('expires requests nobody decided within cloudRunIap.requests.pendingFor', async () => {
    const pendingBefore = await portal.request(
      'GET',
      '/api/cloud-run-iap/access/requests?status=pending',
    );
    const stale = ((await pendingBefore.json()) as { items: AccessRequest[] })
      .items;
    expect(stale.length).toBeGreaterThan(0);
    clock.advance(8 * DAY_MS);
    await scheduler.run(EXPIRY_TASK);
    const pendingAfter = await portal.request(
      'GET',
      '/api/cloud-run-iap/access/requests?status=pending',
    );
    expect(await pendingAfter.json()).toEqual({ items: [] });
    expect((await history('feature-flags'))[0]).toMatchObject({
      kind: 'request-expired',
      actor: 'cloud-run-iap',
      members: ['user:requester@example.com'],
    });
    const late = await portal.request('POST', decisionPath(stale[0].id), {
      body: { decision: 'approve' },
    });
    expect(late.status).toBe(409);
    expect(await notificationsOf(REQUESTER)).toContainEqual(
      expect.objectContaining({
        title: expect.stringContaining('expired undecided'),
      }),
    );
  });
});

describe('permanent access requests (cloudRunIap.requests.allowPermanent)', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  const clock = new ManualClock('2027-03-01T12:00:00.000Z');
  const scheduler = new ManualScheduler();

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: seed() });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [{ name: 'access-manager', annotation: svc('access-manager') }],
      users: [
        { name: 'lead', email: 'lead@example.com', memberOf: ['team-a'] },
        { name: 'requester', email: 'requester@example.com' },
      ],
      cloudRunIap: {
        requests: {
          allowPermanent: true,
          pendingFor: { days: 2 },
          expiryCheckFrequency: '1m',
        },
      },
      features: [scheduler.factory(), clock.factory()],
    });
  });

  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  it('reads the request settings from config', () => {
    expect(scheduler.task(EXPIRY_TASK)?.frequency).toEqual({
      milliseconds: 60_000,
    });
  });

  it('adds an approved permanent request to the managed binding, which the expiry task leaves alone', async () => {
    const created = await portal.request(
      'POST',
      `${entityPath('access-manager')}/requests`,
      {
        user: REQUESTER,
        body: {
          service: svc('access-manager'),
          justification: 'I joined the team that runs it',
          duration: 'permanent',
        },
      },
    );
    expect(created.status).toBe(201);
    const pending = (await created.json()) as AccessRequest;
    expect(pending.requestExpiresAt).toBe('2027-03-03T12:00:00.000Z');
    const decided = await portal.request('POST', decisionPath(pending.id), {
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    const approved = (await decided.json()) as AccessRequest;
    expect(approved.status).toBe('approved');
    expect(approved.expiresAt).toBeUndefined();

    const resource = `projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2/services/access-manager`;
    const read = async () => {
      const res = await fetch(`${fake.url}/v1/${resource}:getIamPolicy`, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer test',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ options: { requestedPolicyVersion: 3 } }),
      });
      return ((await res.json()) as { bindings: Binding[] }).bindings;
    };
    const bindings = await read();
    expect(
      bindings.filter(b => b.condition?.title === MANAGED_CONDITION_TITLE),
    ).toEqual([
      {
        role: 'roles/iap.httpsResourceAccessor',
        members: expect.arrayContaining(['user:requester@example.com']),
        condition: expect.objectContaining({
          expression: accessLevelsExpression([CORP_NETWORK]),
        }),
      },
    ]);
    expect(
      bindings.filter(b => b.condition?.title === TIME_BOUND_CONDITION_TITLE),
    ).toEqual([]);

    clock.advance(400 * DAY_MS);
    await scheduler.run(EXPIRY_TASK);
    expect(await read()).toEqual(bindings);
    const list = await portal.request(
      'GET',
      `${entityPath('access-manager')}/requests`,
    );
    expect(((await list.json()) as { items: AccessRequest[] }).items).toEqual([
      expect.objectContaining({ id: pending.id, status: 'approved' }),
    ]);
  });
});
