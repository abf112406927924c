import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  AccessReportResponse,
  declaredAccessChange,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { demoSeedLinkedTo } from './__testUtils__/seeds';
import {
  PluginTestBackend,
  startPluginTestBackend,
} from './__testUtils__/testBackend';
import type { AccessChangePreview } from './services/AccessChangeService';

jest.setTimeout(180_000);

/*
 * Declared access (issue 16 §2) through the HTTP API against the fake: the catalog's
 * google.com/iap-accessors and google.com/iap-access-levels against the demo seed's grants,
 * applied through the change API with its preview, and gone from the next report.
 */

const REGION = 'europe-west2';
const CORP_NETWORK = 'accessPolicies/555000000001/accessLevels/corp_network';
const service = (id: string) =>
  `projects/acme-internal-apps/locations/${REGION}/services/${id}`;
const report = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`;

const seed = () =>
  demoSeedLinkedTo(({ id }) => ({
    entityRef: `component:default/${id}`,
    ownerGroup: 'group:default/team-a',
  }));

describe('declared access against the fake', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  const reportOf = async (name: string, refresh = false) => {
    const res = await portal.request(
      'GET',
      `${report(name)}${refresh ? '?refresh=true' : ''}`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as AccessReportResponse).services[0];
  };

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: seed() });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [
        {
          // Seeded: group:project-x@ in the unconditional (managed) binding, no levels.
          name: 'team-directory',
          annotation: service('team-directory'),
          annotations: {
            'google.com/iap-accessors':
              'group:engineering@example.com, user:contractor@partner-agency.com, allUsers',
            'google.com/iap-access-levels': 'corp_network',
          },
        },
        {
          // Seeded: group:product@ and user:ada@ in hand-made conditional bindings.
          name: 'feature-flags',
          annotation: service('feature-flags'),
          annotations: {
            'google.com/iap-accessors': 'group:product@example.com',
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  it('finds the drift, applies the declared state through /access/changes, and the next report has none', async () => {
    const before = await reportOf('team-directory');
    expect(before.declaredAccess).toEqual({
      declared: {
        members: ['group:engineering@example.com'],
        accessLevels: [CORP_NETWORK],
      },
      grantedNotDeclared: [
        {
          member: 'group:project-x@example.com',
          grants: [
            {
              kind: 'managed',
              grant: 'roles/iap.httpsResourceAccessor on the service',
            },
          ],
        },
      ],
      declaredNotGranted: ['group:engineering@example.com'],
      accessLevels: { declared: [CORP_NETWORK], granted: [] },
      rejected: [
        expect.objectContaining({
          field: 'google.com/iap-accessors[1]',
          kind: 'external',
        }),
        expect.objectContaining({
          field: 'google.com/iap-accessors[2]',
          kind: 'public',
        }),
      ],
    });
    const ids = before.findings.map(f => f.id);
    expect(ids).toContain('ACCESS_DRIFT');
    expect(ids).toContain('DECLARED_ACCESS_REJECTED');

    const change = declaredAccessChange(before.declaredAccess!)!;
    expect(change).toEqual({
      add: ['group:engineering@example.com'],
      remove: ['group:project-x@example.com'],
      accessLevels: [CORP_NETWORK],
    });
    const changes = `${report('team-directory')}/changes`;
    const previewed = await portal.request('POST', changes, {
      body: { service: service('team-directory'), ...change, dryRun: true },
    });
    expect(previewed.status).toBe(200);
    const preview = (await previewed.json()) as AccessChangePreview;
    expect(preview).toMatchObject({
      added: ['group:engineering@example.com'],
      removed: ['group:project-x@example.com'],
      accessLevels: { before: [], after: [CORP_NETWORK] },
    });

    const applied = await portal.request('POST', changes, {
      body: {
        service: service('team-directory'),
        ...change,
        etag: preview.etag,
      },
    });
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as AccessChangePreview).applied).toBe(true);

    const after = await reportOf('team-directory', true);
    expect(after.declaredAccess).toMatchObject({
      grantedNotDeclared: [],
      declaredNotGranted: [],
    });
    expect(after.declaredAccess?.accessLevels).toBeUndefined();
    expect(after.findings.map(f => f.id)).not.toContain('ACCESS_DRIFT');
    // The refused members stay a finding of their own, never applied.
    expect(after.findings.map(f => f.id)).toContain('DECLARED_ACCESS_REJECTED');
    expect(after.accessors.map(a => a.member)).not.toContain('allUsers');
  });

  it('lists hand-made grants with how to change them, and leaves them out of the change', async () => {
    const flags = await reportOf('feature-flags');
    expect(flags.declaredAccess?.grantedNotDeclared).toEqual([
      {
        member: 'user:ada@example.com',
        grants: [
          expect.objectContaining({
            kind: 'hand-made',
            howToChange: expect.stringContaining(
              'Made by hand outside the portal',
            ),
          }),
        ],
      },
    ]);
    const drift = flags.findings.find(f => f.id === 'ACCESS_DRIFT');
    expect(drift?.fix.command).toContain(
      'gcloud iap web remove-iam-policy-binding',
    );
    expect(declaredAccessChange(flags.declaredAccess!)).toBeUndefined();
  });
});
