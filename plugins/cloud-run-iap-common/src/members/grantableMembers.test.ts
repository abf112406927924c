import {
  grantableMemberProblem,
  grantableMembersProblems,
  isMemberInsideOrganization,
  isPublicMember,
  isServiceAccountEmail,
  memberSyntaxProblem,
} from './grantableMembers';

const policy = {
  domains: ['example.com'],
  allowExternalMembers: false,
  ownProjectIds: ['acme-internal-apps'],
  workforcePools: ['staff'],
};

describe('grantable members', () => {
  it.each([
    ['user:ada@example.com', undefined],
    ['group:team@example.com', undefined],
    [
      'serviceAccount:app@acme-internal-apps.iam.gserviceaccount.com',
      undefined,
    ],
    ['domain:example.com', undefined],
    [
      'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/ada',
      undefined,
    ],
    [
      'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*',
      undefined,
    ],
    ['allUsers', undefined],
    ['ada@example.com', /must be user:EMAIL/],
    ['user:ada', /must be user:EMAIL/],
    ['serviceAccount:bot@example.com', /ending in .gserviceaccount.com/],
    ['domain:not a domain', /must be user:EMAIL/],
    ['principal://elsewhere/ada', /workforcePools\/POOL\/subject/],
    [
      'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/subject/x',
      /workforcePools\/POOL\/subject/,
    ],
    [
      'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/other',
      /workforcePools\/POOL\/group\/GROUP/,
    ],
  ])('member %s syntax', (member, problem) => {
    expect(memberSyntaxProblem(member) ?? '').toMatch(problem ?? /^$/);
  });

  it('knows the public members and service account emails', () => {
    expect(isPublicMember('allUsers')).toBe(true);
    expect(isPublicMember('allAuthenticatedUsers')).toBe(true);
    expect(isPublicMember('allusers')).toBe(false);
    expect(isPublicMember('user:ada@example.com')).toBe(false);
    expect(
      isServiceAccountEmail('app@acme-internal-apps.iam.gserviceaccount.com'),
    ).toBe(true);
    expect(isServiceAccountEmail('bot@example.com')).toBe(false);
    expect(
      isServiceAccountEmail('serviceAccount:app@p.iam.gserviceaccount.com'),
    ).toBe(false);
  });

  it('places members inside or outside the organisation', () => {
    const inside = (m: string) => isMemberInsideOrganization(m, policy);
    expect(inside('user:Ada@Example.com')).toBe(true);
    expect(inside('domain:example.com')).toBe(true);
    expect(inside('user:ada@sub.example.com')).toBe(false);
    expect(inside('group:x@gmail.com')).toBe(false);
    expect(
      inside('serviceAccount:a@acme-internal-apps.iam.gserviceaccount.com'),
    ).toBe(true);
    expect(inside('serviceAccount:a@elsewhere.iam.gserviceaccount.com')).toBe(
      false,
    );
    expect(
      inside(
        'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*',
      ),
    ).toBe(true);
    expect(inside('allUsers')).toBe(false);
  });

  describe('workforce identities', () => {
    const staff =
      'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/ada';
    const elsewhere =
      'principalSet://iam.googleapis.com/locations/global/workforcePools/partner-pool/group/admins';

    it('are inside only for the pools config lists', () => {
      expect(isMemberInsideOrganization(staff, policy)).toBe(true);
      expect(isMemberInsideOrganization(elsewhere, policy)).toBe(false);
      const { workforcePools: _, ...noPools } = policy;
      expect(isMemberInsideOrganization(staff, noPools)).toBe(false);
      expect(
        isMemberInsideOrganization(staff, { ...policy, workforcePools: [] }),
      ).toBe(false);
      // A pool whose name only starts like a listed one is another pool.
      expect(
        isMemberInsideOrganization(
          'principalSet://iam.googleapis.com/locations/global/workforcePools/staff-ext/*',
          policy,
        ),
      ).toBe(false);
    });

    it('from another pool may not be granted, and the refusal names the pool and the key', () => {
      expect(grantableMemberProblem(staff, policy)).toBeUndefined();
      expect(grantableMemberProblem(elsewhere, policy)).toBe(
        `"${elsewhere}" is in workforce pool "partner-pool", which is not one of the organisation's pools (cloudRunIap.organization.workforcePools: staff); list the pool there, or set cloudRunIap.organization.allowExternalMembers to allow it`,
      );
      expect(
        grantableMemberProblem(staff, { ...policy, workforcePools: [] }),
      ).toMatch(/workforcePools: none configured/);
      expect(
        grantableMemberProblem(elsewhere, {
          ...policy,
          allowExternalMembers: true,
        }),
      ).toBeUndefined();
    });
  });

  it('counts service accounts of the own projects only through ownProjectIds', () => {
    const sa = 'serviceAccount:a@acme-internal-apps.iam.gserviceaccount.com';
    expect(
      isMemberInsideOrganization(sa, { ...policy, ownProjectIds: [] }),
    ).toBe(false);
    expect(
      grantableMemberProblem(sa, { ...policy, ownProjectIds: [] }),
    ).toMatch(/outside the organisation's domains/);
    expect(grantableMemberProblem(sa, policy)).toBeUndefined();
  });

  it('refuses public members even when external members are allowed', () => {
    const open = { ...policy, allowExternalMembers: true };
    expect(grantableMemberProblem('allUsers', open)).toMatch(/never allowed/);
    expect(grantableMemberProblem('allAuthenticatedUsers', open)).toMatch(
      /never allowed/,
    );
    expect(grantableMemberProblem('user:x@gmail.com', open)).toBeUndefined();
    expect(grantableMemberProblem('user:x@gmail.com', policy)).toMatch(
      /outside the organisation's domains \(example.com\)/,
    );
  });

  it('refuses deleted principals and bad syntax before the organisation check', () => {
    const open = { ...policy, allowExternalMembers: true };
    expect(
      grantableMemberProblem('deleted:user:old@example.com?uid=1', open),
    ).toBe('names a deleted principal');
    expect(grantableMemberProblem('user:ada', policy)).toMatch(
      /must be user:EMAIL/,
    );
    expect(
      grantableMemberProblem('user:ada@gmail.com', {
        ...policy,
        domains: [],
      }),
    ).toMatch(/\(none configured\); set cloudRunIap.organization/);
  });

  it('keys the problems of a list by field path', () => {
    expect(
      grantableMembersProblems(
        'accessors',
        ['user:ada@example.com', 'allUsers', 'user:x@gmail.com'],
        policy,
      ).map(([field]) => field),
    ).toEqual(['accessors[1]', 'accessors[2]']);
  });
});
