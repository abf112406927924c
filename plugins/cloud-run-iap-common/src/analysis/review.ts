import { lastSegment } from '../google/resourceNames';
import {
  AccessReport,
  Accessor,
  Finding,
  Grant,
  PersonAccess,
  ReviewRow,
  SEVERITIES,
  ServiceAccessReport,
} from '../report/types';
import { sortFindings } from './findings/computeFindings';

function restriction(accessor: Accessor): ReviewRow['restriction'] {
  if (!accessor.contextRestricted || accessor.grants.length === 0) {
    return 'unrestricted';
  }
  const levels = accessor.grants.flatMap(grant =>
    grant.conditionAnalysis.requiredLevelSets.flat().map(lastSegment),
  );
  return [...new Set(levels)].sort();
}

function topFinding(
  findings: Finding[],
  member: string,
): ReviewRow['topFinding'] {
  const finding = sortFindings(findings).find(f =>
    f.subjects?.includes(member),
  );
  return finding ? { id: finding.id, severity: finding.severity } : undefined;
}

/**
 * When access through these grants ends: the latest `expiresAt` of the grants that have not
 * expired; undefined when one of them is permanent, or none is live.
 */
export function accessEndsAt(
  grants: ReadonlyArray<Pick<Grant, 'expiresAt' | 'expired'>>,
): string | undefined {
  const live = grants.filter(grant => !grant.expired);
  if (live.length === 0 || live.some(grant => !grant.expiresAt)) {
    return undefined;
  }
  return live
    .map(grant => grant.expiresAt as string)
    .reduce((latest, next) =>
      Date.parse(next) > Date.parse(latest) ? next : latest,
    );
}

/** How review rows are cut: one per accessor (default), or one per person with groups expanded. */
export interface ReviewOptions {
  expand?: 'people';
}

function personRows(
  entityRef: string,
  service: ServiceAccessReport,
  people: PersonAccess[],
): ReviewRow[] {
  const accessorByMember = new Map(
    service.accessors.map(accessor => [accessor.member, accessor]),
  );
  const rows: ReviewRow[] = people.map(person => {
    const via = [...new Set(person.paths.map(path => path.through))];
    const grants = person.paths.map(path =>
      accessorByMember
        .get(path.through)
        ?.grants.find(
          g =>
            g.level === path.level &&
            g.resource === path.resource &&
            g.role === path.role &&
            !g.expired,
        ),
    );
    const levels = grants.flatMap(grant =>
      (grant?.conditionAnalysis.requiredLevelSets.flat() ?? []).map(
        lastSegment,
      ),
    );
    // A path whose grant cannot be found counts as permanent: its end is not known.
    const expiresAt = accessEndsAt(grants.map(grant => grant ?? {}));
    const finding = sortFindings(service.findings).find(f =>
      [person.member, ...via].some(member => f.subjects?.includes(member)),
    );
    return {
      entityRef,
      serviceName: service.resourceName,
      member: person.member,
      kind: person.kind,
      inOrganization: person.inOrganization,
      grantLevels: [...new Set(person.paths.map(path => path.level))],
      restriction: person.contextRestricted
        ? [...new Set(levels)].sort()
        : 'unrestricted',
      ...(finding
        ? { topFinding: { id: finding.id, severity: finding.severity } }
        : {}),
      ...(expiresAt ? { expiresAt } : {}),
      via,
    };
  });
  const expandedGroups = new Set(
    service.accessors
      .filter(accessor => accessor.group?.expanded)
      .map(accessor => accessor.member),
  );
  const others = accessorRows(entityRef, service).filter(
    row =>
      row.kind !== 'user' &&
      row.kind !== 'serviceAccount' &&
      !expandedGroups.has(row.member),
  );
  return [...rows, ...others.map(row => ({ ...row, via: [row.member] }))];
}

function accessorRows(
  entityRef: string,
  service: ServiceAccessReport,
): ReviewRow[] {
  return service.accessors
    .filter(accessor => !accessor.deleted && !accessor.expired)
    .map(accessor => {
      const finding = topFinding(service.findings, accessor.member);
      const expiresAt = accessEndsAt(accessor.grants);
      return {
        entityRef,
        serviceName: service.resourceName,
        member: accessor.member,
        kind: accessor.kind,
        inOrganization: accessor.inOrganization,
        grantLevels: [
          ...new Set(
            accessor.grants
              .filter(grant => !grant.expired)
              .map(grant => grant.level),
          ),
        ],
        restriction: restriction(accessor),
        ...(finding ? { topFinding: finding } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      };
    });
}

/** One review row per (service, accessor) of an entity's report; deleted principals and accessors whose every grant expired are skipped. */
export function buildReviewRows(report: AccessReport): ReviewRow[] {
  return report.services.flatMap(service =>
    accessorRows(report.entityRef, service),
  );
}

/**
 * The review expanded to people (`expand=people`): one row per person who can get in, groups
 * expanded, `via` naming the members whose grants admit it, plus the accessors that cannot be
 * expanded (`domain:`, public, unreadable groups). A service without group data keeps its accessor
 * rows (`via` is the member itself).
 */
export function buildPeopleReviewRows(report: AccessReport): ReviewRow[] {
  return report.services.flatMap(service =>
    service.people
      ? personRows(report.entityRef, service, service.people)
      : accessorRows(report.entityRef, service).map(row => ({
          ...row,
          via: [row.member],
        })),
  );
}

/** Review rows for an `expand` query value: `people` expands groups, anything else keeps accessors. */
export function reviewRowsFor(
  report: AccessReport,
  options: ReviewOptions = {},
): ReviewRow[] {
  return options.expand === 'people'
    ? buildPeopleReviewRows(report)
    : buildReviewRows(report);
}

const CSV_COLUMNS = [
  'entityRef',
  'serviceName',
  'member',
  'kind',
  'inOrganization',
  'grantLevels',
  'restriction',
  'topFindingId',
  'topFindingSeverity',
] as const;

/** Comes after every other column (`via` included), so readers of the older columns keep them. */
const CSV_EXPIRY_COLUMN = 'expiresAt';

function csvCell(value: string): string {
  // A leading =, +, -, @, tab or CR would make spreadsheets evaluate the cell as a formula.
  const safe =
    '=+-@\t\r'.includes(value.charAt(0)) && value !== '' ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Review rows as CSV (RFC 4180, CRLF line ends, header first), safe against formula injection.
 * With `expand: 'people'` a `via` column lists the members whose grants admit each person. The
 * last column, `expiresAt`, says when the row's access ends (empty when it does not).
 */
export function reviewRowsToCsv(
  rows: ReviewRow[],
  options: ReviewOptions = {},
): string {
  const people = options.expand === 'people';
  const lines = rows.map(row =>
    [
      row.entityRef,
      row.serviceName,
      row.member,
      row.kind,
      String(row.inOrganization),
      row.grantLevels.join(' '),
      row.restriction === 'unrestricted'
        ? 'unrestricted'
        : row.restriction.join(' '),
      row.topFinding?.id ?? '',
      row.topFinding?.severity ?? '',
      ...(people ? [(row.via ?? [row.member]).join(' ')] : []),
      row.expiresAt ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  const header = [
    ...CSV_COLUMNS,
    ...(people ? ['via'] : []),
    CSV_EXPIRY_COLUMN,
  ].join(',');
  return `${[header, ...lines].join('\r\n')}\r\n`;
}

/** Sorts rows most severe finding first, then by entity, service and member. */
export function sortReviewRows(rows: ReviewRow[]): ReviewRow[] {
  const rank = (row: ReviewRow) =>
    row.topFinding
      ? SEVERITIES.indexOf(row.topFinding.severity)
      : SEVERITIES.length;
  return [...rows].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.entityRef.localeCompare(b.entityRef) ||
      a.serviceName.localeCompare(b.serviceName) ||
      a.member.localeCompare(b.member),
  );
}
