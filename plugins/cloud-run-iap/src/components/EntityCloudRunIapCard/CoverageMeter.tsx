import { CoverageSummary } from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useId } from 'react';

const useStyles = makeStyles(theme => ({
  bar: { height: 10, borderRadius: 5, marginTop: theme.spacing(0.5) },
  full: { backgroundColor: theme.palette.success.main },
  partial: { backgroundColor: theme.palette.warning.main },
  none: { backgroundColor: theme.palette.error.main },
}));

/** A bar of accessors covered by context-aware access, with the count in words. */
export function CoverageMeter({ coverage }: { coverage: CoverageSummary }) {
  const classes = useStyles();
  const labelId = useId();
  const percent = Math.round(coverage.ratio * 100);
  let tone: 'full' | 'partial' | 'none' = 'partial';
  if (coverage.covered === coverage.total) {
    tone = 'full';
  } else if (coverage.covered === 0) {
    tone = 'none';
  }
  const people = coverage.unit === 'person';
  const verdict = (
    people
      ? {
          full: 'every person is restricted',
          partial: 'some people are unrestricted',
          none: 'nobody is restricted',
        }
      : {
          full: 'every accessor is restricted',
          partial: 'some accessors are unrestricted',
          none: 'no accessor is restricted',
        }
  )[tone];
  const counted = people ? 'people (groups expanded)' : 'accessors';
  return (
    <Box my={2}>
      <Typography id={labelId} variant="subtitle2" component="h4">
        Context-aware access coverage
      </Typography>
      <Typography variant="body2">
        <strong>
          {coverage.covered} of {coverage.total}
        </strong>{' '}
        {counted} covered ({percent}%): {verdict}
        {coverage.total === 0 && ' (nobody has access)'}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={coverage.total === 0 ? 100 : percent}
        aria-labelledby={labelId}
        aria-valuetext={`${coverage.covered} of ${coverage.total} ${counted} covered`}
        className={classes.bar}
        classes={{ bar: classes[tone] }}
      />
    </Box>
  );
}
