import { AccessReport, ReviewRow } from '../report/types';
import { buildServiceAccessReport } from './buildServiceReport';
import { buildReviewRows, reviewRowsToCsv, sortReviewRows } from './review';
import {
  accessorBinding,
  CORP,
  healthyInput,
  policy,
  ref,
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
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity\r\n' +
        `component:default/hello,svc,"'=HYPERLINK(""http://evil"")",unknown,unknown,service project,corp home,,\r\n`,
    );
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
