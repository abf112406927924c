import { ReviewRow } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  expiresWithinWindow,
  filterReviewRows,
  NO_REVIEW_FILTER,
  sortReviewRows,
} from './reviewRows';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function row(member: string, expiresAt?: string): ReviewRow {
  return {
    entityRef: 'component:default/hello',
    serviceName: 'projects/p/locations/europe-west2/services/hello',
    member,
    kind: 'user',
    inOrganization: true,
    grantLevels: ['service'],
    restriction: 'unrestricted',
    ...(expiresAt ? { expiresAt } : {}),
  };
}

const rows = [
  row('user:permanent@example.com'),
  row('user:tomorrow@example.com', '2026-12-02T12:00:00Z'),
  row('user:seven-days@example.com', '2026-12-08T12:00:00Z'),
  row('user:next-month@example.com', '2027-01-01T00:00:00Z'),
  row('user:ended@example.com', '2026-11-30T00:00:00Z'),
];

describe('the expiring filter', () => {
  it('keeps only rows whose access ends within 7 days of now', () => {
    expect(
      filterReviewRows(
        rows,
        { ...NO_REVIEW_FILTER, expiringOnly: true },
        NOW,
      ).map(r => r.member),
    ).toEqual([
      'user:tomorrow@example.com',
      'user:seven-days@example.com',
      'user:ended@example.com',
    ]);
  });

  it('keeps every row when off', () => {
    expect(filterReviewRows(rows, NO_REVIEW_FILTER, NOW)).toHaveLength(5);
  });

  it('leaves out a row just past the window and one with an unreadable time', () => {
    expect(
      expiresWithinWindow(
        row('user:a@example.com', '2026-12-08T12:00:01Z'),
        NOW,
      ),
    ).toBe(false);
    expect(expiresWithinWindow(row('user:a@example.com', 'soon'), NOW)).toBe(
      false,
    );
  });
});

describe('sorting by the end of access', () => {
  it('puts the soonest first and permanent access last', () => {
    expect(
      sortReviewRows(rows, { column: 'expiresAt', direction: 'ascending' }).map(
        r => r.member,
      ),
    ).toEqual([
      'user:ended@example.com',
      'user:tomorrow@example.com',
      'user:seven-days@example.com',
      'user:next-month@example.com',
      'user:permanent@example.com',
    ]);
  });
});
