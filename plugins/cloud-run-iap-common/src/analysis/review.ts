import { lastSegment } from '../google/resourceNames';
import {
  AccessReport,
  Accessor,
  Finding,
  ReviewRow,
  SEVERITIES,
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

/** One review row per (service, accessor) of an entity's report; deleted principals are skipped. */
export function buildReviewRows(report: AccessReport): ReviewRow[] {
  return report.services.flatMap(service =>
    service.accessors
      .filter(accessor => !accessor.deleted)
      .map(accessor => {
        const finding = topFinding(service.findings, accessor.member);
        return {
          entityRef: report.entityRef,
          serviceName: service.resourceName,
          member: accessor.member,
          kind: accessor.kind,
          inOrganization: accessor.inOrganization,
          grantLevels: [...new Set(accessor.grants.map(grant => grant.level))],
          restriction: restriction(accessor),
          ...(finding ? { topFinding: finding } : {}),
        };
      }),
  );
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

function csvCell(value: string): string {
  // A leading =, +, -, @, tab or CR would make spreadsheets evaluate the cell as a formula.
  const safe =
    '=+-@\t\r'.includes(value.charAt(0)) && value !== '' ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Review rows as CSV (RFC 4180, CRLF line ends, header first), safe against formula injection. */
export function reviewRowsToCsv(rows: ReviewRow[]): string {
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
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
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
