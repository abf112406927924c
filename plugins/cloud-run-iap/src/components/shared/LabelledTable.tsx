import {
  Cell,
  Column,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
} from '@backstage/ui';
import { ReactNode } from 'react';

/** A column of {@link LabelledTable}; the row header column names the row for screen readers. */
export type LabelledColumn = {
  id: string;
  label: string;
  isRowHeader?: boolean;
};

/**
 * A small static Backstage UI table with an accessible name. (The `Table` wrapper of BUI takes
 * no label; this is its root, header and body with one.)
 */
export function LabelledTable<T extends { id: string }>(props: {
  label: string;
  columns: LabelledColumn[];
  items: T[];
  cell: (item: T, columnId: string) => ReactNode;
}) {
  const { label, columns, items, cell } = props;
  return (
    <TableRoot aria-label={label}>
      <TableHeader columns={columns}>
        {column => (
          <Column id={column.id} isRowHeader={column.isRowHeader}>
            {column.label}
          </Column>
        )}
      </TableHeader>
      <TableBody items={items}>
        {item => (
          <Row id={item.id} columns={columns}>
            {column => <Cell>{cell(item, column.id)}</Cell>}
          </Row>
        )}
      </TableBody>
    </TableRoot>
  );
}
