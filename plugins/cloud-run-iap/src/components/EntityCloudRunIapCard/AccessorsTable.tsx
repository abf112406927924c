import {
  ButtonIcon,
  Cell,
  Checkbox,
  Column,
  Flex,
  Row,
  Select,
  SortDescriptor,
  TableBody,
  TableHeader,
  TablePagination,
  TableRoot,
  Text,
  TextField,
  useTable,
  VisuallyHidden,
} from '@backstage/ui';
import {
  Accessor,
  AccessorKind,
  ResolvedAccessLevel,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { RiArrowDownSLine, RiArrowRightSLine } from '@remixicon/react';
import { useMemo, useState } from 'react';
import {
  KindLabel,
  OrganizationLabel,
  UnrestrictedLabel,
} from '../shared/chips';
import {
  grantLevelText,
  kindText,
  organizationText,
} from '../shared/labelText';
import { domIdPart } from '../shared/resourceNames';
import {
  GrantDetails,
  GroupFacts,
  grantLevels,
  LevelChip,
  restrictingLevels,
} from './AccessorDetails';

export { restrictingLevels } from './AccessorDetails';

export const PAGE_SIZE = 20;

type OrgFilter = 'all' | 'inside' | 'outside' | 'unknown';

/** The filters above the table; the text search is the table's own search state. */
export type AccessorFilter = {
  kind: AccessorKind | 'all';
  organization: OrgFilter;
  unrestrictedOnly: boolean;
};

const NO_FILTER: AccessorFilter = {
  kind: 'all',
  organization: 'all',
  unrestrictedOnly: false,
};

/** A row of the table: an accessor, keyed by its member. */
type AccessorItem = { id: string; accessor: Accessor };

/** The grants of an opened accessor, shown in a row under it. */
type GrantsItem = { id: string; accessor: Accessor; grantsOf: string };

type SortKey = 'member' | 'kind' | 'organization' | 'levels' | 'restriction';

const SORT_VALUES: Record<SortKey, (a: Accessor) => string> = {
  member: a => a.displayName.toLocaleLowerCase('en-US'),
  kind: a => kindText(a.kind),
  organization: a => organizationText(a.inOrganization),
  levels: grantLevels,
  restriction: a =>
    a.contextRestricted ? `1${restrictingLevels(a).join(',')}` : '0',
};

const COLUMNS: Array<{ id: SortKey; label: string }> = [
  { id: 'member', label: 'Principal' },
  { id: 'kind', label: 'Kind' },
  { id: 'organization', label: 'Organisation' },
  { id: 'levels', label: 'Granted at' },
  { id: 'restriction', label: 'Restricted by' },
];

const DETAILS_COLUMN = 'details';

function sortAccessors(items: AccessorItem[], sort: SortDescriptor) {
  const value = SORT_VALUES[sort.column as SortKey] ?? SORT_VALUES.member;
  const sign = sort.direction === 'descending' ? -1 : 1;
  return [...items].sort(
    (a, b) =>
      sign * value(a.accessor).localeCompare(value(b.accessor)) ||
      a.accessor.member.localeCompare(b.accessor.member),
  );
}

function matchesOrganization(a: Accessor, filter: OrgFilter) {
  switch (filter) {
    case 'inside':
      return a.inOrganization === true;
    case 'outside':
      return a.inOrganization === false;
    case 'unknown':
      return a.inOrganization === 'unknown';
    default:
      return true;
  }
}

function filterAccessors(items: AccessorItem[], filter: AccessorFilter) {
  return items.filter(
    ({ accessor: a }) =>
      (filter.kind === 'all' || a.kind === filter.kind) &&
      matchesOrganization(a, filter.organization) &&
      (!filter.unrestrictedOnly || !a.contextRestricted),
  );
}

function searchAccessors(items: AccessorItem[], search: string) {
  const needle = search.trim().toLocaleLowerCase('en-US');
  if (!needle) {
    return items;
  }
  return items.filter(
    ({ accessor: a }) =>
      a.member.toLocaleLowerCase('en-US').includes(needle) ||
      a.displayName.toLocaleLowerCase('en-US').includes(needle),
  );
}

function PrincipalCell({ accessor }: { accessor: Accessor }) {
  return (
    <Cell style={{ wordBreak: 'break-all' }}>
      <span>{accessor.displayName}</span>
      {accessor.displayName !== accessor.member && (
        <Text as="div" variant="body-small" color="secondary">
          {accessor.member}
        </Text>
      )}
      {accessor.deleted && (
        <Text as="div" variant="body-small">
          deleted principal
        </Text>
      )}
      {accessor.expired && (
        <Text as="div" variant="body-small">
          every grant expired: no access
        </Text>
      )}
      <GroupFacts accessor={accessor} />
      {accessor.unrestrictedThrough && (
        <Text as="div" variant="body-small">
          also gets in unrestricted through{' '}
          {accessor.unrestrictedThrough.through} (
          {grantLevelText(accessor.unrestrictedThrough.level)})
        </Text>
      )}
    </Cell>
  );
}

function RestrictionCell(props: {
  accessor: Accessor;
  levels: ResolvedAccessLevel[];
}) {
  const { accessor, levels } = props;
  const restricting = restrictingLevels(accessor);
  const restrictedGrants = accessor.grants.filter(
    g => g.contextRestricted,
  ).length;
  if (accessor.expired) {
    return (
      <Cell>
        <Text variant="body-medium">Expired</Text>
      </Cell>
    );
  }
  if (restricting.length > 0) {
    return (
      <Cell>
        {restricting.map(name => (
          <LevelChip key={name} name={name} levels={levels} />
        ))}
      </Cell>
    );
  }
  return (
    <Cell>
      <UnrestrictedLabel />
      {restrictedGrants > 0 && (
        <Text as="div" variant="body-small">
          {restrictedGrants} of {accessor.grants.length} grants restricted
        </Text>
      )}
    </Cell>
  );
}

function AccessorFilters(props: {
  id: string;
  kinds: AccessorKind[];
  search: string;
  onSearch: (value: string) => void;
  filter: AccessorFilter;
  onFilter: (value: AccessorFilter) => void;
}) {
  const { id, kinds, filter, onFilter } = props;
  return (
    <Flex gap="4" align="end" mb="2" style={{ flexWrap: 'wrap' }}>
      <TextField
        id={`${id}-filter`}
        label="Filter accessors"
        placeholder="name or email"
        value={props.search}
        onChange={props.onSearch}
      />
      <Select
        id={`${id}-kind`}
        label="Kind"
        value={filter.kind}
        onChange={key =>
          onFilter({ ...filter, kind: String(key) as AccessorFilter['kind'] })
        }
        options={[
          { id: 'all', label: 'All kinds' },
          ...kinds.map(k => ({ id: k, label: kindText(k) })),
        ]}
      />
      <Select
        id={`${id}-org`}
        label="Organisation"
        value={filter.organization}
        onChange={key =>
          onFilter({ ...filter, organization: String(key) as OrgFilter })
        }
        options={[
          { id: 'all', label: 'Inside or outside' },
          { id: 'inside', label: 'Inside only' },
          { id: 'outside', label: 'Outside only' },
          { id: 'unknown', label: 'Unknown only' },
        ]}
      />
      <Checkbox
        isSelected={filter.unrestrictedOnly}
        onChange={checked => onFilter({ ...filter, unrestrictedOnly: checked })}
      >
        Unrestricted only
      </Checkbox>
    </Flex>
  );
}

/**
 * Every accessor of a service: sortable, filterable, paginated past {@link PAGE_SIZE}; a row
 * opens to show the accessor's grants.
 */
export function AccessorsTable(props: {
  accessors: Accessor[];
  levels: ResolvedAccessLevel[];
  serviceKey: string;
}) {
  const { accessors, levels, serviceKey } = props;
  const id = domIdPart(serviceKey);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const data = useMemo(
    () => accessors.map(a => ({ id: a.member, accessor: a })),
    [accessors],
  );
  const kinds = useMemo(
    () => [...new Set(accessors.map(a => a.kind))].sort(),
    [accessors],
  );
  const { tableProps, filter, search } = useTable<AccessorItem, AccessorFilter>(
    {
      mode: 'complete',
      data,
      initialSort: { column: 'member', direction: 'ascending' },
      initialFilter: NO_FILTER,
      sortFn: sortAccessors,
      filterFn: filterAccessors,
      searchFn: searchAccessors,
      paginationOptions: {
        pageSize: PAGE_SIZE,
        pageSizeOptions: [20, 50, 100],
      },
    },
  );

  if (accessors.length === 0) {
    return (
      <Text as="p" variant="body-medium">
        Nobody holds access through IAP on this service.
      </Text>
    );
  }

  const pagination = tableProps.pagination;
  // A new filter shows the first page. useTable clamps the page to the shorter list instead
  // when the filter is applied on a later page; setting the page size (unchanged) restarts.
  const backToFirstPage = () => {
    if (pagination.type === 'page') {
      pagination.onPageSizeChange?.(pagination.pageSize);
    }
  };
  const shown = pagination.type === 'page' ? pagination.totalCount ?? 0 : 0;
  const detailId = (member: string) => `${id}-${domIdPart(member)}-grants`;
  const toggle = (member: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(member)) {
        next.add(member);
      }
      return next;
    });
  const rows: Array<AccessorItem | GrantsItem> = (
    tableProps.data ?? []
  ).flatMap(item =>
    open.has(item.id)
      ? [item, { ...item, id: `${item.id}#grants`, grantsOf: item.id }]
      : [item],
  );
  const columns = [{ id: DETAILS_COLUMN, label: 'Details' }, ...COLUMNS];

  return (
    <div>
      <AccessorFilters
        id={id}
        kinds={kinds}
        search={search.value}
        onSearch={value => {
          search.onChange(value);
          backToFirstPage();
        }}
        filter={filter.value ?? NO_FILTER}
        onFilter={value => {
          filter.onChange(value);
          backToFirstPage();
        }}
      />
      <Text as="p" variant="body-small" role="status" aria-live="polite">
        Showing {shown} of {accessors.length} accessors
      </Text>
      <TableRoot
        aria-label="Accessors"
        sortDescriptor={tableProps.sort?.descriptor ?? undefined}
        onSortChange={tableProps.sort?.onSortChange}
      >
        <TableHeader columns={columns}>
          {column =>
            column.id === DETAILS_COLUMN ? (
              <Column id={column.id} style={{ width: 48 }}>
                <VisuallyHidden>{column.label}</VisuallyHidden>
              </Column>
            ) : (
              <Column
                id={column.id}
                allowsSorting
                isRowHeader={column.id === 'member'}
              >
                {column.label}
              </Column>
            )
          }
        </TableHeader>
        <TableBody
          items={rows}
          dependencies={[open, levels]}
          renderEmptyState={() => (
            <Text
              as="p"
              variant="body-medium"
              style={{ padding: 'var(--bui-space-3)' }}
            >
              No accessor matches the filters.
            </Text>
          )}
        >
          {item =>
            'grantsOf' in item ? (
              <Row id={item.id}>
                <Cell colSpan={columns.length}>
                  <div
                    id={detailId(item.grantsOf)}
                    style={{
                      backgroundColor: 'var(--bui-bg-neutral-2)',
                      padding: 'var(--bui-space-2) var(--bui-space-4)',
                    }}
                  >
                    {item.accessor.grants.map((g, i) => (
                      <GrantDetails key={i} grant={g} levels={levels} />
                    ))}
                  </div>
                </Cell>
              </Row>
            ) : (
              <Row id={item.id}>
                <Cell>
                  <ButtonIcon
                    size="small"
                    variant="tertiary"
                    aria-expanded={open.has(item.id)}
                    aria-controls={
                      open.has(item.id) ? detailId(item.id) : undefined
                    }
                    aria-label={`${
                      open.has(item.id) ? 'Hide' : 'Show'
                    } grants of ${item.accessor.member}`}
                    icon={
                      open.has(item.id) ? (
                        <RiArrowDownSLine />
                      ) : (
                        <RiArrowRightSLine />
                      )
                    }
                    onPress={() => toggle(item.id)}
                  />
                </Cell>
                <PrincipalCell accessor={item.accessor} />
                <Cell>
                  <KindLabel kind={item.accessor.kind} />
                </Cell>
                <Cell>
                  <OrganizationLabel value={item.accessor.inOrganization} />
                </Cell>
                <Cell>{grantLevels(item.accessor)}</Cell>
                <RestrictionCell accessor={item.accessor} levels={levels} />
              </Row>
            )
          }
        </TableBody>
      </TableRoot>
      {pagination.type === 'page' && shown > PAGE_SIZE && (
        <TablePagination {...pagination} />
      )}
    </div>
  );
}
