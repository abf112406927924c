import {
  Accessor,
  AccessorKind,
  Grant,
  ResolvedAccessLevel,
} from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { Fragment, useMemo, useState } from 'react';
import {
  grantLevelText,
  KindLabel,
  kindText,
  OrganizationLabel,
  organizationText,
  UnrestrictedLabel,
} from '../shared/labels';
import { formatTime } from '../shared/time';
import { usePagedRows } from '../shared/usePagedRows';
import { AccessLevelDetails, describeLevel } from './AccessLevelDetails';

export const PAGE_SIZE = 20;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    marginBottom: theme.spacing(1),
  },
  detail: {
    backgroundColor: theme.palette.background.default,
    padding: theme.spacing(1, 2),
  },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    wordBreak: 'break-all',
  },
  levelChip: { marginRight: theme.spacing(0.5) },
  member: { wordBreak: 'break-all' },
}));

type SortKey = 'member' | 'kind' | 'organization' | 'levels' | 'restriction';
type OrgFilter = 'all' | 'inside' | 'outside' | 'unknown';

/** Short names of the levels restricting every grant; empty when some grant is unrestricted. */
export function restrictingLevels(accessor: Accessor): string[] {
  if (!accessor.contextRestricted || accessor.expired) {
    return [];
  }
  const names = accessor.grants
    .filter(g => !g.expired)
    .flatMap(g => g.conditionAnalysis.referencedLevels);
  return [...new Set(names)];
}

function grantLevels(accessor: Accessor): string {
  return [...new Set(accessor.grants.map(g => grantLevelText(g.level)))].join(
    ', ',
  );
}

const SORTERS: Record<SortKey, (a: Accessor) => string> = {
  member: a => a.displayName.toLocaleLowerCase('en-US'),
  kind: a => kindText(a.kind),
  organization: a => organizationText(a.inOrganization),
  levels: grantLevels,
  restriction: a =>
    a.contextRestricted ? `1${restrictingLevels(a).join(',')}` : '0',
};

function matchesOrg(a: Accessor, filter: OrgFilter) {
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

function LevelChip(props: { name: string; levels: ResolvedAccessLevel[] }) {
  const classes = useStyles();
  const level = props.levels.find(l => l.name === props.name);
  const short = level?.shortName ?? props.name.split('/').pop();
  return (
    <Tooltip title={describeLevel(level, props.name)}>
      <Chip
        size="small"
        label={short}
        tabIndex={0}
        className={classes.levelChip}
        variant="outlined"
      />
    </Tooltip>
  );
}

function GrantDetails(props: { grant: Grant; levels: ResolvedAccessLevel[] }) {
  const classes = useStyles();
  const { grant, levels } = props;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        <strong>{grantLevelText(grant.level)}</strong> ·{' '}
        <span className={classes.code}>{grant.resource}</span> · {grant.role}
        {' · '}
        {grant.contextRestricted ? 'context-restricted' : 'not restricted'}
      </Typography>
      <GrantTimeBound grant={grant} />
      {grant.levelsRestrictingNothing?.length ? (
        <Typography variant="body2" color="error">
          Relies on{' '}
          {grant.levelsRestrictingNothing
            .map(name => name.split('/').pop())
            .join(', ')}
          , which restricts nothing: not counted as restricted.
        </Typography>
      ) : null}
      {grant.condition ? (
        <Typography variant="body2">
          Condition{grant.condition.title ? ` "${grant.condition.title}"` : ''}:{' '}
          <code className={classes.code}>{grant.condition.expression}</code>
        </Typography>
      ) : null}
      <Typography variant="body2" color="textSecondary">
        {grant.conditionAnalysis.summary}
      </Typography>
      {grant.conditionAnalysis.referencedLevels.map(name => (
        <Box key={name} ml={2}>
          <AccessLevelDetails
            name={name}
            level={levels.find(l => l.name === name)}
          />
        </Box>
      ))}
    </Box>
  );
}

/** The expiry of a time-bound grant (`request.time < timestamp(…)`), if it has one. */
function GrantTimeBound({ grant }: { grant: Grant }) {
  if (!grant.expiresAt) {
    return null;
  }
  const at = formatTime(grant.expiresAt);
  if (grant.expired) {
    return (
      <Typography variant="body2" color="error">
        Expired {at}: this grant gives no access; remove it.
      </Typography>
    );
  }
  return (
    <Typography variant="body2">
      {grant.expiresSoon ? `Expires soon: ${at}` : `Expires ${at}`}
    </Typography>
  );
}

/** Size and outside members of an expanded group, or why it could not be expanded. */
function GroupFacts({ accessor }: { accessor: Accessor }) {
  const group = accessor.group;
  if (!group) {
    return null;
  }
  if (!group.expanded) {
    return (
      <Typography variant="caption" display="block">
        members not readable ({group.error}): counted as one accessor
      </Typography>
    );
  }
  const size = `${group.size}${group.truncated ? '+' : ''} ${
    group.size === 1 ? 'person' : 'people'
  }${group.nestedGroups ? `, ${group.nestedGroups} nested groups` : ''}`;
  return (
    <Typography variant="caption" display="block">
      {size}
      {group.externalMembers.length > 0 && (
        <>
          {' · '}
          <strong>
            {group.externalMembers.length} outside the organisation:
          </strong>{' '}
          {group.externalMembers.join(', ')}
        </>
      )}
    </Typography>
  );
}

function AccessorRow(props: {
  accessor: Accessor;
  levels: ResolvedAccessLevel[];
  serviceKey: string;
}) {
  const classes = useStyles();
  const { accessor, levels } = props;
  const [open, setOpen] = useState(false);
  const detailId = `${props.serviceKey}-${accessor.member}-grants`.replace(
    /[^a-zA-Z0-9_-]/g,
    '_',
  );
  const restricting = restrictingLevels(accessor);
  const restrictedGrants = accessor.grants.filter(
    g => g.contextRestricted,
  ).length;
  return (
    <Fragment>
      <TableRow>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={`${open ? 'Hide' : 'Show'} grants of ${
              accessor.member
            }`}
            onClick={() => setOpen(o => !o)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell className={classes.member}>
          <span>{accessor.displayName}</span>
          {accessor.displayName !== accessor.member && (
            <Typography variant="caption" display="block" color="textSecondary">
              {accessor.member}
            </Typography>
          )}
          {accessor.deleted && (
            <Typography variant="caption" display="block">
              deleted principal
            </Typography>
          )}
          {accessor.expired && (
            <Typography variant="caption" display="block">
              every grant expired: no access
            </Typography>
          )}
          <GroupFacts accessor={accessor} />
          {accessor.unrestrictedThrough && (
            <Typography variant="caption" display="block">
              also gets in unrestricted through{' '}
              {accessor.unrestrictedThrough.through} (
              {grantLevelText(accessor.unrestrictedThrough.level)})
            </Typography>
          )}
        </TableCell>
        <TableCell>
          <KindLabel kind={accessor.kind} />
        </TableCell>
        <TableCell>
          <OrganizationLabel value={accessor.inOrganization} />
        </TableCell>
        <TableCell>{grantLevels(accessor)}</TableCell>
        <TableCell>
          {accessor.expired && <Typography variant="body2">Expired</Typography>}
          {!accessor.expired && restricting.length > 0
            ? restricting.map(name => (
                <LevelChip key={name} name={name} levels={levels} />
              ))
            : !accessor.expired && (
                <>
                  <UnrestrictedLabel />
                  {restrictedGrants > 0 && (
                    <Typography variant="caption" display="block">
                      {restrictedGrants} of {accessor.grants.length} grants
                      restricted
                    </Typography>
                  )}
                </>
              )}
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell
          colSpan={6}
          style={{ padding: 0, border: open ? undefined : 0 }}
        >
          <Collapse in={open} unmountOnExit>
            <div id={detailId} className={classes.detail}>
              {accessor.grants.map((g, i) => (
                <GrantDetails key={i} grant={g} levels={levels} />
              ))}
            </div>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'member', label: 'Principal' },
  { key: 'kind', label: 'Kind' },
  { key: 'organization', label: 'Organisation' },
  { key: 'levels', label: 'Granted at' },
  { key: 'restriction', label: 'Restricted by' },
];

/** Every accessor of a service: sortable, filterable, paginated past {@link PAGE_SIZE}. */
export function AccessorsTable(props: {
  accessors: Accessor[];
  levels: ResolvedAccessLevel[];
  serviceKey: string;
}) {
  const classes = useStyles();
  const { accessors, levels, serviceKey } = props;
  const [text, setText] = useState('');
  const [kind, setKind] = useState<AccessorKind | 'all'>('all');
  const [org, setOrg] = useState<OrgFilter>('all');
  const [unrestrictedOnly, setUnrestrictedOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({
    key: 'member',
    dir: 'asc',
  });

  const kinds = useMemo(
    () => [...new Set(accessors.map(a => a.kind))].sort(),
    [accessors],
  );
  const rows = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase('en-US');
    const filtered = accessors.filter(
      a =>
        (!needle ||
          a.member.toLocaleLowerCase('en-US').includes(needle) ||
          a.displayName.toLocaleLowerCase('en-US').includes(needle)) &&
        (kind === 'all' || a.kind === kind) &&
        matchesOrg(a, org) &&
        (!unrestrictedOnly || !a.contextRestricted),
    );
    const key = SORTERS[sort.key];
    const sign = sort.dir === 'asc' ? 1 : -1;
    return filtered.sort(
      (a, b) =>
        sign * key(a).localeCompare(key(b)) || a.member.localeCompare(b.member),
    );
  }, [accessors, text, kind, org, unrestrictedOnly, sort]);

  const paged = usePagedRows(rows, PAGE_SIZE);
  const id = serviceKey.replace(/[^a-zA-Z0-9_-]/g, '_');

  if (accessors.length === 0) {
    return (
      <Typography variant="body2">
        Nobody holds access through IAP on this service.
      </Typography>
    );
  }

  return (
    <Box>
      <div className={classes.filters}>
        <TextField
          id={`${id}-filter`}
          label="Filter accessors"
          placeholder="name or email"
          size="small"
          value={text}
          onChange={e => {
            setText(e.target.value);
            paged.reset();
          }}
        />
        <TextField
          id={`${id}-kind`}
          select
          label="Kind"
          size="small"
          value={kind}
          SelectProps={{ native: true }}
          onChange={e => {
            setKind(e.target.value as AccessorKind | 'all');
            paged.reset();
          }}
        >
          <option value="all">All kinds</option>
          {kinds.map(k => (
            <option key={k} value={k}>
              {kindText(k)}
            </option>
          ))}
        </TextField>
        <TextField
          id={`${id}-org`}
          select
          label="Organisation"
          size="small"
          value={org}
          SelectProps={{ native: true }}
          onChange={e => {
            setOrg(e.target.value as OrgFilter);
            paged.reset();
          }}
        >
          <option value="all">Inside or outside</option>
          <option value="inside">Inside only</option>
          <option value="outside">Outside only</option>
          <option value="unknown">Unknown only</option>
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={unrestrictedOnly}
              onChange={e => {
                setUnrestrictedOnly(e.target.checked);
                paged.reset();
              }}
            />
          }
          label="Unrestricted only"
        />
      </div>
      <Typography variant="caption" role="status" aria-live="polite">
        Showing {rows.length} of {accessors.length} accessors
      </Typography>
      <TableContainer>
        <Table size="small" aria-label="Accessors">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <span style={{ position: 'absolute', left: -9999 }}>
                  Details
                </span>
              </TableCell>
              {COLUMNS.map(col => (
                <TableCell
                  key={col.key}
                  sortDirection={sort.key === col.key ? sort.dir : false}
                >
                  <TableSortLabel
                    active={sort.key === col.key}
                    direction={sort.key === col.key ? sort.dir : 'asc'}
                    onClick={() =>
                      setSort(s => ({
                        key: col.key,
                        dir:
                          s.key === col.key && s.dir === 'asc' ? 'desc' : 'asc',
                      }))
                    }
                  >
                    {col.label}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {paged.visible.map(a => (
              <AccessorRow
                key={a.member}
                accessor={a}
                levels={levels}
                serviceKey={serviceKey}
              />
            ))}
            {paged.visible.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>
                  No accessor matches the filters.
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {rows.length > PAGE_SIZE && (
        <TablePagination
          component="div"
          count={rows.length}
          page={paged.page}
          rowsPerPage={paged.pageSize}
          rowsPerPageOptions={[PAGE_SIZE, 50, 100]}
          onPageChange={(_e, p) => paged.setPage(p)}
          onRowsPerPageChange={e => paged.setPageSize(Number(e.target.value))}
        />
      )}
    </Box>
  );
}
