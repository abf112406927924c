import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ButtonIcon,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Text,
} from '@backstage/ui';
import { RiHistoryLine } from '@remixicon/react';
import {
  KindLabel,
  OrganizationLabel,
  SeverityChip,
  UnrestrictedLabel,
} from '../shared/chips';
import { grantLevelText } from '../shared/labelText';
import { serviceRegion, shortServiceName } from '../shared/resourceNames';
import { formatTime, formatUntil } from '../shared/time';
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

function AccessEnds({ row }: { row: ReviewTableRow }) {
  if (!row.expiresAt) {
    return <CellText title="Permanent" />;
  }
  return (
    <CellText
      title={formatTime(row.expiresAt)}
      description={formatUntil(row.expiresAt)}
    />
  );
}

/** What a row's cells can do beyond showing it. */
export interface ReviewRowActions {
  /** Opens the access history of the app (entity ref). */
  onShowHistory: (entityRef: string) => void;
}

const columns = (actions: ReviewRowActions): ColumnConfig<ReviewTableRow>[] => [
  {
    id: 'app',
    label: 'App',
    isRowHeader: true,
    cell: r => (
      <Cell>
        <Flex gap="1" align="center">
          <EntityRefLink entityRef={r.entityRef} />
          <ButtonIcon
            size="small"
            variant="tertiary"
            aria-label={`History of ${r.entityRef}`}
            icon={<RiHistoryLine aria-hidden />}
            onPress={() => actions.onShowHistory(r.entityRef)}
          />
        </Flex>
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
    id: 'expiresAt',
    label: 'Access ends',
    cell: r => <AccessEnds row={r} />,
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
 * The review table's columns, in one place: a new column is one entry here, plus its sort key
 * in `reviewRows.ts` if it sorts.
 */
export function reviewColumns(
  actions: ReviewRowActions,
): readonly ColumnConfig<ReviewTableRow>[] {
  return columns(actions).map(c => ({
    ...c,
    isSortable: isSortableReviewColumn(c.id),
  }));
}
