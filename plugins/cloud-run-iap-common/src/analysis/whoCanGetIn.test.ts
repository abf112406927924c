/*
 * The rules of "who can really get in" (groups, custom roles, invoker roles, levels that restrict
 * nothing, sign-in, reachability, time-bound grants, org policies), each on plain data.
 */
import { GroupExpansion, GroupMemberRelation } from '../google/types';
import { ServiceAccessReport } from '../report/types';
import {
  buildServiceAccessReport,
  ServiceAccessInput,
} from './buildServiceReport';
import {
  buildPeopleReviewRows,
  buildReviewRows,
  reviewRowsToCsv,
} from './review';
import { simulateAccess } from './simulate';
import {
  accessorBinding,
  CORP,
  corpLevel,
  healthyInput,
  IAP_AGENT,
  orgLevel,
  policy,
  PROJECT_ID,
  PROJECT_NUMBER,
  ref,
  requires,
} from './testFixtures';

const NOW = '2026-12-01T12:00:00Z';

function user(email: string): GroupMemberRelation {
  return {
    member: `users/${email}`,
    preferredMemberKey: [{ id: email }],
    relationType: 'DIRECT',
    roles: [{ role: 'MEMBER' }],
  };
}

function nestedGroup(email: string): GroupMemberRelation {
  return {
    member: `groups/${email}`,
    preferredMemberKey: [{ id: email }],
    relationType: 'DIRECT',
  };
}

function expansion(
  groupKey: string,
  members: GroupMemberRelation[],
): GroupExpansion {
  return { groupKey, name: `groups/${groupKey}`, members };
}

function withInput(
  change: (input: ServiceAccessInput) => void,
): ServiceAccessReport {
  const input = healthyInput();
  input.now = NOW;
  change(input);
  return buildServiceAccessReport(input);
}

const finding = (report: ServiceAccessReport, id: string) =>
  report.findings.find(f => f.id === id);

describe('1. groups are people', () => {
  const groupInput = (input: ServiceAccessInput) => {
    input.iapPolicies.service = policy(
      accessorBinding(['user:alice@example.com'], CORP),
      accessorBinding(['group:eng@example.com']),
    );
    input.groups = {
      'eng@example.com': expansion('eng@example.com', [
        user('alice@example.com'),
        user('carol@example.com'),
        nestedGroup('contractors@example.com'),
        user('mallory@gmail.com'),
      ]),
    };
  };

  it('makes a user unrestricted when an unrestricted group grant also admits it, naming the grant', () => {
    const report = withInput(groupInput);
    const alice = report.accessors.find(
      a => a.member === 'user:alice@example.com',
    )!;
    expect(alice.grants.every(g => g.contextRestricted)).toBe(true);
    expect(alice.contextRestricted).toBe(false);
    expect(alice.unrestrictedThrough).toEqual({
      through: 'group:eng@example.com',
      level: 'service',
      resource: `projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2/services/hello`,
      role: 'roles/iap.httpsResourceAccessor',
      contextRestricted: false,
    });
    expect(report.coverage).toEqual({
      covered: 0,
      total: 3,
      ratio: 0,
      uncoveredMembers: [
        'user:alice@example.com',
        'user:carol@example.com',
        'user:mallory@gmail.com',
      ],
      unit: 'person',
    });
    expect(report.people?.map(p => [p.member, p.contextRestricted])).toEqual([
      ['user:alice@example.com', false],
      ['user:carol@example.com', false],
      ['user:mallory@gmail.com', false],
    ]);
  });

  it('counts a user restricted on every path as covered', () => {
    const report = withInput(input => {
      groupInput(input);
      input.iapPolicies.service = policy(
        accessorBinding(['user:alice@example.com'], CORP),
        accessorBinding(['group:eng@example.com'], CORP),
      );
    });
    expect(report.coverage).toMatchObject({
      covered: 3,
      total: 3,
      unit: 'person',
    });
    expect(report.accessors.every(a => a.contextRestricted)).toBe(true);
  });

  it('gives each group its size and its members outside the organization, as a finding', () => {
    const report = withInput(groupInput);
    const group = report.accessors.find(
      a => a.member === 'group:eng@example.com',
    )!;
    expect(group.group).toEqual({
      expanded: true,
      size: 3,
      nestedGroups: 1,
      externalMembers: ['user:mallory@gmail.com'],
      unknownMembers: 0,
    });
    const external = finding(report, 'GROUP_WITH_EXTERNAL_MEMBERS')!;
    expect(external.severity).toBe('high');
    expect(external.what).toContain(
      'group:eng@example.com (3 people, 1 outside: user:mallory@gmail.com)',
    );
    expect(external.fix.command).toBe(
      'gcloud identity groups memberships delete --group-email=eng@example.com --member-email=mallory@gmail.com',
    );
    expect(external.subjects).toEqual([
      'group:eng@example.com',
      'user:mallory@gmail.com',
    ]);
  });

  it('caps the removal commands of a large group at 25, saying so', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['group:big@example.com'], CORP),
      );
      input.groups = {
        'big@example.com': expansion(
          'big@example.com',
          Array.from({ length: 30 }, (_, i) => user(`p${i}@gmail.com`)),
        ),
      };
    });
    const external = finding(report, 'GROUP_WITH_EXTERNAL_MEMBERS')!;
    expect(external.fix.command?.split('\n')).toHaveLength(25);
    expect(external.fix.text).toContain(
      'The commands cover the first 25 of 30 outside members.',
    );
    expect(report.coverage).toMatchObject({ covered: 30, total: 30 });
  });

  it('resolves the simulated member through its groups', () => {
    const report = withInput(groupInput);
    const carol = simulateAccess(
      { services: [report] },
      { member: 'user:carol@example.com', ip: '34.1.2.3' },
    ).services[0];
    expect(carol.accessors).toEqual([
      expect.objectContaining({
        member: 'group:eng@example.com',
        decision: 'allow',
      }),
    ]);
    const stranger = simulateAccess(
      { services: [report] },
      { member: 'user:zed@example.com' },
    ).services[0];
    expect(stranger.accessors).toEqual([]);
    expect(stranger.notes).toContain(
      'user:zed@example.com holds no grant on this service: IAP denies it.',
    );
  });

  it('expands review rows to people, in CSV too', () => {
    const report = withInput(groupInput);
    const entity = {
      entityRef: 'component:default/hello',
      services: [report],
      fetchedAt: NOW,
      fromCache: false,
    };
    expect(buildReviewRows(entity).map(r => r.member)).toEqual([
      'group:eng@example.com',
      'user:alice@example.com',
    ]);
    const rows = buildPeopleReviewRows(entity);
    expect(rows.map(r => [r.member, r.via, r.restriction])).toEqual([
      [
        'user:alice@example.com',
        ['user:alice@example.com', 'group:eng@example.com'],
        'unrestricted',
      ],
      ['user:carol@example.com', ['group:eng@example.com'], 'unrestricted'],
      ['user:mallory@gmail.com', ['group:eng@example.com'], 'unrestricted'],
    ]);
    expect(rows[2].inOrganization).toBe(false);
    expect(rows[2].topFinding?.id).toBe('GROUP_WITH_EXTERNAL_MEMBERS');
    const csv = reviewRowsToCsv(rows, { expand: 'people' });
    expect(csv.split('\r\n')[0]).toBe(
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity,via,expiresAt',
    );
    expect(csv.split('\r\n')[1]).toMatch(
      /^component:default\/hello,.*,user:alice@example\.com,user,true,service,unrestricted,.*,user:alice@example\.com group:eng@example\.com,$/,
    );
  });

  it('falls back to the per-member view with a note when the Groups API is not permitted', () => {
    const report = withInput(input => {
      groupInput(input);
      input.groups = { error: 'PERMISSION_DENIED' };
    });
    expect(report.people).toBeUndefined();
    expect(report.coverage).toMatchObject({
      covered: 1,
      total: 2,
      unit: 'accessor',
    });
    expect(report.notes).toContainEqual({
      source: 'groups',
      message:
        'group members not readable (PERMISSION_DENIED): groups are shown as single accessors, not expanded to people',
    });
    expect(finding(report, 'GROUP_WITH_EXTERNAL_MEMBERS')).toBeUndefined();
  });

  it('counts a group it could not expand as one accessor, with a note', () => {
    const report = withInput(input => {
      groupInput(input);
      input.groups = { 'eng@example.com': { error: 'NOT_FOUND' } };
    });
    expect(report.accessors.find(a => a.kind === 'group')?.group).toMatchObject(
      { expanded: false, error: 'NOT_FOUND' },
    );
    expect(report.coverage).toMatchObject({
      covered: 1,
      total: 2,
      uncoveredMembers: ['group:eng@example.com'],
      unit: 'person',
    });
    expect(report.notes).toContainEqual({
      source: 'groups',
      message:
        'members of group:eng@example.com not readable: NOT_FOUND; counted as one accessor',
    });
  });
});

describe('2. custom roles', () => {
  const CUSTOM = `projects/${PROJECT_ID}/roles/appViewer`;
  const ORG_CUSTOM = 'organizations/42/roles/iapUser';

  it('counts any role carrying accessViaIAP, custom at project and organization level', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        { role: CUSTOM, members: ['user:dan@example.com'] },
        { role: 'roles/viewer', members: ['user:vic@example.com'] },
      );
      input.resourcePolicies[1].policy = policy({
        role: ORG_CUSTOM,
        members: ['user:olga@example.com'],
      });
      input.roles = {
        [CUSTOM]: {
          name: CUSTOM,
          includedPermissions: ['iap.webServiceVersions.accessViaIAP'],
        },
        [ORG_CUSTOM]: {
          name: ORG_CUSTOM,
          includedPermissions: [
            'iap.webServiceVersions.accessViaIAP',
            'run.services.get',
          ],
        },
        'roles/viewer': {
          name: 'roles/viewer',
          includedPermissions: ['run.services.get'],
        },
      };
    });
    expect(report.accessors.map(a => [a.member, a.grants[0].role])).toEqual([
      ['user:dan@example.com', CUSTOM],
      ['user:olga@example.com', ORG_CUSTOM],
    ]);
    expect(report.notes).toEqual([]);
  });

  it('ignores a deleted or disabled custom role, and notes an unread one', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        { role: CUSTOM, members: ['user:dan@example.com'] },
        { role: ORG_CUSTOM, members: ['user:olga@example.com'] },
      );
      input.roles = {
        [CUSTOM]: {
          name: CUSTOM,
          includedPermissions: ['iap.webServiceVersions.accessViaIAP'],
          stage: 'DISABLED',
        },
      };
    });
    expect(report.accessors).toEqual([]);
    expect(report.notes).toContainEqual({
      source: 'roles',
      message: `custom role definitions not read: ${ORG_CUSTOM}; they are not counted as granting access or invoke`,
    });
  });
});

describe('3. invoker roles', () => {
  it('accepts any role carrying run.routes.invoke for the IAP agent, at any level', () => {
    const report = withInput(input => {
      input.runPolicy = policy();
      input.resourcePolicies[1].policy = policy({
        role: 'roles/run.servicesInvoker',
        members: [IAP_AGENT],
      });
    });
    expect(report.runInvoker.iapAgentIsInvoker).toBe(true);
    expect(finding(report, 'IAP_AGENT_NOT_INVOKER')).toBeUndefined();
  });

  it('accepts a custom invoker role from the definitions', () => {
    const CUSTOM = `projects/${PROJECT_ID}/roles/caller`;
    const report = withInput(input => {
      input.runPolicy = policy({ role: CUSTOM, members: [IAP_AGENT] });
      input.roles = {
        [CUSTOM]: { name: CUSTOM, includedPermissions: ['run.routes.invoke'] },
      };
    });
    expect(report.runInvoker.iapAgentIsInvoker).toBe(true);
  });

  it('raises PUBLIC_INVOKER for allUsers holding run.developer on a folder', () => {
    const report = withInput(input => {
      input.resourcePolicies.splice(1, 0, {
        level: 'folder',
        resource: 'folders/7',
        policy: policy({ role: 'roles/run.developer', members: ['allUsers'] }),
      });
    });
    const publicInvoker = finding(report, 'PUBLIC_INVOKER')!;
    expect(publicInvoker.what).toBe(
      'allUsers (roles/run.developer on folders/7): a role carrying run.routes.invoke lets anyone call the service.',
    );
    expect(publicInvoker.fix.command).toBe(
      'gcloud resource-manager folders remove-iam-policy-binding 7 --member=allUsers --role=roles/run.developer',
    );
  });

  it('lists who can call the service directly when IAP is off', () => {
    const report = withInput(input => {
      input.service.iapEnabled = false;
    });
    expect(report.runInvoker.directCallers).toEqual({
      reason: 'iap-off',
      anyone: false,
      callers: [
        {
          member: IAP_AGENT,
          role: 'roles/run.invoker',
          level: 'service',
          resource: ref.name,
          conditional: false,
        },
        {
          member: 'user:bob@example.com',
          role: 'roles/owner',
          level: 'project',
          resource: `projects/${PROJECT_ID}`,
          conditional: false,
        },
      ],
      summary:
        'IAP is off: 2 member(s) holding a role with run.routes.invoke can call the service directly with an identity token.',
    });
  });

  it('says anyone can call when IAP is off and the invoker check is disabled', () => {
    const report = withInput(input => {
      input.service.iapEnabled = false;
      input.service.invokerIamDisabled = true;
    });
    expect(report.runInvoker.directCallers).toMatchObject({
      reason: 'iap-off-and-invoker-check-disabled',
      anyone: true,
    });
  });

  it('lists no direct callers with IAP on and the invoker check on', () => {
    expect(withInput(() => undefined).runInvoker.directCallers).toBeUndefined();
  });
});

describe('4. levels that restrict nothing', () => {
  const ANYWHERE = orgLevel('anywhere');

  it('does not count a level of 0.0.0.0/0 and ::/0 as a restriction, with a finding', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['user:alice@example.com'], ANYWHERE),
      );
      input.organizationPolicy = {
        policy: { name: 'accessPolicies/555' },
        levels: [
          corpLevel(),
          {
            name: ANYWHERE,
            basic: { conditions: [{ ipSubnetworks: ['0.0.0.0/0', '::/0'] }] },
          },
        ],
      };
    });
    expect(report.accessLevels[0]).toMatchObject({
      name: ANYWHERE,
      status: 'valid',
      restrictsNothing: true,
      restrictsNothingReason: 'its IP ranges include 0.0.0.0/0 and ::/0',
    });
    expect(report.accessors[0].grants[0]).toMatchObject({
      contextRestricted: false,
      levelsRestrictingNothing: [ANYWHERE],
    });
    expect(report.coverage.covered).toBe(0);
    const nothing = finding(report, 'ACCESS_LEVEL_RESTRICTS_NOTHING')!;
    expect(nothing.severity).toBe('high');
    expect(nothing.what).toContain('user:alice@example.com');
    expect(nothing.fix.command).toBe(
      'gcloud access-context-manager levels describe anywhere --policy=555',
    );
    expect(finding(report, 'NO_CONTEXT_AWARE_ACCESS')).toBeDefined();
  });

  it('recognises a custom level `true` and a level listing every region', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['user:a@example.com'], orgLevel('yes')),
        accessorBinding(['user:b@example.com'], orgLevel('world')),
        accessorBinding(['user:c@example.com'], CORP),
      );
      input.organizationPolicy = {
        policy: { name: 'accessPolicies/555' },
        levels: [
          corpLevel(),
          { name: orgLevel('yes'), custom: { expr: { expression: ' true ' } } },
          {
            name: orgLevel('world'),
            basic: {
              conditions: [
                {
                  regions:
                    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'.split(
                      ' ',
                    ),
                },
              ],
            },
          },
        ],
      };
    });
    const byName = new Map(report.accessLevels.map(l => [l.shortName, l]));
    expect(byName.get('yes')?.restrictsNothingReason).toBe(
      'its custom expression `true` is always true',
    );
    expect(byName.get('world')?.restrictsNothingReason).toBe(
      'it lists every region',
    );
    expect(byName.get('corp')?.restrictsNothing).toBeUndefined();
    expect(report.coverage).toMatchObject({
      covered: 1,
      total: 3,
      uncoveredMembers: ['user:a@example.com', 'user:b@example.com'],
    });
  });

  it('keeps a level that misses one region, or only covers IPv4, as a restriction', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['user:a@example.com'], orgLevel('v4')),
      );
      input.organizationPolicy = {
        policy: { name: 'accessPolicies/555' },
        levels: [
          {
            name: orgLevel('v4'),
            basic: { conditions: [{ ipSubnetworks: ['0.0.0.0/0'] }] },
          },
        ],
      };
    });
    expect(report.accessLevels[0].restrictsNothing).toBeUndefined();
    expect(report.coverage.covered).toBe(1);
  });

  it('notes that a simulated private client IP never matches an IP condition', () => {
    const report = withInput(() => undefined);
    const simulation = simulateAccess(
      { services: [report] },
      { ip: '192.168.1.20' },
    ).services[0];
    expect(simulation.notes).toContainEqual(
      expect.stringContaining(
        'Access Context Manager refuses private ranges in access levels',
      ),
    );
    const publicIp = simulateAccess({ services: [report] }, { ip: '34.1.2.3' })
      .services[0];
    expect(publicIp.notes).toEqual([]);
  });
});

describe('5. who can sign in', () => {
  const SERVICE_SETTINGS = `projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2/services/hello`;
  const externalGrant = (input: ServiceAccessInput) => {
    input.iapPolicies.service = policy(
      accessorBinding(['user:alice@example.com'], CORP),
      accessorBinding(['user:eve@gmail.com'], CORP),
    );
  };

  it('blocks outside identities with the Google-managed OAuth client: EXTERNAL_ACCESSOR is low', () => {
    const report = withInput(input => {
      externalGrant(input);
      input.iapSettingsByLevel = [
        { level: 'organization', resource: 'organizations/42', settings: {} },
        {
          level: 'project',
          resource: `projects/${PROJECT_NUMBER}`,
          settings: {},
        },
        { level: 'service', resource: SERVICE_SETTINGS, settings: {} },
      ];
    });
    expect(report.iapSettings).toMatchObject({
      oauthClient: 'google-managed',
      externalSignIn: 'blocked',
    });
    const external = finding(report, 'EXTERNAL_ACCESSOR')!;
    expect(external.severity).toBe('low');
    expect(external.what).toBe(
      "user:eve@gmail.com is outside the organization's domains and holds access, but cannot sign in today.",
    );
    const eve = simulateAccess(
      { services: [report] },
      { member: 'user:eve@gmail.com', ip: '10.1.2.3' },
    ).services[0];
    expect(eve.accessors[0].decision).toBe('deny');
    expect(eve.notes[0]).toContain('Google-managed OAuth client');
  });

  it('lets them sign in with a custom OAuth client set above the service: EXTERNAL_ACCESSOR is high', () => {
    const report = withInput(input => {
      externalGrant(input);
      input.iapSettingsByLevel = [
        { level: 'service', resource: SERVICE_SETTINGS, settings: {} },
        {
          level: 'folder',
          resource: 'folders/7',
          settings: {
            accessSettings: { oauthSettings: { clientId: 'abc.apps' } },
          },
        },
      ];
    });
    expect(report.iapSettings).toMatchObject({
      oauthClient: 'custom',
      oauthClientId: 'abc.apps',
      externalSignIn: 'possible',
      setAt: { oauthClient: 'folders/7' },
    });
    expect(finding(report, 'EXTERNAL_ACCESSOR')?.severity).toBe('high');
  });

  it('merges settings field by field, the nearest level winning, and shows re-authentication', () => {
    const report = withInput(input => {
      input.iapSettingsByLevel = [
        {
          level: 'organization',
          resource: 'organizations/42',
          settings: {
            accessSettings: {
              allowedDomainsSettings: {
                enable: true,
                domains: ['example.com'],
              },
              reauthSettings: { method: 'LOGIN', maxAge: '3600s' },
            },
          },
        },
        {
          level: 'iap_web',
          resource: `projects/${PROJECT_NUMBER}/iap_web`,
          settings: {
            accessSettings: { reauthSettings: { maxAge: '600s' } },
          },
        },
        { level: 'service', resource: SERVICE_SETTINGS, settings: {} },
      ];
    });
    expect(report.iapSettings).toMatchObject({
      allowedDomains: { enabled: true, domains: ['example.com'] },
      reauth: { method: 'LOGIN', maxAge: '600s' },
      setAt: {
        allowedDomains: 'organizations/42',
        reauth: `projects/${PROJECT_NUMBER}/iap_web`,
      },
    });
  });

  it('applies allowedDomainsSettings in the simulation', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['user:sam@sub.example.com']),
      );
      input.iapSettingsByLevel = [
        {
          level: 'project',
          resource: `projects/${PROJECT_NUMBER}`,
          settings: {
            accessSettings: {
              allowedDomainsSettings: {
                enable: true,
                domains: ['example.com'],
              },
            },
          },
        },
      ];
    });
    const sam = simulateAccess(
      { services: [report] },
      { member: 'user:sam@sub.example.com' },
    ).services[0];
    expect(sam.accessors[0].decision).toBe('deny');
    expect(sam.notes).toContain(
      "IAP's allowed domains (example.com) do not include sub.example.com: user:sam@sub.example.com cannot sign in.",
    );
  });

  it('says the OAuth client is unknown when a level above could not be read, keeping EXTERNAL_ACCESSOR high', () => {
    const report = withInput(input => {
      externalGrant(input);
      input.iapSettingsByLevel = [
        {
          level: 'organization',
          resource: 'organizations/42',
          settings: { error: 'PERMISSION_DENIED' },
        },
        { level: 'service', resource: SERVICE_SETTINGS, settings: {} },
      ];
    });
    expect(report.iapSettings.externalSignIn).toBe('unknown');
    expect(finding(report, 'EXTERNAL_ACCESSOR')?.severity).toBe('high');
    expect(report.notes).toContainEqual({
      source: 'iap-settings',
      message:
        'IAP settings of organizations/42 (organization) not readable: PERMISSION_DENIED',
    });
  });
});

describe('6. reachability', () => {
  it('is not reachable from the internet with internal ingress', () => {
    const report = withInput(input => {
      input.service.ingress = 'INGRESS_TRAFFIC_INTERNAL_ONLY';
    });
    expect(report.reachability).toMatchObject({ fromInternet: 'no' });
    const simulation = simulateAccess(
      { services: [report] },
      { ip: '34.1.2.3' },
    ).services[0];
    expect(simulation.reachability).toEqual({
      reachable: false,
      reason: expect.stringMatching(
        /^Not reachable from the internet at 34\.1\.2\.3: Ingress is internal/,
      ),
    });
  });

  it('reaches only through a load balancer with internal-and-cloud-load-balancing or no default URL', () => {
    expect(
      withInput(input => {
        input.service.ingress = 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER';
      }).reachability?.fromInternet,
    ).toBe('load-balancer-only');
    const noUrl = withInput(input => {
      input.service.defaultUriDisabled = true;
    });
    expect(noUrl.reachability).toMatchObject({
      fromInternet: 'load-balancer-only',
      defaultUri: false,
    });
    expect(
      simulateAccess({ services: [noUrl] }, { ip: '34.1.2.3' }).services[0]
        .reachability?.reachable,
    ).toBe(false);
  });

  it('is reachable with ingress all', () => {
    const report = withInput(() => undefined);
    expect(report.reachability?.fromInternet).toBe('direct');
    expect(
      simulateAccess({ services: [report] }, { ip: '34.1.2.3' }).services[0]
        .reachability,
    ).toMatchObject({ reachable: true });
  });

  it('says a perimeter also guards invocations of the run.app URL', () => {
    const report = withInput(input => {
      input.perimeters = [];
    });
    expect(finding(report, 'NOT_IN_PERIMETER')?.why).toContain(
      'guards both the Cloud Run admin API and invocations of the service (its run.app URL and custom domains)',
    );
  });
});

describe('7. time-bound grants', () => {
  const until = (at: string) =>
    `${requires(CORP)} && request.time < timestamp("${at}")`;

  it('shows the expiry of a grant', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy({
        role: 'roles/iap.httpsResourceAccessor',
        members: ['user:alice@example.com'],
        condition: { expression: until('2027-06-30T00:00:00Z') },
      });
    });
    const grant = report.accessors[0].grants[0];
    expect(grant).toMatchObject({
      expiresAt: '2027-06-30T00:00:00Z',
      contextRestricted: true,
    });
    expect(grant.expired).toBeUndefined();
    expect(grant.conditionAnalysis.summary).toBe(
      'Requires access level corp; expires 2027-06-30T00:00:00Z',
    );
    expect(report.findings).toEqual([]);
  });

  it('gives no access through an expired grant, marked expired, with a finding to remove it', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy(
        accessorBinding(['user:alice@example.com'], CORP),
        {
          role: 'roles/iap.httpsResourceAccessor',
          members: ['user:old@example.com'],
          condition: {
            expression: 'request.time < timestamp("2026-11-01T00:00:00Z")',
          },
        },
      );
    });
    const old = report.accessors.find(
      a => a.member === 'user:old@example.com',
    )!;
    expect(old.expired).toBe(true);
    expect(old.grants[0].expired).toBe(true);
    expect(report.coverage).toMatchObject({ covered: 1, total: 1 });
    const expired = finding(report, 'EXPIRED_GRANT')!;
    expect(expired.what).toContain(
      'user:old@example.com (expired 2026-11-01T00:00:00Z)',
    );
    expect(expired.fix.command).toContain(
      'gcloud iap web remove-iam-policy-binding --resource-type=cloud-run',
    );
    expect(finding(report, 'NO_CONTEXT_AWARE_ACCESS')).toBeUndefined();
    expect(
      buildReviewRows({
        entityRef: 'component:default/hello',
        services: [report],
        fetchedAt: NOW,
        fromCache: false,
      }).map(row => row.member),
    ).toEqual(['user:alice@example.com']);
    const simulated = simulateAccess(
      { services: [report] },
      { member: 'user:old@example.com' },
    ).services[0];
    expect(simulated.accessors[0].decision).toBe('deny');
  });

  it('flags a grant expiring within 7 days', () => {
    const report = withInput(input => {
      input.iapPolicies.service = policy({
        role: 'roles/iap.httpsResourceAccessor',
        members: ['user:alice@example.com'],
        condition: { expression: until('2026-12-05T00:00:00Z') },
      });
    });
    expect(report.accessors[0].grants[0].expiresSoon).toBe(true);
    expect(finding(report, 'GRANT_EXPIRES_SOON')).toMatchObject({
      severity: 'info',
      subjects: ['user:alice@example.com'],
    });
  });
});

describe('8. domain restricted sharing', () => {
  it('shows the effective policies and says nothing stops outside members when not enforced', () => {
    const report = withInput(input => {
      input.orgPolicies = {
        allowedPolicyMemberDomains: {
          name: `projects/${PROJECT_NUMBER}/policies/iam.allowedPolicyMemberDomains`,
          spec: { rules: [{ allowAll: true }] },
        },
        allowedIngress: {
          name: `projects/${PROJECT_NUMBER}/policies/run.allowedIngress`,
          spec: { rules: [{ values: { allowedValues: ['is:internal'] } }] },
        },
      };
    });
    expect(report.orgPolicies?.allowedPolicyMemberDomains).toMatchObject({
      read: true,
      enforced: false,
      summary:
        'iam.allowedPolicyMemberDomains is not enforced: every value is allowed.',
    });
    expect(report.orgPolicies?.allowedIngress).toMatchObject({
      enforced: true,
      allowedValues: ['is:internal'],
      summary: 'run.allowedIngress allows only is:internal.',
    });
    expect(finding(report, 'DOMAIN_RESTRICTED_SHARING_OFF')?.why).toBe(
      'Nothing stops an outside member (a personal account, another organization, allUsers) from being granted access to this app: only the review catches it.',
    );
  });

  it('raises nothing when enforced, and notes an unreadable policy', () => {
    const report = withInput(input => {
      input.orgPolicies = {
        allowedPolicyMemberDomains: {
          spec: { rules: [{ values: { allowedValues: ['C0abc123'] } }] },
        },
        allowedIngress: { error: 'PERMISSION_DENIED' },
      };
    });
    expect(finding(report, 'DOMAIN_RESTRICTED_SHARING_OFF')).toBeUndefined();
    expect(report.notes).toContainEqual({
      source: 'org-policy',
      message: 'run.allowedIngress could not be read (PERMISSION_DENIED).',
    });
  });
});
