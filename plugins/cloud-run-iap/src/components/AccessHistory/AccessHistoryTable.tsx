import { CellText, ColumnConfig, Table, Text, useTable } from '@backstage/ui';
import { AccessEvent } from '../../api';
import { serviceLabel } from '../AccessRequests/serviceLabel';
import { formatAgo, formatTime } from '../shared/time';
import { eventKindText } from './eventText';

const columns: ColumnConfig<AccessEvent>[] = [
  {
    id: 'at',
    label: 'When',
    isRowHeader: true,
    cell: e => (
      <CellText title={formatTime(e.at)} description={formatAgo(e.at)} />
    ),
  },
  {
    id: 'kind',
    label: 'What',
    cell: e => (
      <CellText
        title={eventKindText(e.kind)}
        description={serviceLabel(e.service)}
      />
    ),
  },
  { id: 'actor', label: 'Who', cell: e => <CellText title={e.actor} /> },
  {
    id: 'members',
    label: 'Members',
    cell: e => <CellText title={e.members.join(', ') || 'None'} />,
  },
  {
    id: 'detail',
    label: 'Outcome',
    cell: e => <CellText title={e.detail ?? ''} />,
  },
];

/** An app's access events in a BUI table, in the order given (newest first from the backend). */
export function AccessHistoryTable({ events }: { events: AccessEvent[] }) {
  const { tableProps } = useTable({
    mode: 'complete',
    data: events,
    paginationOptions: { pageSize: 20 },
  });
  return (
    <Table
      {...tableProps}
      columnConfig={columns}
      emptyState={
        <Text variant="body-medium">
          No access event is recorded for this app yet.
        </Text>
      }
    />
  );
}
