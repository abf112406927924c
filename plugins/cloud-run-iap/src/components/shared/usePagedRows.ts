import { useState } from 'react';

/**
 * One page of `rows`, with the page clamped when filtering shrinks the list. `reset` goes back
 * to the first page (call it when a filter changes).
 */
export function usePagedRows<T>(rows: readonly T[], initialPageSize: number) {
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
  const current = Math.min(page, lastPage);
  return {
    page: current,
    pageSize,
    visible: rows.slice(current * pageSize, (current + 1) * pageSize),
    setPage,
    setPageSize: (size: number) => {
      setPageSize(size);
      setPage(0);
    },
    reset: () => setPage(0),
  };
}
