import {
  Column,
  Flex,
  Row,
  TableBody,
  TableHeader,
  TablePagination,
  TableRoot,
  Text,
  useTable,
} from '@backstage/ui';
import { ReviewRow } from '@internal-apps/plugin-cloud-run-iap-common';
import { useMemo, useState } from 'react';
import { AccessHistoryDialog } from '../AccessHistory';
import { reviewColumns } from './reviewColumns';
import { ReviewFilters } from './ReviewFilters';
import {
  filterReviewRows,
  NO_REVIEW_FILTER,
  ReviewFilter,
  ReviewTableRow,
  searchReviewRows,
  sortReviewRows,
  toTableRows,
} from './reviewRows';

export const REVIEW_PAGE_SIZE = 50;

/**
 * Every (app, service, accessor) row, with the review's filters, sorting and paging
 * (`useTable` in complete mode: the backend sends every row at once), and each app's history.
 */
export function ReviewTable({ rows }: { rows: ReviewRow[] }) {
  const data = useMemo(() => toTableRows(rows), [rows]);
  const [historyOf, setHistoryOf] = useState<string>();
  const columns = useMemo(
    () => reviewColumns({ onShowHistory: setHistoryOf }),
    [],
  );
  const { tableProps, filter, search } = useTable<ReviewTableRow, ReviewFilter>(
    {
      mode: 'complete',
      data,
      initialFilter: NO_REVIEW_FILTER,
      filterFn: filterReviewRows,
      searchFn: searchReviewRows,
      sortFn: sortReviewRows,
      paginationOptions: { pageSize: REVIEW_PAGE_SIZE, pageSizeOptions: [] },
    },
  );
  const { pagination, sort } = tableProps;
  const matching =
    pagination.type === 'page' ? pagination.totalCount ?? 0 : data.length;

  return (
    <div>
      <ReviewFilters
        search={search.value}
        onSearchChange={search.onChange}
        filter={filter.value ?? NO_REVIEW_FILTER}
        onFilterChange={filter.onChange}
      />
      <Text variant="body-small" role="status" aria-live="polite">
        Showing {matching} of {rows.length} rows
      </Text>
      <TableRoot
        aria-label="Access review"
        sortDescriptor={sort?.descriptor ?? undefined}
        onSortChange={sort?.onSortChange}
      >
        <TableHeader columns={columns}>
          {column => (
            <Column
              id={column.id}
              isRowHeader={column.isRowHeader}
              allowsSorting={column.isSortable}
            >
              {column.label}
            </Column>
          )}
        </TableHeader>
        <TableBody
          items={tableProps.data ?? []}
          renderEmptyState={() => (
            <Flex p="3">
              {rows.length === 0
                ? 'This owner has no apps with Cloud Run services.'
                : 'No row matches the filters.'}
            </Flex>
          )}
        >
          {item => (
            <Row id={item.id} columns={columns}>
              {column => column.cell(item)}
            </Row>
          )}
        </TableBody>
      </TableRoot>
      {pagination.type === 'page' && matching > REVIEW_PAGE_SIZE && (
        <TablePagination
          pageSize={pagination.pageSize}
          pageSizeOptions={[]}
          offset={pagination.offset}
          totalCount={pagination.totalCount}
          hasNextPage={pagination.hasNextPage}
          hasPreviousPage={pagination.hasPreviousPage}
          onNextPage={pagination.onNextPage}
          onPreviousPage={pagination.onPreviousPage}
        />
      )}
      <AccessHistoryDialog
        entityRef={historyOf}
        onClose={() => setHistoryOf(undefined)}
      />
    </div>
  );
}
