import { accessLevelsCondition } from '../iam/managedBindings';
import { timeBoundBinding } from '../iam/timeBoundBindings';
import type { IamBinding } from '../google/types';
import type { MemberPolicy } from '../members/grantableMembers';
import { buildServiceAccessReport } from './buildServiceReport';
import {
  declaredAccessChange,
  declaredAccessDrift,
  DeclaredLevelsContext,
  parseDeclaredAccess,
  withDeclaredAccess,
} from './declaredAccess';
import {
  ACCESSOR_ROLE,
  CORP,
  corpLevel,
  healthyInput,
  ORG_POLICY,
  orgLevel,
  policy,
  SCOPED_POLICY,
} from './testFixtures';

const members: MemberPolicy = {
  domains: ['example.com'],
  allowExternalMembers: false,
  ownProjectIds: ['acme-apps'],
};
const levels: DeclaredLevelsContext = {
  organizationPolicy: {
    policy: { name: ORG_POLICY, parent: 'organizations/42', title: 'org' },
    levels: [corpLevel(), { name: orgLevel('office'), title: 'Office' }],
  },
  scopedPolicies: [
    {
      policy: { name: SCOPED_POLICY, scopes: ['projects/1'], title: 'scoped' },
      levels: [{ name: `${SCOPED_POLICY}/accessLevels/lab`, title: 'Lab' }],
    },
  ],
};

const declare = (annotations: Record<string, string>) =>
  parseDeclaredAccess(annotations, members, levels)!;

function reportOf(...bindings: IamBinding[]) {
  const input = healthyInput();
  input.iapPolicies.service = policy(...bindings);
  input.iapPolicies.project = policy({
    role: ACCESSOR_ROLE,
    members: ['group:everyone@example.com'],
  });
  return buildServiceAccessReport({ ...input, now: '2027-01-01T00:00:00Z' });
}

const managed = (granted: string[], levelNames: string[] = [CORP]) => ({
  role: ACCESSOR_ROLE,
  members: granted,
  condition: accessLevelsCondition(levelNames),
});
const handMade: IamBinding = {
  role: ACCESSOR_ROLE,
  members: ['user:hand@example.com'],
  condition: {
    title: 'Office hours',
    expression: `"${CORP}" in request.auth.access_levels`,
  },
};

describe('parseDeclaredAccess', () => {
  it('declares nothing without the annotations', () => {
    expect(parseDeclaredAccess({}, members, levels)).toBeUndefined();
    expect(parseDeclaredAccess(undefined, members, levels)).toBeUndefined();
  });

  it('trims comma-separated members, drops empty entries and duplicates', () => {
    expect(
      declare({
        'google.com/iap-accessors':
          ' user:alice@example.com ,group:eng@example.com,, USER:Alice@example.com,',
      }),
    ).toEqual({
      members: ['user:alice@example.com', 'group:eng@example.com'],
      refusedMembers: [],
      rejected: [
        {
          field: 'google.com/iap-accessors[2]',
          value: 'USER:Alice@example.com',
          kind: 'invalid',
          problem: expect.stringContaining('must be user:EMAIL'),
        },
      ],
    });
  });

  it('rejects bad syntax, public and outside members by the rules of the actions', () => {
    const declared = declare({
      'google.com/iap-accessors':
        'user:not-an-email,allUsers,user:eve@evil.test,user:bob@example.com',
    });
    expect(declared.members).toEqual(['user:bob@example.com']);
    expect(declared.refusedMembers).toEqual(['allUsers', 'user:eve@evil.test']);
    expect(declared.rejected.map(r => [r.field, r.kind])).toEqual([
      ['google.com/iap-accessors[0]', 'invalid'],
      ['google.com/iap-accessors[1]', 'public'],
      ['google.com/iap-accessors[2]', 'external'],
    ]);
    expect(declared.rejected[2].problem).toContain(
      "outside the organisation's domains (example.com)",
    );
  });

  it('declares nobody with an empty accessors annotation', () => {
    expect(declare({ 'google.com/iap-accessors': '' }).members).toEqual([]);
  });

  it('resolves short and full level names in the organisation policy, sorted', () => {
    expect(
      declare({
        'google.com/iap-access-levels': `office, ${CORP}, corp`,
      }).accessLevels,
    ).toEqual([CORP, orgLevel('office')]);
  });

  it('rejects missing, scoped and malformed levels and then declares no levels', () => {
    const declared = declare({
      'google.com/iap-access-levels': 'corp,nowhere,lab,bad name',
    });
    expect(declared.accessLevels).toBeUndefined();
    expect(declared.rejected.map(r => [r.field, r.problem])).toEqual([
      [
        'google.com/iap-access-levels[1]',
        'does not exist in accessPolicies/555; valid levels: corp, office',
      ],
      [
        'google.com/iap-access-levels[2]',
        expect.stringContaining(
          'comes from a scoped access policy (accessPolicies/777)',
        ),
      ],
      [
        'google.com/iap-access-levels[3]',
        expect.stringContaining("must be an access level's name"),
      ],
    ]);
  });

  it('keeps full level names but cannot resolve short ones when the policy is unreadable', () => {
    const declared = parseDeclaredAccess(
      { 'google.com/iap-access-levels': `${CORP},office` },
      members,
      { organizationPolicy: { error: 'PERMISSION_DENIED' } },
    )!;
    expect(declared.rejected).toEqual([
      expect.objectContaining({
        field: 'google.com/iap-access-levels[1]',
        problem: expect.stringContaining(
          "the organisation's access policy could not be read (PERMISSION_DENIED)",
        ),
      }),
    ]);
  });
});

describe('declaredAccessDrift', () => {
  it('finds no drift when the grants are what the catalog declares', () => {
    const report = reportOf(managed(['user:alice@example.com']));
    const drift = declaredAccessDrift(
      declare({
        'google.com/iap-accessors':
          'user:alice@example.com,group:everyone@example.com',
        'google.com/iap-access-levels': 'corp',
      }),
      report,
    );
    expect(drift).toEqual({
      declared: {
        members: ['user:alice@example.com', 'group:everyone@example.com'],
        accessLevels: [CORP],
      },
      grantedNotDeclared: [],
      declaredNotGranted: [],
      rejected: [],
    });
    expect(declaredAccessChange(drift)).toBeUndefined();
  });

  it('says how each undeclared member is granted, and what is declared but not granted', () => {
    const report = reportOf(
      managed(['user:alice@example.com', 'user:old@example.com']),
      handMade,
    );
    const drift = declaredAccessDrift(
      declare({
        'google.com/iap-accessors':
          'user:alice@example.com,user:new@example.com',
        'google.com/iap-access-levels': 'corp,office',
      }),
      report,
    );
    expect(drift.grantedNotDeclared).toEqual([
      {
        member: 'group:everyone@example.com',
        grants: [
          expect.objectContaining({
            kind: 'inherited',
            howToChange: expect.stringContaining('Inherited from'),
          }),
        ],
      },
      {
        member: 'user:hand@example.com',
        grants: [
          {
            kind: 'hand-made',
            grant:
              'roles/iap.httpsResourceAccessor on the service, condition "Office hours"',
            howToChange: expect.stringContaining(
              'Made by hand outside the portal',
            ),
            command: expect.stringContaining(
              'gcloud iap web remove-iam-policy-binding',
            ),
          },
        ],
      },
      {
        member: 'user:old@example.com',
        grants: [
          {
            kind: 'managed',
            grant: `roles/iap.httpsResourceAccessor on the service, condition "Access levels (managed by Backstage)"`,
          },
        ],
      },
    ]);
    expect(drift.declaredNotGranted).toEqual(['user:new@example.com']);
    expect(drift.accessLevels).toEqual({
      declared: [CORP, orgLevel('office')],
      granted: [CORP],
    });
    expect(declaredAccessChange(drift)).toEqual({
      add: ['user:new@example.com'],
      remove: ['user:old@example.com'],
      accessLevels: [CORP, orgLevel('office')],
    });
  });

  it('reads the unconditional binding as the managed one when no levels are required', () => {
    const report = reportOf({
      role: ACCESSOR_ROLE,
      members: ['user:alice@example.com'],
    });
    const drift = declaredAccessDrift(
      declare({
        'google.com/iap-accessors': 'group:everyone@example.com',
        'google.com/iap-access-levels': 'corp',
      }),
      report,
    );
    expect(
      drift.grantedNotDeclared.map(g => [g.member, g.grants[0].kind]),
    ).toEqual([['user:alice@example.com', 'managed']]);
    expect(drift.accessLevels).toEqual({ declared: [CORP], granted: [] });
  });

  it('compares only the declared side: levels alone leave members alone', () => {
    const report = reportOf(managed(['user:alice@example.com']));
    const drift = declaredAccessDrift(
      declare({ 'google.com/iap-access-levels': 'office' }),
      report,
    );
    expect(drift.grantedNotDeclared).toEqual([]);
    expect(declaredAccessChange(drift)).toEqual({
      add: [],
      remove: [],
      accessLevels: [orgLevel('office')],
    });
  });

  it('leaves out time-bound request grants, and never applies a refused member', () => {
    const report = reportOf(
      managed(['user:alice@example.com', 'user:eve@evil.test']),
      timeBoundBinding({
        member: 'user:temp@example.com',
        expiresAt: '2027-01-31T12:00:00Z',
        requestId: 'r-1',
        approvedBy: 'user:default/lead',
      }),
    );
    const drift = declaredAccessDrift(
      declare({
        'google.com/iap-accessors':
          'user:alice@example.com,group:everyone@example.com,user:eve@evil.test,allUsers',
      }),
      report,
    );
    expect(drift.grantedNotDeclared).toEqual([]);
    expect(drift.declaredNotGranted).toEqual([]);
    expect(drift.rejected.map(r => r.value)).toEqual([
      'user:eve@evil.test',
      'allUsers',
    ]);
    expect(declaredAccessChange(drift)).toBeUndefined();
  });
});

describe('withDeclaredAccess', () => {
  it('adds ACCESS_DRIFT and DECLARED_ACCESS_REJECTED among the findings, most severe first', () => {
    const report = reportOf(managed(['user:alice@example.com']), handMade);
    const result = withDeclaredAccess(
      report,
      declare({
        'google.com/iap-accessors':
          'user:alice@example.com,group:everyone@example.com,user:bob@example.com,allUsers',
      }),
    );
    const drift = result.findings.find(f => f.id === 'ACCESS_DRIFT')!;
    expect(drift).toMatchObject({
      severity: 'medium',
      what: 'Granted but not declared: user:hand@example.com (hand-made on the service). Declared but not granted: user:bob@example.com.',
      subjects: ['user:hand@example.com', 'user:bob@example.com'],
    });
    expect(drift.fix.text).toContain('Apply declared access');
    expect(drift.fix.text).toContain('Made by hand outside the portal');
    expect(drift.fix.command).toMatch(
      /^gcloud iap web remove-iam-policy-binding .*user:hand@example\.com/,
    );
    const rejected = result.findings.find(
      f => f.id === 'DECLARED_ACCESS_REJECTED',
    )!;
    expect(rejected).toMatchObject({
      severity: 'medium',
      subjects: ['allUsers'],
    });
    expect(rejected.what).toContain(
      'google.com/iap-accessors[3] allUsers: allUsers is never allowed',
    );
    expect(result.declaredAccess?.declaredNotGranted).toEqual([
      'user:bob@example.com',
    ]);
    const severities = result.findings.map(f => f.severity);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['critical', 'high', 'medium', 'low', 'info'].indexOf(a) -
          ['critical', 'high', 'medium', 'low', 'info'].indexOf(b),
      ),
    );
  });

  it('is low when declared members only lack a grant, and changes nothing without a declaration', () => {
    const report = reportOf(managed(['user:alice@example.com']));
    expect(withDeclaredAccess(report, undefined)).toBe(report);
    const result = withDeclaredAccess(
      report,
      declare({
        'google.com/iap-accessors':
          'user:alice@example.com,group:everyone@example.com,user:bob@example.com',
      }),
    );
    expect(result.findings.find(f => f.id === 'ACCESS_DRIFT')?.severity).toBe(
      'low',
    );
    expect(
      result.findings.find(f => f.id === 'DECLARED_ACCESS_REJECTED'),
    ).toBeUndefined();
  });
});
