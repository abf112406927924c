import { AccessLevelStatus } from '../report/types';
import { buildAccessors, GrantSource, isContextRestricted } from './accessors';
import { analyzeCondition } from './conditions';
import {
  accessorBinding,
  CORP,
  orgLevel,
  policy,
  requires,
  SCOPED_POLICY,
} from './testFixtures';

const HOME = orgLevel('home');
const TYPO = orgLevel('crop');
const SCOPED = `${SCOPED_POLICY}/accessLevels/team`;
const levelStatus = new Map<string, AccessLevelStatus>([
  [CORP, 'valid'],
  [HOME, 'valid'],
  [TYPO, 'missing'],
  [SCOPED, 'scoped-policy'],
]);

const SERVICE = 'projects/1/iap_web/cloud_run-europe-west2/services/hello';

function accessorsFrom(...sources: GrantSource[]) {
  return buildAccessors({
    sources,
    organizationDomains: ['example.com'],
    project: { projectId: 'acme-apps', projectNumber: '1' },
    levelStatus,
  });
}

describe('isContextRestricted', () => {
  const restricted = (expression: string) =>
    isContextRestricted(analyzeCondition(expression), levelStatus);

  it('requires understood conditions needing only valid levels', () => {
    expect(restricted(requires(CORP))).toBe(true);
    expect(restricted(`${requires(CORP)} || ${requires(HOME)}`)).toBe(true);
    expect(restricted(`${requires(CORP)} && ${requires(HOME)}`)).toBe(true);
  });

  it('rejects missing, scoped and unresolved levels anywhere they can satisfy', () => {
    expect(restricted(requires(TYPO))).toBe(false);
    expect(restricted(requires(SCOPED))).toBe(false);
    expect(restricted(requires(orgLevel('unlisted')))).toBe(false);
    expect(restricted(`${requires(CORP)} || ${requires(SCOPED)}`)).toBe(false);
  });

  it('rejects conditions that do not require a level or are not understood', () => {
    expect(restricted(`${requires(CORP)} || true`)).toBe(false);
    expect(restricted(`!(${requires(CORP)})`)).toBe(false);
    expect(restricted('size(request.auth.access_levels) > 0')).toBe(false);
  });
});

describe('buildAccessors', () => {
  it('merges grants of the same member across levels, case-insensitively', () => {
    const accessors = accessorsFrom(
      {
        level: 'service',
        resource: SERVICE,
        policy: policy(accessorBinding(['user:Alice@example.com'], CORP)),
      },
      {
        level: 'project',
        resource: 'projects/acme-apps',
        policy: policy(accessorBinding(['user:alice@example.com'])),
      },
    );
    expect(accessors).toHaveLength(1);
    expect(accessors[0]).toMatchObject({
      member: 'user:Alice@example.com',
      kind: 'user',
      inOrganization: true,
      contextRestricted: false,
    });
    expect(
      accessors[0].grants.map(g => [g.level, g.resource, g.contextRestricted]),
    ).toEqual([
      ['service', SERVICE, true],
      ['project', 'projects/acme-apps', false],
    ]);
    expect(accessors[0].grants[0].condition).toEqual({
      expression: requires(CORP),
      title: 'level',
    });
    expect(accessors[0].grants[1].condition).toBeUndefined();
  });

  it('is restricted only when every grant is', () => {
    const [alice] = accessorsFrom(
      {
        level: 'service',
        resource: SERVICE,
        policy: policy(accessorBinding(['user:alice@example.com'], CORP)),
      },
      {
        level: 'region',
        resource: 'r',
        policy: policy(accessorBinding(['user:alice@example.com'], HOME)),
      },
    );
    expect(alice.contextRestricted).toBe(true);
  });

  it('only counts the IAP accessor role', () => {
    const accessors = accessorsFrom({
      level: 'project',
      resource: 'projects/acme-apps',
      policy: policy(
        { role: 'roles/owner', members: ['user:owner@example.com'] },
        { role: 'roles/editor', members: ['user:editor@example.com'] },
        { role: 'roles/iap.admin', members: ['user:admin@example.com'] },
        accessorBinding(['group:team@example.com']),
      ),
    });
    expect(accessors.map(a => a.member)).toEqual(['group:team@example.com']);
  });

  it('sorts by member and flags deleted principals', () => {
    const accessors = accessorsFrom({
      level: 'service',
      resource: SERVICE,
      policy: policy(
        accessorBinding([
          'user:zed@example.com',
          'deleted:user:old@example.com?uid=9',
          'allUsers',
        ]),
      ),
    });
    expect(accessors.map(a => [a.member, a.kind, a.deleted ?? false])).toEqual([
      ['allUsers', 'public', false],
      ['deleted:user:old@example.com?uid=9', 'unknown', true],
      ['user:zed@example.com', 'user', false],
    ]);
  });
});

describe('workforce identities in the report', () => {
  const staff =
    'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*';
  const partners =
    'principal://iam.googleapis.com/locations/global/workforcePools/partners/subject/jo';
  const sources: GrantSource[] = [
    {
      level: 'service',
      resource: SERVICE,
      policy: policy(accessorBinding([staff, partners])),
    },
  ];
  const inOrganization = (workforcePools?: string[]) =>
    Object.fromEntries(
      buildAccessors({
        sources,
        organizationDomains: ['example.com'],
        workforcePools,
        project: { projectId: 'acme-apps', projectNumber: '1' },
        levelStatus,
      }).map(a => [a.member, a.inOrganization]),
    );

  it('are inside the organization only for the configured pools', () => {
    expect(inOrganization(['staff'])).toEqual({
      [staff]: true,
      [partners]: 'unknown',
    });
    expect(inOrganization()).toEqual({
      [staff]: 'unknown',
      [partners]: 'unknown',
    });
  });
});
