import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ReviewRow,
  Severity,
  SEVERITIES,
} from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo, useState } from 'react';
import {
  grantLevelText,
  KindLabel,
  OrganizationLabel,
  SeverityChip,
  severityText,
  shortServiceName,
  UnrestrictedLabel,
} from '../shared/labels';
import { usePagedRows } from '../shared/usePagedRows';

export const REVIEW_PAGE_SIZE = 50;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    margin: theme.spacing(1, 0),
  },
  member: { wordBreak: 'break-all' },
}));

type SeverityFilter = 'all' | 'any' | Severity;

/** Every (app, service, accessor) row, with the review's filters. */
export function ReviewTable({ rows }: { rows: ReviewRow[] }) {
  const classes = useStyles();
  const [externalOnly, setExternalOnly] = useState(false);
  const [unrestrictedOnly, setUnrestrictedOnly] = useState(false);
  const [severity, setSeverity] = useState<SeverityFilter>('all');
  const [text, setText] = useState('');

  const filtered = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase('en-US');
    return rows.filter(
      r =>
        (!externalOnly || r.inOrganization === false) &&
        (!unrestrictedOnly || r.restriction === 'unrestricted') &&
        (severity === 'all' ||
          (severity === 'any'
            ? Boolean(r.topFinding)
            : r.topFinding?.severity === severity)) &&
        (!needle ||
          `${r.entityRef} ${r.serviceName} ${r.member}`
            .toLocaleLowerCase('en-US')
            .includes(needle)),
    );
  }, [rows, externalOnly, unrestrictedOnly, severity, text]);
  const { page, visible, setPage, reset } = usePagedRows(
    filtered,
    REVIEW_PAGE_SIZE,
  );

  return (
    <Box>
      <div className={classes.filters}>
        <TextField
          id="cloud-run-iap-review-filter"
          label="Filter rows"
          placeholder="app, service or accessor"
          size="small"
          value={text}
          onChange={e => {
            setText(e.target.value);
            reset();
          }}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={externalOnly}
              onChange={e => {
                setExternalOnly(e.target.checked);
                reset();
              }}
            />
          }
          label="External only"
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={unrestrictedOnly}
              onChange={e => {
                setUnrestrictedOnly(e.target.checked);
                reset();
              }}
            />
          }
          label="Unrestricted only"
        />
        <TextField
          id="cloud-run-iap-review-severity"
          select
          label="Top finding"
          size="small"
          value={severity}
          SelectProps={{ native: true }}
          onChange={e => {
            setSeverity(e.target.value as SeverityFilter);
            reset();
          }}
        >
          <option value="all">Any or none</option>
          <option value="any">With a finding</option>
          {SEVERITIES.map(s => (
            <option key={s} value={s}>
              {severityText(s)}
            </option>
          ))}
        </TextField>
      </div>
      <Typography variant="caption" role="status" aria-live="polite">
        Showing {filtered.length} of {rows.length} rows
      </Typography>
      <TableContainer>
        <Table size="small" aria-label="Access review">
          <TableHead>
            <TableRow>
              <TableCell>App</TableCell>
              <TableCell>Service</TableCell>
              <TableCell>Accessor</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Organisation</TableCell>
              <TableCell>Granted at</TableCell>
              <TableCell>Restricted by</TableCell>
              <TableCell>Top finding</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.map(r => (
              <TableRow key={`${r.entityRef}|${r.serviceName}|${r.member}`}>
                <TableCell>
                  <EntityRefLink entityRef={r.entityRef} />
                </TableCell>
                <TableCell>
                  {shortServiceName(r.serviceName)}
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {r.serviceName.split('/')[3]}
                  </Typography>
                </TableCell>
                <TableCell className={classes.member}>
                  {r.member}
                  {r.via && r.via.some(v => v !== r.member) && (
                    <Typography
                      variant="caption"
                      display="block"
                      color="textSecondary"
                    >
                      through {r.via.filter(v => v !== r.member).join(', ')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <KindLabel kind={r.kind} />
                </TableCell>
                <TableCell>
                  <OrganizationLabel value={r.inOrganization} />
                </TableCell>
                <TableCell>
                  {r.grantLevels.map(grantLevelText).join(', ')}
                </TableCell>
                <TableCell>
                  {r.restriction === 'unrestricted' ? (
                    <UnrestrictedLabel />
                  ) : (
                    r.restriction.join(', ')
                  )}
                </TableCell>
                <TableCell>
                  {r.topFinding ? (
                    <>
                      <SeverityChip severity={r.topFinding.severity} />{' '}
                      <Typography variant="caption">
                        {r.topFinding.id}
                      </Typography>
                    </>
                  ) : (
                    'None'
                  )}
                </TableCell>
              </TableRow>
            ))}
            {visible.length === 0 && (
              <TableRow>
                <TableCell colSpan={8}>
                  {rows.length === 0
                    ? 'This owner has no apps with Cloud Run services.'
                    : 'No row matches the filters.'}
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {filtered.length > REVIEW_PAGE_SIZE && (
        <TablePagination
          component="div"
          count={filtered.length}
          page={page}
          rowsPerPage={REVIEW_PAGE_SIZE}
          rowsPerPageOptions={[REVIEW_PAGE_SIZE]}
          onPageChange={(_e, p) => setPage(p)}
        />
      )}
    </Box>
  );
}
