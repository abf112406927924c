import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  SimulationDecision,
  SimulationRequest,
  SimulationResult,
  validateSimulationRequest,
} from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';
import { IconText, KindLabel, shortServiceName } from '../shared/labels';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-start',
  },
}));

type Fields = { ip: string; region: string; member: string };
type FieldErrors = Partial<Record<keyof Fields, string>>;

const HINTS: Record<keyof Fields, string> = {
  ip: 'Enter an IPv4 or IPv6 address, e.g. 203.0.113.7',
  region: 'Enter a two-letter country code, e.g. GB',
  member: 'Enter user:EMAIL or serviceAccount:EMAIL',
};

/** Checks the form as the backend would; returns the request or the problems per field. */
export function validateContext(fields: Fields): {
  request?: SimulationRequest;
  errors: FieldErrors;
} {
  const ip = fields.ip.trim();
  const region = fields.region.trim().toUpperCase();
  const member = fields.member.trim();
  const request: SimulationRequest = {
    ...(ip ? { ip } : {}),
    ...(region ? { region } : {}),
    ...(member ? { member } : {}),
  };
  const errors: FieldErrors = {};
  // The same rules the backend applies; the messages here say what to type.
  for (const problem of validateSimulationRequest(request)) {
    const field = problem.slice(0, problem.indexOf(':')) as keyof Fields;
    errors[field] = HINTS[field];
  }
  if (!ip && !region && !member) {
    errors.ip = 'Enter an IP address, a region or a member to check';
  }
  return Object.keys(errors).length > 0 ? { errors } : { errors, request };
}

export function DecisionLabel({ decision }: { decision: SimulationDecision }) {
  switch (decision) {
    case 'allow':
      return (
        <IconText icon={<CheckCircleIcon fontSize="small" />} tone="good">
          Allow
        </IconText>
      );
    case 'deny':
      return (
        <IconText icon={<BlockIcon fontSize="small" />} tone="bad">
          Deny
        </IconText>
      );
    default:
      return (
        <IconText icon={<HelpOutlineIcon fontSize="small" />} tone="muted">
          Unknown
        </IconText>
      );
  }
}

function Results({ result }: { result: SimulationResult }) {
  return (
    <Box mt={2} aria-live="polite">
      {result.services.map(s => (
        <Box key={s.resourceName} mb={2}>
          <Typography variant="subtitle2" component="h5">
            {shortServiceName(s.resourceName)} ({s.resourceName.split('/')[3]})
            {!s.iapEnabled && ' — IAP is off, so IAP checks nothing'}
          </Typography>
          {s.notes.map(n => (
            <Typography key={n} variant="body2" color="textSecondary">
              {n}
            </Typography>
          ))}
          {s.accessors.length === 0 ? (
            <Typography variant="body2">
              No accessor matches this context.
            </Typography>
          ) : (
            <Table
              size="small"
              aria-label={`Decisions for ${shortServiceName(s.resourceName)}`}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Accessor</TableCell>
                  <TableCell>Kind</TableCell>
                  <TableCell>Decision</TableCell>
                  <TableCell>Why</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {s.accessors.map(a => (
                  <TableRow key={a.member}>
                    <TableCell style={{ wordBreak: 'break-all' }}>
                      {a.member}
                    </TableCell>
                    <TableCell>
                      <KindLabel kind={a.kind} />
                    </TableCell>
                    <TableCell>
                      <DecisionLabel decision={a.decision} />
                    </TableCell>
                    <TableCell>{a.reasons.join(' ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      ))}
    </Box>
  );
}

/** "Check a context": IP, region and optional member in; allow / deny / unknown per accessor out. */
export function SimulateForm({ entityRef }: { entityRef: CompoundEntityRef }) {
  const classes = useStyles();
  const api = useApi(cloudRunIapApiRef);
  const [fields, setFields] = useState<Fields>({
    ip: '',
    region: '',
    member: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [result, setResult] = useState<SimulationResult>();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateContext(fields);
    setErrors(checked.errors);
    if (!checked.request) {
      return;
    }
    setPending(true);
    setFailure(undefined);
    try {
      setResult(await api.simulateAccess(entityRef, checked.request));
    } catch (e) {
      setResult(undefined);
      const info = classifyCloudRunIapError(e);
      setFailure(
        info.kind === 'permission-denied'
          ? 'You may not check access for this app.'
          : info.message,
      );
    } finally {
      setPending(false);
    }
  };

  const field = (name: keyof Fields, label: string, helper: string) => (
    <TextField
      id={`cloud-run-iap-simulate-${name}`}
      label={label}
      size="small"
      value={fields[name]}
      error={Boolean(errors[name])}
      helperText={errors[name] ?? helper}
      onChange={e => {
        const value = e.target.value;
        setFields(f => ({ ...f, [name]: value }));
      }}
    />
  );

  return (
    <Box
      component="section"
      aria-labelledby="cloud-run-iap-simulate-title"
      mt={3}
    >
      <Typography id="cloud-run-iap-simulate-title" variant="h6" component="h3">
        Check a context
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Would IAP let a request from this IP address and country through?
        Evaluated against the access levels of every grant; device rules cannot
        be decided and show as unknown.
      </Typography>
      <form
        className={classes.form}
        onSubmit={onSubmit}
        noValidate
        aria-label="Check a context"
      >
        {field('ip', 'IP address', 'IPv4 or IPv6, e.g. 203.0.113.7')}
        {field('region', 'Region', 'Country code, e.g. GB')}
        {field(
          'member',
          'Member (optional)',
          'user:EMAIL or serviceAccount:EMAIL',
        )}
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={pending}
          startIcon={pending ? <CircularProgress size={16} /> : undefined}
        >
          Check
        </Button>
      </form>
      {failure && (
        <Box mt={2}>
          <Alert severity="error">{failure}</Alert>
        </Box>
      )}
      {result && <Results result={result} />}
    </Box>
  );
}
