import {
  classifyMember,
  isMemberInOrganization,
  isProjectServiceAccount,
  memberKey,
  workforcePoolOf,
} from './members';

const project = { projectId: 'acme-apps', projectNumber: '123' };
const inOrg = (member: string, domains = ['example.com', 'Acme.io']) =>
  isMemberInOrganization(classifyMember(member), domains, project);

describe('classifyMember', () => {
  it.each([
    ['user:alice@example.com', 'user', 'alice@example.com'],
    ['group:team@example.com', 'group', 'team@example.com'],
    [
      'serviceAccount:ci@acme-apps.iam.gserviceaccount.com',
      'serviceAccount',
      'ci@acme-apps.iam.gserviceaccount.com',
    ],
    ['domain:Example.com', 'domain', 'Everyone at example.com'],
    ['allUsers', 'public', 'Anyone on the internet (allUsers)'],
    [
      'allAuthenticatedUsers',
      'public',
      'Any signed-in Google account (allAuthenticatedUsers)',
    ],
    [
      'principal://iam.googleapis.com/locations/global/workforcePools/partners/subject/jo@partner.com',
      'workforcePrincipal',
      'jo@partner.com (workforce pool partners)',
    ],
    [
      'principalSet://iam.googleapis.com/locations/global/workforcePools/partners/group/admins',
      'workforcePrincipal',
      'group admins (workforce pool partners)',
    ],
    [
      'principalSet://iam.googleapis.com/locations/global/workforcePools/partners/*',
      'workforcePrincipal',
      'everyone in workforce pool partners',
    ],
    [
      'deleted:user:old@example.com?uid=123456',
      'unknown',
      'old@example.com (deleted user)',
    ],
    ['projectOwner:acme-apps', 'unknown', 'projectOwner:acme-apps'],
  ])('%s is %s', (member, kind, displayName) => {
    expect(classifyMember(member)).toMatchObject({ kind, displayName });
  });

  it('flags deleted members', () => {
    expect(classifyMember('deleted:group:x@example.com?uid=1').deleted).toBe(
      true,
    );
    expect(classifyMember('group:x@example.com').deleted).toBe(false);
  });
});

describe('isMemberInOrganization', () => {
  it.each([
    ['user:alice@example.com', true],
    ['user:alice@EXAMPLE.COM', true],
    ['group:team@acme.io', true],
    ['user:dan@eng.example.com', false],
    ['user:eve@example.com.evil.net', false],
    ['user:eve@gmail.com', false],
    ['domain:example.com', true],
    ['domain:other.com', false],
    ['allUsers', false],
    ['allAuthenticatedUsers', false],
    ['serviceAccount:ci@acme-apps.iam.gserviceaccount.com', true],
    ['serviceAccount:123-compute@developer.gserviceaccount.com', true],
    ['serviceAccount:ci@other-project.iam.gserviceaccount.com', 'unknown'],
    [
      'principal://iam.googleapis.com/locations/global/workforcePools/p/subject/x',
      'unknown',
    ],
    ['deleted:user:old@example.com?uid=1', 'unknown'],
  ])('%s → %s', (member, expected) => {
    expect(inOrg(member)).toBe(expected);
  });

  it('is unknown when no domain is configured, except for public members', () => {
    expect(inOrg('user:alice@example.com', [])).toBe('unknown');
    expect(inOrg('allUsers', [])).toBe(false);
  });

  it('counts workforce identities inside only for the listed pools', () => {
    const of = (member: string, pools: string[], domains = ['example.com']) =>
      isMemberInOrganization(classifyMember(member), domains, project, pools);
    const staff =
      'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/ada';
    const staffSet =
      'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*';
    const partners =
      'principalSet://iam.googleapis.com/locations/global/workforcePools/partners/group/admins';
    expect(of(staff, ['staff'])).toBe(true);
    expect(of(staffSet, ['staff'])).toBe(true);
    // Listed pools count even without a domain configured.
    expect(of(staffSet, ['staff'], [])).toBe(true);
    expect(of(partners, ['staff'])).toBe('unknown');
    expect(of(staff, [])).toBe('unknown');
    // A workload identity pool of the same name is not a workforce pool.
    expect(
      of(
        'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/staff/subject/ci',
        ['staff'],
      ),
    ).toBe('unknown');
  });
});

describe('workforcePoolOf', () => {
  it('reads the pool of workforce identities only', () => {
    expect(
      workforcePoolOf(
        'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/ada',
      ),
    ).toBe('staff');
    expect(
      workforcePoolOf(
        'principalSet://iam.googleapis.com/locations/global/workforcePools/eu-staff/attribute.dept/eng',
      ),
    ).toBe('eu-staff');
    expect(
      workforcePoolOf(
        'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/subject/x',
      ),
    ).toBeUndefined();
    expect(
      workforcePoolOf(
        'principal://evil.example.com/locations/global/workforcePools/staff/subject/x',
      ),
    ).toBeUndefined();
    expect(workforcePoolOf('user:ada@example.com')).toBeUndefined();
  });
});

describe('isProjectServiceAccount', () => {
  it('matches the project part of the email, case-insensitively', () => {
    expect(
      isProjectServiceAccount(
        'ci@Acme-Apps.iam.gserviceaccount.com',
        'acme-apps',
      ),
    ).toBe(true);
    expect(
      isProjectServiceAccount(
        'ci@acme-apps-2.iam.gserviceaccount.com',
        'acme-apps',
      ),
    ).toBe(false);
    expect(isProjectServiceAccount(undefined, 'acme-apps')).toBe(false);
  });
});

describe('memberKey', () => {
  it('lowercases emails and domains but not principal URIs', () => {
    expect(memberKey('user:Alice@Example.com')).toBe('user:alice@example.com');
    expect(memberKey('domain:Example.com')).toBe('domain:example.com');
    expect(
      memberKey(
        'principal://iam.googleapis.com/locations/global/workforcePools/p/subject/Jo',
      ),
    ).toBe(
      'principal://iam.googleapis.com/locations/global/workforcePools/p/subject/Jo',
    );
  });
});
