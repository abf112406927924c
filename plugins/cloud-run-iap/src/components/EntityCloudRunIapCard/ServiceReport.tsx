import { ServiceAccessReport } from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { AccessFacts } from './AccessFacts';
import { AccessorsTable } from './AccessorsTable';
import { CoverageMeter } from './CoverageMeter';
import { FindingsList } from './FindingsList';
import { ServiceSummary } from './ServiceSummary';

/** Everything about one service: IAP state, facts, coverage, accessors, findings. */
export function ServiceReport({ service }: { service: ServiceAccessReport }) {
  return (
    <Box>
      {!service.iapEnabled && (
        <Alert severity="error" variant="filled">
          <AlertTitle>IAP is off for {service.ref.serviceId}</AlertTitle>
          Requests reach the app without an Identity-Aware Proxy sign-in
          {service.invokerIamDisabled
            ? ', and the invoker check is disabled: anyone who knows the URL can use it.'
            : '; only the Cloud Run invoker check stands in the way.'}{' '}
          The accessors below are not enforced until IAP is turned back on.
        </Alert>
      )}
      <ServiceSummary service={service} />
      <AccessFacts service={service} />
      <CoverageMeter coverage={service.coverage} />
      <Typography variant="h6" component="h4">
        Accessors
      </Typography>
      <AccessorsTable
        accessors={service.accessors}
        levels={service.accessLevels}
        serviceKey={service.resourceName}
      />
      <Box mt={2}>
        <Typography variant="h6" component="h4" gutterBottom>
          Findings ({service.findings.length})
        </Typography>
        <FindingsList findings={service.findings} />
      </Box>
      {service.notes.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2" component="h5">
            Incomplete data
          </Typography>
          <ul>
            {service.notes.map((n, i) => (
              <li key={i}>
                <Typography variant="body2">{n.message}</Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Box>
  );
}
