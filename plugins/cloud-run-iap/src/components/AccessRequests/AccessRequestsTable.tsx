import {
  Button,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
  useTable,
} from '@backstage/ui';
import { useMemo } from 'react';
import { AccessDecision, AccessRequest, CloudRunIapErrorInfo } from '../../api';
import { formatTime } from '../shared/time';
import { DURATION_TEXT } from './durations';
import { serviceLabel } from './serviceLabel';

/** Where a request stands, with the grant's end once approved. */
export function requestStatusText(request: AccessRequest): string {
  switch (request.status) {
    case 'pending':
      return `Pending (lapses ${formatTime(request.requestExpiresAt)})`;
    case 'approved':
      return request.expiresAt
        ? `Approved, expires ${formatTime(request.expiresAt)}`
        : 'Approved, permanent';
    case 'denied':
      return `Denied${request.comment ? `: ${request.comment}` : ''}`;
    case 'expired':
      return request.expiresAt
        ? `Expired ${formatTime(request.expiresAt)}`
        : 'Expired undecided';
    case 'revoked':
      return 'Revoked';
    default:
      return request.status;
  }
}

/**
 * Access requests in a BUI table. With `onDecide`, pending requests get Approve and Deny;
 * `showApp` adds the app column (the review page lists several apps).
 */
export function AccessRequestsTable(props: {
  requests: AccessRequest[];
  showApp?: boolean;
  onDecide?: (request: AccessRequest, decision: AccessDecision) => void;
  deciding?: string;
  failures?: Record<string, CloudRunIapErrorInfo>;
  emptyText: string;
}) {
  const { requests, showApp, onDecide, deciding, failures, emptyText } = props;
  const columns = useMemo(() => {
    const all: Array<ColumnConfig<AccessRequest> | false> = [
      {
        id: 'requester',
        label: 'Requester',
        isRowHeader: true,
        cell: r => <CellText title={r.member} description={r.requester} />,
      },
      !!showApp && {
        id: 'app',
        label: 'App',
        cell: r => <CellText title={r.entityRef} />,
      },
      {
        id: 'service',
        label: 'Service',
        cell: r => <CellText title={serviceLabel(r.service)} />,
      },
      {
        id: 'justification',
        label: 'Justification',
        cell: r => <CellText title={r.justification} />,
      },
      {
        id: 'duration',
        label: 'Duration',
        cell: r => <CellText title={DURATION_TEXT[r.duration] ?? r.duration} />,
      },
      {
        id: 'status',
        label: 'Status',
        cell: r => (
          <CellText
            title={requestStatusText(r)}
            description={r.decidedBy ? `by ${r.decidedBy}` : undefined}
          />
        ),
      },
      !!onDecide && {
        id: 'decision',
        label: 'Decision',
        cell: r => (
          <Cell>
            {r.status === 'pending' ? (
              <Flex direction="column" gap="1">
                <Flex gap="1">
                  <Button
                    size="small"
                    aria-label={`Approve ${r.member}`}
                    isPending={deciding === r.id}
                    isDisabled={!!deciding}
                    onPress={() => onDecide(r, { decision: 'approve' })}
                  >
                    Approve
                  </Button>
                  <Button
                    size="small"
                    variant="secondary"
                    destructive
                    aria-label={`Deny ${r.member}`}
                    isDisabled={!!deciding}
                    onPress={() => onDecide(r, { decision: 'deny' })}
                  >
                    Deny
                  </Button>
                </Flex>
                {failures?.[r.id] && (
                  <Text variant="body-small" color="danger" role="alert">
                    {failures[r.id].message}
                  </Text>
                )}
              </Flex>
            ) : (
              <Text variant="body-small" color="secondary">
                Decided
              </Text>
            )}
          </Cell>
        ),
      },
    ];
    return all.filter((c): c is ColumnConfig<AccessRequest> => !!c);
  }, [showApp, onDecide, deciding, failures]);

  const { tableProps } = useTable({
    mode: 'complete',
    data: requests,
    paginationOptions: { pageSize: 20 },
  });

  return (
    <Table
      {...tableProps}
      columnConfig={columns}
      emptyState={<Text variant="body-medium">{emptyText}</Text>}
    />
  );
}
