import {
  ReviewRow,
  Severity,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { SortDescriptor } from '@backstage/ui';
import { kindText, severityRank } from '../shared/labelText';
import { serviceRegion, shortServiceName } from '../shared/resourceNames';

/** A review row as the table holds it: with the stable id `useTable` keys rows by. */
export type ReviewTableRow = ReviewRow & { id: string };

/** `'all'`: any or no finding; `'any'`: some finding; else that severity. */
export type TopFindingFilter = 'all' | 'any' | Severity;

/** The review's filters besides the text search. */
export interface ReviewFilter {
  externalOnly: boolean;
  unrestrictedOnly: boolean;
  /** Only rows whose access ends within `EXPIRING_WITHIN_DAYS` (or has ended since the analysis). */
  expiringOnly: boolean;
  topFinding: TopFindingFilter;
}

export const NO_REVIEW_FILTER: ReviewFilter = {
  externalOnly: false,
  unrestrictedOnly: false,
  expiringOnly: false,
  topFinding: 'all',
};

export const EXPIRING_WITHIN_DAYS = 7;

/** Whether the row's access ends before `EXPIRING_WITHIN_DAYS` days from `now` (ms). */
export function expiresWithinWindow(row: ReviewRow, now: number): boolean {
  if (!row.expiresAt) {
    return false;
  }
  const end = Date.parse(row.expiresAt);
  return (
    !Number.isNaN(end) && end - now <= EXPIRING_WITHIN_DAYS * 24 * 3600 * 1000
  );
}

export function toTableRows(rows: readonly ReviewRow[]): ReviewTableRow[] {
  return rows.map(r => ({
    ...r,
    id: `${r.entityRef}|${r.serviceName}|${r.member}`,
  }));
}

function matchesTopFinding(row: ReviewRow, filter: TopFindingFilter): boolean {
  if (filter === 'all') {
    return true;
  }
  if (filter === 'any') {
    return Boolean(row.topFinding);
  }
  return row.topFinding?.severity === filter;
}

/** The rows every set filter keeps; `now` (ms) is the time the expiry window starts at. */
export function filterReviewRows<T extends ReviewRow>(
  rows: T[],
  filter: ReviewFilter,
  now: number = Date.now(),
): T[] {
  return rows.filter(
    r =>
      (!filter.externalOnly || r.inOrganization === false) &&
      (!filter.unrestrictedOnly || r.restriction === 'unrestricted') &&
      (!filter.expiringOnly || expiresWithinWindow(r, now)) &&
      matchesTopFinding(r, filter.topFinding),
  );
}

/** Rows whose app, service or accessor contains the text (case-insensitive). */
export function searchReviewRows<T extends ReviewRow>(
  rows: T[],
  text: string,
): T[] {
  const needle = text.trim().toLocaleLowerCase('en-US');
  if (!needle) {
    return rows;
  }
  return rows.filter(r =>
    `${r.entityRef} ${r.serviceName} ${r.member}`
      .toLocaleLowerCase('en-US')
      .includes(needle),
  );
}

/** The ids of the sortable columns, with the value each sorts by. */
const SORT_KEYS: Record<string, (row: ReviewRow) => string | number> = {
  app: r => r.entityRef,
  service: r =>
    `${shortServiceName(r.serviceName)} ${serviceRegion(r.serviceName) ?? ''}`,
  accessor: r => r.member,
  kind: r => kindText(r.kind),
  organisation: r => {
    if (r.inOrganization === 'unknown') {
      return 1;
    }
    return r.inOrganization ? 2 : 0;
  },
  restriction: r =>
    r.restriction === 'unrestricted' ? '' : r.restriction.join(', '),
  topFinding: r =>
    r.topFinding
      ? severityRank(r.topFinding.severity)
      : Number.MAX_SAFE_INTEGER,
  expiresAt: r => {
    const end = r.expiresAt ? Date.parse(r.expiresAt) : NaN;
    return Number.isNaN(end) ? Number.MAX_SAFE_INTEGER : end;
  },
};

export function isSortableReviewColumn(columnId: string): boolean {
  return columnId in SORT_KEYS;
}

/** A stable sort by one column; ties keep the backend's order. */
export function sortReviewRows<T extends ReviewRow>(
  rows: T[],
  sort: SortDescriptor,
): T[] {
  const key = SORT_KEYS[String(sort.column)];
  if (!key) {
    return rows;
  }
  const direction = sort.direction === 'descending' ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: key(row) }))
    .sort((a, b) => {
      let order = 0;
      if (typeof a.value === 'number' && typeof b.value === 'number') {
        order = a.value - b.value;
      } else {
        order = String(a.value).localeCompare(String(b.value), 'en-US');
      }
      return order * direction || a.index - b.index;
    })
    .map(x => x.row);
}
