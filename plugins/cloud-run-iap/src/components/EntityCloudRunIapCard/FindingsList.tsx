import { CopyTextButton } from '@backstage/core-components';
import { Finding } from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { SeverityChip, severityRank } from '../shared/labels';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', padding: 0, margin: 0 },
  item: {
    borderLeft: `4px solid ${theme.palette.divider}`,
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(1.5),
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    margin: 0,
  },
  command: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
    borderRadius: 4,
    padding: theme.spacing(0.5, 1),
  },
  pre: {
    margin: 0,
    flex: 1,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontSize: '0.8rem',
  },
}));

/** Findings, most severe first; each with what, why and the fix (copyable command). */
export function FindingsList({ findings }: { findings: Finding[] }) {
  const classes = useStyles();
  if (findings.length === 0) {
    return (
      <Typography variant="body2">No findings: nothing to fix.</Typography>
    );
  }
  const sorted = [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity),
  );
  return (
    <ul className={classes.list} aria-label="Findings">
      {sorted.map((f, i) => (
        <li key={`${f.id}-${i}`} className={classes.item}>
          <Typography
            variant="subtitle2"
            component="h5"
            className={classes.heading}
          >
            <SeverityChip severity={f.severity} />
            {f.title}
          </Typography>
          <Typography variant="body2">
            <strong>What:</strong> {f.what}
          </Typography>
          <Typography variant="body2">
            <strong>Why it matters:</strong> {f.why}
          </Typography>
          <Typography variant="body2">
            <strong>Fix:</strong> {f.fix.text}
          </Typography>
          {f.fix.command && (
            <Box className={classes.command} mt={0.5}>
              <pre className={classes.pre}>{f.fix.command}</pre>
              <CopyTextButton
                text={f.fix.command}
                aria-label={`Copy the fix command for ${f.title}`}
                tooltipText="Command copied"
              />
            </Box>
          )}
          <Typography variant="caption" color="textSecondary">
            Rule {f.id}
          </Typography>
        </li>
      ))}
    </ul>
  );
}
