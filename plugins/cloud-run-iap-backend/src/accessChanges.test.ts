import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import type {
  AccessReportResponse,
  IamBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  GoogleCloudClient,
  changeAccessors,
  iapResourceName,
  readIapAccessPolicy,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { demoSeedLinkedTo } from './__testUtils__/seeds';
import {
  PluginTestBackend,
  REQUESTER,
  startPluginTestBackend,
} from './__testUtils__/testBackend';
import type { AccessChangePreview } from './services/AccessChangeService';

jest.setTimeout(180_000);

/*
 * Owners change access on the card (issue 12 §1) through the HTTP API against the fake:
 * previews, applies with the previewed etag, concurrent changes, and every refusal.
 */

const PROJECT_NUMBER = '100000000001';
const REGION = 'europe-west2';
const ACCESSOR = 'roles/iap.httpsResourceAccessor';
const CORP_NETWORK = 'accessPolicies/555000000001/accessLevels/corp_network';
const service = (id: string) =>
  `projects/acme-internal-apps/locations/${REGION}/services/${id}`;
const changes = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access/changes`;
const report = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`;

/** Every service names the entity of its id; admin-console records team-b as its owner. */
const seed = () =>
  demoSeedLinkedTo(({ id }) => ({
    entityRef: `component:default/${id}`,
    ownerGroup:
      id === 'admin-console' ? 'group:default/team-b' : 'group:default/team-a',
  }));

const APPS = [
  'data-sharing-api',
  'access-manager',
  'admin-console',
  'feature-flags',
  'wiki-search',
];

describe('POST .../access/changes against the fake', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  let google: GoogleCloudClient;

  const policyOf = async (id: string) =>
    readIapAccessPolicy(google, iapResourceName(PROJECT_NUMBER, REGION, id));
  const writes = () => fake.requests().filter(r => r.write);
  const post = (name: string, body: unknown, user?: string | null) =>
    portal.request('POST', changes(name), { body, user });

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: seed() });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: APPS.map(id => ({ name: id, annotation: service(id) })),
    });
    google = GoogleCloudClient.fromConfig(
      new ConfigReader({ cloudRunIap: { google: { endpoint: fake.url } } }),
      { logger: mockServices.logger.mock() },
    );
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.clearRequests());

  it('previews a change without writing, then applies it with the previewed etag', async () => {
    const warm = await portal.request('GET', report('data-sharing-api'));
    expect(warm.status).toBe(200);
    const seeded = await policyOf('data-sharing-api');
    fake.clearRequests();

    const res = await post('data-sharing-api', {
      service: service('data-sharing-api'),
      add: ['user:newbie@example.com'],
      dryRun: true,
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as AccessChangePreview;
    expect(writes()).toEqual([]);
    const handMade = seeded.bindings!.find(b => b.condition)!;
    expect(preview).toMatchObject({
      dryRun: true,
      applied: false,
      service: service('data-sharing-api'),
      etag: seeded.etag,
      before: { bindings: seeded.bindings },
      added: ['user:newbie@example.com'],
      removed: [],
      accessLevels: { before: [], after: [] },
    });
    expect(preview.after.bindings).toEqual([
      handMade,
      {
        role: ACCESSOR,
        members: ['user:guest@example.com', 'user:newbie@example.com'],
      },
    ]);
    expect(preview.before.coverage).toMatchObject({ covered: 2, total: 3 });
    expect(preview.after.coverage).toMatchObject({ covered: 2, total: 4 });
    expect(preview.after.coverage.uncoveredMembers).toContain(
      'user:newbie@example.com',
    );
    expect(preview.unmanaged.map(g => g.member).sort()).toEqual([
      'group:data-stewards@example.com',
      'user:ada@example.com',
    ]);
    expect(preview.unmanaged[0].howToChange).toMatch(
      /gcloud iap web remove-iam-policy-binding --resource-type=cloud-run --region=europe-west2 --service=data-sharing-api/,
    );

    const applied = await post('data-sharing-api', {
      service: service('data-sharing-api'),
      add: ['user:newbie@example.com'],
      etag: preview.etag,
    });
    expect(applied.status).toBe(200);
    const result = (await applied.json()) as AccessChangePreview;
    const now = await policyOf('data-sharing-api');
    expect(result).toMatchObject({
      dryRun: false,
      applied: true,
      etag: now.etag,
      after: { bindings: now.bindings },
    });
    expect(result.etag).not.toBe(seeded.etag);
    expect(now.bindings).toEqual(preview.after.bindings);
    expect(now.bindings![0]).toEqual(handMade);
    expect(writes()).toHaveLength(1);

    // The cached report of the service was dropped: it shows the new accessor at once.
    const fresh = (await (
      await portal.request('GET', report('data-sharing-api'))
    ).json()) as AccessReportResponse;
    expect(fresh.services[0].accessors.map(a => a.member)).toContain(
      'user:newbie@example.com',
    );
    expect(fresh.services[0].coverage).toMatchObject({ covered: 2, total: 4 });

    // The app's history (the plugin's database) holds the applied change, not the preview.
    const history = (await (
      await portal.request('GET', `${report('data-sharing-api')}/history`)
    ).json()) as { items: Array<Record<string, unknown>> };
    expect(history.items.filter(e => e.kind === 'change')).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/data-sharing-api',
        service: service('data-sharing-api'),
        actor: 'user:default/lead',
        members: ['user:newbie@example.com'],
        detail: 'added user:newbie@example.com',
      }),
    ]);

    const audits = portal
      .auditEvents()
      .filter(e => e.eventId === 'cloud-run-iap-access-change');
    expect(audits.slice(-2)).toEqual([
      expect.objectContaining({
        meta: expect.objectContaining({
          entityRef: 'component:default/data-sharing-api',
          service: service('data-sharing-api'),
          dryRun: true,
          add: ['user:newbie@example.com'],
        }),
        outcome: 'success',
        outcomeMeta: expect.objectContaining({ applied: false }),
      }),
      expect.objectContaining({
        meta: expect.objectContaining({ dryRun: false }),
        outcome: 'success',
        outcomeMeta: expect.objectContaining({
          applied: true,
          membersAdded: ['user:newbie@example.com'],
          etag: now.etag,
        }),
      }),
    ]);
  });

  it('sets and clears the access levels of the managed grant, previewing the coverage', async () => {
    const body = {
      service: service('wiki-search'),
      add: ['user:levels@example.com'],
      accessLevels: [CORP_NETWORK],
    };
    const preview = (await (
      await post('wiki-search', { ...body, dryRun: true })
    ).json()) as AccessChangePreview;
    expect(preview.accessLevels).toEqual({ before: [], after: [CORP_NETWORK] });
    expect(preview.after.coverage.covered).toBeGreaterThan(
      preview.before.coverage.covered,
    );
    const applied = await post('wiki-search', { ...body, etag: preview.etag });
    expect(applied.status).toBe(200);
    const managed = (await policyOf('wiki-search')).bindings!.filter(
      b => b.condition?.title === 'Access levels (managed by Backstage)',
    );
    expect(managed).toEqual([
      expect.objectContaining({
        members: ['user:levels@example.com'],
        condition: expect.objectContaining({
          expression: `"${CORP_NETWORK}" in request.auth.access_levels`,
        }),
      }),
    ]);

    const unknown = await post('wiki-search', {
      service: service('wiki-search'),
      accessLevels: ['accessPolicies/555000000001/accessLevels/nowhere'],
      dryRun: true,
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toMatch(
      /accessLevels\[0\]: "accessPolicies\/555000000001\/accessLevels\/nowhere" is not an access level of accessPolicies\/555000000001.*valid levels: .*corp_network/,
    );

    const before = (await policyOf('wiki-search')).bindings;
    const cleared = (await (
      await post('wiki-search', {
        service: service('wiki-search'),
        accessLevels: null,
        dryRun: true,
      })
    ).json()) as AccessChangePreview;
    expect(cleared.accessLevels).toEqual({ before: [CORP_NETWORK], after: [] });
    expect(cleared.before.bindings).toEqual(before);
  });

  it('refuses to apply over a change made since the preview: 409 with a fresh preview, nothing lost', async () => {
    const body = {
      service: service('feature-flags'),
      add: ['user:first@example.com'],
    };
    const preview = (await (
      await post('feature-flags', { ...body, dryRun: true })
    ).json()) as AccessChangePreview;
    // Someone else changes the policy meanwhile (gcloud, another owner, an approval).
    await changeAccessors(
      google,
      iapResourceName(PROJECT_NUMBER, REGION, 'feature-flags'),
      { add: ['user:meanwhile@example.com'], remove: [] },
    );
    const changed = await policyOf('feature-flags');
    fake.clearRequests();

    const conflict = await post('feature-flags', {
      ...body,
      etag: preview.etag,
    });
    expect(conflict.status).toBe(409);
    const answer = (await conflict.json()) as {
      error: { name: string; message: string };
      response: { statusCode: number };
      preview: AccessChangePreview;
    };
    expect(answer.error.name).toBe('ConflictError');
    expect(answer.response.statusCode).toBe(409);
    expect(answer.error.message).toBe(
      `The access of ${service(
        'feature-flags',
      )} changed since you looked (the preview was of etag ${
        preview.etag
      }; the IAP policy now has etag ${
        changed.etag
      }). Review the new preview and apply again.`,
    );
    expect(answer.preview).toMatchObject({
      dryRun: true,
      applied: false,
      etag: changed.etag,
      before: { bindings: changed.bindings },
      added: ['user:first@example.com'],
    });
    const members = (bindings: IamBinding[] = []) =>
      bindings.flatMap(b => b.members);
    expect(members(answer.preview.after.bindings)).toEqual(
      expect.arrayContaining([
        'user:meanwhile@example.com',
        'user:first@example.com',
      ]),
    );
    expect(writes()).toEqual([]);
    expect(members((await policyOf('feature-flags')).bindings)).not.toContain(
      'user:first@example.com',
    );

    const again = await post('feature-flags', {
      ...body,
      etag: answer.preview.etag,
    });
    expect(again.status).toBe(200);
    expect(members((await policyOf('feature-flags')).bindings)).toEqual(
      expect.arrayContaining([
        'user:meanwhile@example.com',
        'user:first@example.com',
      ]),
    );
    const failed = portal
      .auditEvents()
      .filter(
        e =>
          e.eventId === 'cloud-run-iap-access-change' && e.outcome === 'fail',
      );
    expect(failed.at(-1)?.error).toMatch(/changed since you looked/);
  });

  it('answers 409 with a fresh preview when Google refuses the write as concurrent', async () => {
    const body = {
      service: service('feature-flags'),
      add: ['user:second@example.com'],
    };
    const preview = (await (
      await post('feature-flags', { ...body, dryRun: true })
    ).json()) as AccessChangePreview;
    fake.faults.add({ method: 'iap.setIamPolicy', status: 409, count: 1 });
    const conflict = await post('feature-flags', {
      ...body,
      etag: preview.etag,
    });
    expect(conflict.status).toBe(409);
    const answer = await conflict.json();
    expect(answer.error.message).toMatch(/changed since you looked/);
    expect(answer.preview.added).toEqual(['user:second@example.com']);
    expect(
      (await policyOf('feature-flags')).bindings!.flatMap(b => b.members),
    ).not.toContain('user:second@example.com');
  });

  it('lands 10 concurrent accessor changes of one service, losing no binding', async () => {
    const id = 'access-manager';
    const seeded = await policyOf(id);
    const members = Array.from(
      { length: 10 },
      (_, i) => `user:concurrent-${i}@example.com`,
    );
    /** What a UI does: preview, apply, and on a 409 apply again with the fresh preview. */
    const addThroughApi = async (member: string) => {
      const body = { service: service(id), add: [member] };
      const res = await post(id, { ...body, dryRun: true });
      let preview = (await res.json()) as AccessChangePreview;
      for (let attempt = 0; attempt < 20; attempt++) {
        const applied = await post(id, { ...body, etag: preview.etag });
        if (applied.status === 200) return;
        expect(applied.status).toBe(409);
        preview = ((await applied.json()) as { preview: AccessChangePreview })
          .preview;
      }
      throw new Error(`${member} was not added after 20 conflicts`);
    };
    await Promise.all(members.map(addThroughApi));

    const now = await policyOf(id);
    for (const binding of seeded.bindings!) {
      expect(now.bindings).toContainEqual(binding);
    }
    const managed = now.bindings!.filter(b => !b.condition);
    expect(managed).toHaveLength(1);
    expect([...managed[0].members].sort()).toEqual([...members].sort());
  });

  it('refuses to remove a grant the portal does not manage, saying how to change it', async () => {
    const res = await post('data-sharing-api', {
      service: service('data-sharing-api'),
      remove: ['user:ada@example.com'],
      dryRun: true,
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /remove\[0\]: user:ada@example.com is not granted by the portal's managed binding of .*data-sharing-api, so it cannot be removed here: roles\/iap.httpsResourceAccessor on the service, condition "UK only"\. Made by hand outside the portal: .*gcloud iap web remove-iam-policy-binding .*--member=user:ada@example.com/,
    );
    expect(writes()).toEqual([]);
  });

  it('needs a user (401) and cloud-run-iap.access.manage on the entity (403), before Google', async () => {
    const body = {
      service: service('data-sharing-api'),
      add: ['user:x@example.com'],
      dryRun: true,
    };
    const anonymous = await post('data-sharing-api', body, null);
    expect(anonymous.status).toBe(401);
    const denied = await post('data-sharing-api', body, REQUESTER);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.message).toBe(
      'You may not change the access of component:default/data-sharing-api (cloud-run-iap.access.manage)',
    );
    expect(fake.requests()).toEqual([]);
  });

  it('refuses a service whose recorded owner group is not the entity owner, dry runs too', async () => {
    const before = await policyOf('admin-console');
    fake.clearRequests();
    for (const body of [
      { dryRun: true },
      { dryRun: false, etag: before.etag },
    ]) {
      const res = await post('admin-console', {
        service: service('admin-console'),
        add: ['user:x@example.com'],
        ...body,
      });
      expect(res.status).toBe(403);
      const { error } = await res.json();
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toMatch(
        /^component:default\/admin-console is owned by group:default\/team-a in the catalog, but .*admin-console records "group:default\/team-b" as its owner \(backstage.io\/owner-group\)/,
      );
    }
    expect(writes()).toEqual([]);
    expect(
      fake
        .requests()
        .filter(r => (r.methodId ?? '').startsWith('iap.'))
        .map(r => r.methodId),
    ).toEqual([]);
    expect((await policyOf('admin-console')).etag).toBe(before.etag);
  });
});
