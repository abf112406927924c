import { useApi } from '@backstage/core-plugin-api';
import { ReviewResponse } from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Paper from '@material-ui/core/Paper';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Autocomplete from '@material-ui/lab/Autocomplete';
import Skeleton from '@material-ui/lab/Skeleton';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';
import { formatTime } from '../shared/time';
import { ReviewTable } from './ReviewTable';
import { useOwnerChoices, useReview } from './useReview';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  counts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
    gap: theme.spacing(2),
    margin: theme.spacing(0, 0, 2),
    padding: 0,
  },
  count: { padding: theme.spacing(1.5, 2), listStyle: 'none' },
  number: { fontSize: '2rem', fontWeight: 600, lineHeight: 1.2 },
}));

function Counts({ review }: { review: ReviewResponse }) {
  const classes = useStyles();
  const s = review.summary;
  const items: Array<[string, string, string]> = [
    [
      'Apps',
      String(s.apps),
      `${s.services} service${s.services === 1 ? '' : 's'}`,
    ],
    ['Accessors', String(s.accessors), 'distinct per service'],
    [
      'Coverage',
      `${Math.round(s.coverageRatio * 100)}%`,
      `${s.coveredAccessors} of ${s.accessors} behind context-aware access`,
    ],
    [
      'Critical findings',
      String(s.findingsBySeverity.critical),
      `${s.findingsBySeverity.high} high, ${s.findingsBySeverity.medium} medium`,
    ],
  ];
  return (
    <ul className={classes.counts} aria-label="Review summary">
      {items.map(([label, value, detail]) => (
        <Paper
          component="li"
          key={label}
          className={classes.count}
          variant="outlined"
        >
          <Typography variant="overline" component="p">
            {label}
          </Typography>
          <Typography
            className={classes.number}
            component="p"
            aria-label={`${label}: ${value}`}
          >
            {value}
          </Typography>
          <Typography variant="caption">{detail}</Typography>
        </Paper>
      ))}
    </ul>
  );
}

function fileName(owner: string) {
  const safe = owner.replace(/[^a-zA-Z0-9-]+/g, '-');
  return `iap-access-review-${safe}-${new Date()
    .toISOString()
    .slice(0, 10)}.csv`;
}

function CsvButton({ owner, byPerson }: { owner: string; byPerson: boolean }) {
  const api = useApi(cloudRunIapApiRef);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const download = async () => {
    setPending(true);
    setFailure(undefined);
    try {
      const blob = byPerson
        ? await api.getReviewCsv(owner, { expand: 'people' })
        : await api.getReviewCsv(owner);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(owner);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setFailure(classifyCloudRunIapError(e).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        onClick={download}
        disabled={pending}
        startIcon={pending ? <CircularProgress size={16} /> : <GetAppIcon />}
      >
        Download CSV
      </Button>
      {failure && (
        <Alert severity="error" role="alert">
          The CSV could not be downloaded: {failure}
        </Alert>
      )}
    </>
  );
}

function ReviewBody({ owner, byPerson }: { owner: string; byPerson: boolean }) {
  const { value, loading, error, retry } = useReview(owner, byPerson);
  if (loading && !value) {
    return (
      <Box role="progressbar" aria-busy="true" aria-label="Loading review">
        <Skeleton variant="rect" height={80} />
        {[0, 1, 2, 3, 4].map(i => (
          <Skeleton key={i} variant="text" height={32} />
        ))}
      </Box>
    );
  }
  if (error) {
    const info = classifyCloudRunIapError(error);
    if (info.kind === 'permission-denied') {
      return (
        <Alert severity="info">
          <AlertTitle>You may not review this owner's apps</AlertTitle>
          Reading access needs the cloud-run-iap.access.read permission.
        </Alert>
      );
    }
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={retry}>
            Retry
          </Button>
        }
      >
        <AlertTitle>
          {info.kind === 'invalid-input'
            ? 'That owner cannot be reviewed'
            : 'The review could not be loaded'}
        </AlertTitle>
        {info.message}
      </Alert>
    );
  }
  if (!value) {
    return null;
  }
  return (
    <>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Generated {formatTime(value.generatedAt)} for {value.owner}
      </Typography>
      <Counts review={value} />
      {value.unavailableServices.length + value.errors.length > 0 && (
        <Box mb={2}>
          <Alert severity="warning">
            <AlertTitle>Some apps are missing from this review</AlertTitle>
            <ul style={{ margin: 0 }}>
              {value.unavailableServices.map(u => (
                <li key={`${u.entityRef}|${u.resourceName}`}>
                  {u.entityRef}: {u.resourceName} ({u.reason}) {u.message}
                </li>
              ))}
              {value.errors.map(e => (
                <li key={e.entityRef}>
                  {e.entityRef}: {e.message}
                </li>
              ))}
            </ul>
          </Alert>
        </Box>
      )}
      <ReviewTable rows={value.rows} />
    </>
  );
}

/** The access review of every app an owner owns: counts, filters, rows and a CSV download. */
export function ReviewPageContent() {
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const choices = useOwnerChoices();
  const options = choices.value ?? [];
  const owner = params.get('owner') ?? options[0];
  const byPerson = params.get('expand') === 'people';

  const choose = (value: string | null) => {
    const trimmed = value?.trim();
    if (trimmed) {
      setParams({ owner: trimmed, ...(byPerson ? { expand: 'people' } : {}) });
    }
  };
  const showByPerson = (on: boolean) =>
    setParams({
      ...(owner ? { owner } : {}),
      ...(on ? { expand: 'people' } : {}),
    });

  return (
    <div className={classes.root}>
      <Typography variant="body1" gutterBottom>
        Who can reach every Cloud Run app an owner owns, through Identity-Aware
        Proxy, and how well context-aware access covers them.
      </Typography>
      <div className={classes.toolbar}>
        <Autocomplete
          freeSolo
          options={options}
          value={owner ?? null}
          onChange={(_e, v) => choose(v)}
          style={{ minWidth: 360 }}
          renderInput={p => (
            <TextField
              {...p}
              label="Owner"
              helperText="A group or user entity reference, e.g. group:default/my-team"
              variant="outlined"
              size="small"
            />
          )}
        />
        <FormControlLabel
          control={
            <Switch
              checked={byPerson}
              onChange={e => showByPerson(e.target.checked)}
              color="primary"
            />
          }
          label="One row per person (groups expanded)"
        />
        {owner && <CsvButton owner={owner} byPerson={byPerson} />}
      </div>
      {owner && <ReviewBody owner={owner} byPerson={byPerson} />}
      {!owner && choices.loading && <Skeleton variant="rect" height={80} />}
      {!owner && !choices.loading && (
        <Alert severity="info">Choose an owner to review their apps.</Alert>
      )}
    </div>
  );
}
