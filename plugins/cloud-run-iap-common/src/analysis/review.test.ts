import { AccessReport, ReviewRow } from '../report/types';
import { buildServiceAccessReport } from './buildServiceReport';
import {
  accessEndsAt,
  buildPeopleReviewRows,
  buildReviewRows,
  reviewRowsToCsv,
  sortReviewRows,
} from './review';
import {
  accessorBinding,
  CORP,
  healthyInput,
  policy,
  ref,
  requires,
} from './testFixtures';

function reportOf(): AccessReport {
  const input = healthyInput();
  input.iapPolicies.service = policy(
    accessorBinding(['user:alice@example.com'], CORP),
    accessorBinding([
      'user:eve@gmail.com',
      'deleted:user:old@example.com?uid=1',
    ]),
  );
  input.iapPolicies.project = policy(
    accessorBinding(['user:alice@example.com'], CORP),
  );
  return {
    entityRef: 'component:default/hello',
    services: [buildServiceAccessReport(input)],
    fetchedAt: '2026-11-28T12:00:00Z',
    fromCache: false,
  };
}

describe('buildReviewRows', () => {
  it('has one row per non-deleted accessor with its restriction and top finding', () => {
    expect(buildReviewRows(reportOf())).toEqual([
      {
        entityRef: 'component:default/hello',
        serviceName: ref.name,
        member: 'user:alice@example.com',
        kind: 'user',
        inOrganization: true,
        grantLevels: ['service', 'project-iap'],
        restriction: ['corp'],
        topFinding: { id: 'INHERITED_ACCESS', severity: 'medium' },
      },
      {
        entityRef: 'component:default/hello',
        serviceName: ref.name,
        member: 'user:eve@gmail.com',
        kind: 'user',
        inOrganization: false,
        grantLevels: ['service'],
        restriction: 'unrestricted',
        topFinding: { id: 'EXTERNAL_ACCESSOR', severity: 'high' },
      },
    ]);
  });
});

describe('reviewRowsToCsv', () => {
  it('writes a header and quoted, formula-safe cells', () => {
    const rows: ReviewRow[] = [
      {
        entityRef: 'component:default/hello',
        serviceName: 'svc',
        member: '=HYPERLINK("http://evil")',
        kind: 'unknown',
        inOrganization: 'unknown',
        grantLevels: ['service', 'project'],
        restriction: ['corp', 'home'],
      },
    ];
    expect(reviewRowsToCsv(rows)).toBe(
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity,expiresAt\r\n' +
        `component:default/hello,svc,"'=HYPERLINK(""http://evil"")",unknown,unknown,service project,corp home,,,\r\n`,
    );
  });

  it('puts the expiry last, after via when rows are people', () => {
    const row: ReviewRow = {
      entityRef: 'component:default/hello',
      serviceName: 'svc',
      member: 'user:bob@example.com',
      kind: 'user',
      inOrganization: true,
      grantLevels: ['service'],
      restriction: 'unrestricted',
      expiresAt: '2026-12-05T00:00:00Z',
      via: ['group:eng@example.com'],
    };
    expect(reviewRowsToCsv([row], { expand: 'people' }).split('\r\n')).toEqual([
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity,via,expiresAt',
      'component:default/hello,svc,user:bob@example.com,user,true,service,unrestricted,,,group:eng@example.com,2026-12-05T00:00:00Z',
      '',
    ]);
  });
});

describe('sortReviewRows', () => {
  it('puts the most severe first', () => {
    const rows = sortReviewRows(buildReviewRows(reportOf()));
    expect(rows.map(r => r.member)).toEqual([
      'user:eve@gmail.com',
      'user:alice@example.com',
    ]);
  });
});

describe('accessEndsAt', () => {
  it('is the latest expiry of the live grants', () => {
    expect(
      accessEndsAt([
        { expiresAt: '2026-12-05T00:00:00Z' },
        { expiresAt: '2026-12-20T00:00:00.000Z' },
        { expiresAt: '2026-12-31T00:00:00Z', expired: true },
      ]),
    ).toBe('2026-12-20T00:00:00.000Z');
  });

  it('is undefined when a live grant is permanent, or none is live', () => {
    expect(
      accessEndsAt([{ expiresAt: '2026-12-05T00:00:00Z' }, {}]),
    ).toBeUndefined();
    expect(
      accessEndsAt([{ expiresAt: '2026-11-01T00:00:00Z', expired: true }]),
    ).toBeUndefined();
    expect(accessEndsAt([])).toBeUndefined();
  });
});

describe('the expiry of review rows', () => {
  const NOW = '2026-12-01T12:00:00Z';
  const until = (time: string) => `request.time < timestamp("${time}")`;
  const bound = (members: string[], expression: string) => ({
    ...accessorBinding(members),
    condition: { expression, title: 'temporary' },
  });

  function timeBoundReport(): AccessReport {
    const input = healthyInput();
    input.now = NOW;
    input.iapPolicies.service = policy(
      bound(['user:temp@example.com'], until('2026-12-05T00:00:00Z')),
      bound(
        ['user:temp@example.com'],
        `${requires(CORP)} && ${until('2026-12-20T00:00:00Z')}`,
      ),
      bound(['user:mixed@example.com'], until('2026-12-05T00:00:00Z')),
      accessorBinding(['user:mixed@example.com'], CORP),
      bound(['user:gone@example.com'], until('2026-11-01T00:00:00Z')),
      bound(['user:once@example.com'], until('2026-11-01T00:00:00Z')),
      bound(['user:once@example.com'], until('2026-12-03T00:00:00Z')),
    );
    return {
      entityRef: 'component:default/hello',
      services: [buildServiceAccessReport(input)],
      fetchedAt: NOW,
      fromCache: false,
    };
  }

  it('ends at the latest live grant, and not at all with a permanent one', () => {
    const rows = buildReviewRows(timeBoundReport());
    expect(Object.fromEntries(rows.map(r => [r.member, r.expiresAt]))).toEqual({
      'user:temp@example.com': '2026-12-20T00:00:00Z',
      'user:mixed@example.com': undefined,
      'user:once@example.com': '2026-12-03T00:00:00Z',
    });
    expect(
      rows.find(r => r.member === 'user:mixed@example.com'),
    ).not.toHaveProperty('expiresAt');
  });

  it('ends for a person at the latest of its paths, groups included', () => {
    const input = healthyInput();
    input.now = NOW;
    input.iapPolicies.service = policy(
      bound(['user:alice@example.com'], until('2026-12-05T00:00:00Z')),
      bound(['group:eng@example.com'], until('2026-12-10T00:00:00Z')),
      accessorBinding(['group:ops@example.com']),
    );
    const person = (email: string) => ({
      member: `users/${email}`,
      preferredMemberKey: [{ id: email }],
      relationType: 'DIRECT',
      roles: [{ role: 'MEMBER' }],
    });
    input.groups = {
      'eng@example.com': {
        groupKey: 'eng@example.com',
        name: 'groups/eng',
        members: [person('alice@example.com'), person('carol@example.com')],
      },
      'ops@example.com': {
        groupKey: 'ops@example.com',
        name: 'groups/ops',
        members: [person('carol@example.com'), person('dave@example.com')],
      },
    };
    const rows = buildPeopleReviewRows({
      entityRef: 'component:default/hello',
      services: [buildServiceAccessReport(input)],
      fetchedAt: NOW,
      fromCache: false,
    });
    expect(Object.fromEntries(rows.map(r => [r.member, r.expiresAt]))).toEqual({
      'user:alice@example.com': '2026-12-10T00:00:00Z',
      'user:carol@example.com': undefined,
      'user:dave@example.com': undefined,
    });
  });

  it('carries over to people rows without group data', () => {
    const rows = buildPeopleReviewRows(timeBoundReport());
    expect(
      rows.find(r => r.member === 'user:temp@example.com')?.expiresAt,
    ).toBe('2026-12-20T00:00:00Z');
  });
});
