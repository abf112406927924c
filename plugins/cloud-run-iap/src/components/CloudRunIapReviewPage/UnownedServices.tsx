import {
  Alert,
  Button,
  Card,
  CardBody,
  Column,
  Flex,
  Row,
  Skeleton,
  TableBody,
  TableHeader,
  TablePagination,
  TableRoot,
  Text,
  useTable,
} from '@backstage/ui';
import { classifyCloudRunIapError } from '../../api';
import { UnownedServiceRow } from './unownedServiceRows';
import { UNOWNED_SERVICE_COLUMNS } from './unownedServiceColumns';
import { useUnownedServices } from './useUnownedServices';

const PAGE_SIZE = 20;
const TITLE_ID = 'cloud-run-iap-unowned-services';

/** The commands need the room: left to share it, the table wraps them a few letters a line. */
const COLUMN_WIDTHS: Record<string, string | undefined> = {
  service: '22%',
  fix: '46%',
};

function UnownedServicesTable({ rows }: { rows: UnownedServiceRow[] }) {
  const { tableProps } = useTable<UnownedServiceRow>({
    mode: 'complete',
    data: rows,
    paginationOptions: { pageSize: PAGE_SIZE, pageSizeOptions: [] },
  });
  const { pagination } = tableProps;
  return (
    <>
      <TableRoot aria-label="Unowned services">
        <TableHeader columns={UNOWNED_SERVICE_COLUMNS}>
          {column => (
            <Column
              id={column.id}
              isRowHeader={column.isRowHeader}
              style={{ width: COLUMN_WIDTHS[column.id] }}
            >
              {column.label}
            </Column>
          )}
        </TableHeader>
        <TableBody items={tableProps.data ?? []}>
          {item => (
            <Row id={item.id} columns={UNOWNED_SERVICE_COLUMNS}>
              {column => column.cell(item)}
            </Row>
          )}
        </TableBody>
      </TableRoot>
      {pagination.type === 'page' && rows.length > PAGE_SIZE && (
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
    </>
  );
}

function UnownedServicesBody({ owner }: { owner: string }) {
  const { value, loading, error, retry } = useUnownedServices(owner);
  if (error) {
    return (
      <Alert
        role="alert"
        status="danger"
        icon
        title="The unowned services could not be read from the catalog"
        description={classifyCloudRunIapError(error).message}
        customActions={
          <Button size="small" variant="secondary" onPress={retry}>
            Retry
          </Button>
        }
      />
    );
  }
  if (loading || !value) {
    return (
      <div role="progressbar" aria-label="Loading unowned services">
        <Skeleton width="100%" height={24} />
        <Skeleton width="100%" height={24} />
      </div>
    );
  }
  return (
    <>
      {value.unreadable.length > 0 && (
        <Alert
          status="warning"
          icon
          title="Some catalog entities are not discovered services as discovery writes them"
          description={
            <ul style={{ margin: 0 }}>
              {value.unreadable.map(u => (
                <li key={u.entityRef}>
                  {u.entityRef}: {u.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {value.rows.length === 0 ? (
        <Text as="p" variant="body-medium">
          No unowned services.
        </Text>
      ) : (
        <UnownedServicesTable rows={value.rows} />
      )}
    </>
  );
}

/**
 * The Cloud Run services that discovery put in the catalog for `owner` and that need its
 * attention: IAP off, or linked to no entity; each with the commands that fix it.
 */
export function UnownedServices({ owner }: { owner: string }) {
  return (
    <Card role="region" aria-labelledby={TITLE_ID}>
      <CardBody>
        <Flex direction="column" gap="2">
          <Text as="h3" variant="title-x-small" id={TITLE_ID}>
            Unowned services
          </Text>
          <Text as="p" variant="body-medium" color="secondary">
            Cloud Run services of the discovered projects that {owner} owns in
            the catalog and that have IAP off or are linked to no app. Someone
            who may update a service runs its command.
          </Text>
          <UnownedServicesBody owner={owner} />
        </Flex>
      </CardBody>
    </Card>
  );
}
