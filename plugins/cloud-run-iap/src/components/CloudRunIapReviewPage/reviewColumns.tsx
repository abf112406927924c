import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Cell, CellText, ColumnConfig, Text } from '@backstage/ui';
import {
  KindLabel,
  OrganizationLabel,
  SeverityChip,
  UnrestrictedLabel,
} from '../shared/chips';
import { grantLevelText } from '../shared/labelText';
import { serviceRegion, shortServiceName } from '../shared/resourceNames';
import { isSortableReviewColumn, ReviewTableRow } from './reviewRows';

function Secondary({ children }: { children: React.ReactNode }) {
  return (
    <Text as="p" variant="body-small" color="secondary">
      {children}
    </Text>
  );
}

function Accessor({ row }: { row: ReviewTableRow }) {
  const through = row.via?.filter(v => v !== row.member) ?? [];
  return (
    <Cell>
      <Text as="p" variant="body-medium" style={{ wordBreak: 'break-all' }}>
        {row.member}
      </Text>
      {through.length > 0 && (
        <Secondary>through {through.join(', ')}</Secondary>
      )}
    </Cell>
  );
}

const columns: ColumnConfig<ReviewTableRow>[] = [
  {
    id: 'app',
    label: 'App',
    isRowHeader: true,
    cell: r => (
      <Cell>
        <EntityRefLink entityRef={r.entityRef} />
      </Cell>
    ),
  },
  {
    id: 'service',
    label: 'Service',
    cell: r => (
      <CellText
        title={shortServiceName(r.serviceName)}
        description={serviceRegion(r.serviceName)}
      />
    ),
  },
  { id: 'accessor', label: 'Accessor', cell: r => <Accessor row={r} /> },
  {
    id: 'kind',
    label: 'Kind',
    cell: r => (
      <Cell>
        <KindLabel kind={r.kind} />
      </Cell>
    ),
  },
  {
    id: 'organisation',
    label: 'Organisation',
    cell: r => (
      <Cell>
        <OrganizationLabel value={r.inOrganization} />
      </Cell>
    ),
  },
  {
    id: 'grantedAt',
    label: 'Granted at',
    cell: r => (
      <CellText title={r.grantLevels.map(grantLevelText).join(', ')} />
    ),
  },
  {
    id: 'restriction',
    label: 'Restricted by',
    cell: r => (
      <Cell>
        {r.restriction === 'unrestricted' ? (
          <UnrestrictedLabel />
        ) : (
          r.restriction.join(', ')
        )}
      </Cell>
    ),
  },
  {
    id: 'topFinding',
    label: 'Top finding',
    cell: r => (
      <Cell>
        {r.topFinding ? (
          <>
            <SeverityChip severity={r.topFinding.severity} />{' '}
            <Text variant="body-small">{r.topFinding.id}</Text>
          </>
        ) : (
          'None'
        )}
      </Cell>
    ),
  },
];

/**
 * The review table's columns, in one place: a new column (such as an expiry) is one entry here,
 * plus its sort key in `reviewRows.ts` if it sorts.
 */
export const reviewColumns: readonly ColumnConfig<ReviewTableRow>[] =
  columns.map(c => ({ ...c, isSortable: isSortableReviewColumn(c.id) }));
