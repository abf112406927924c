import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Skeleton from '@material-ui/lab/Skeleton';
import { CLOUD_RUN_SERVICE_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import { ReactNode } from 'react';
import { CloudRunIapErrorInfo } from '../../api';

export const CARD_TITLE = 'Access through Identity-Aware Proxy';

export function CardShell(props: {
  children: ReactNode;
  subheader?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <InfoCard
      title={CARD_TITLE}
      subheader={props.subheader}
      action={props.action}
    >
      {props.children}
    </InfoCard>
  );
}

/** The shape of the card while the report loads. */
export function LoadingCard() {
  return (
    <CardShell>
      <Box
        role="progressbar"
        aria-busy="true"
        aria-label="Loading access report"
      >
        <Skeleton variant="text" width="40%" height={32} />
        <Skeleton variant="text" width="70%" />
        <Skeleton variant="rect" height={12} style={{ margin: '16px 0' }} />
        {[0, 1, 2, 3].map(i => (
          <Skeleton key={i} variant="text" height={28} />
        ))}
      </Box>
    </CardShell>
  );
}

const ERROR_TEXT: Record<
  CloudRunIapErrorInfo['kind'],
  { title: string; body: string; retry: boolean }
> = {
  'permission-denied': {
    title: 'You may not see who can access this app',
    body: 'Your permissions do not include reading the access of this entity (cloud-run-iap.access.read). Ask the app owners or a portal administrator if you need it.',
    retry: false,
  },
  'not-found': {
    title: 'This entity could not be found',
    body: 'The catalog has no such entity, or you may not read it.',
    retry: true,
  },
  unavailable: {
    title: 'Google Cloud could not be reached',
    body: 'The portal could not read the service from Google Cloud and has no earlier copy. Try again in a moment.',
    retry: true,
  },
  unauthenticated: {
    title: 'Your session has expired',
    body: 'Sign in again to see who can access this app.',
    retry: true,
  },
  'invalid-input': {
    title: 'The request was refused',
    body: 'The backend refused the request.',
    retry: true,
  },
  error: {
    title: 'The access report could not be loaded',
    body: 'Something went wrong while building the report.',
    retry: true,
  },
};

/** Error states: permission denied shows no data and no retry; the others offer a retry. */
export function ErrorCard(props: {
  error: CloudRunIapErrorInfo;
  onRetry: () => void;
}) {
  const { error, onRetry } = props;
  const text = ERROR_TEXT[error.kind];
  return (
    <CardShell>
      <Alert
        severity={error.kind === 'permission-denied' ? 'info' : 'error'}
        action={
          text.retry ? (
            <Button color="inherit" size="small" onClick={onRetry}>
              Retry
            </Button>
          ) : undefined
        }
      >
        <AlertTitle>{text.title}</AlertTitle>
        <Typography variant="body2">{text.body}</Typography>
        {error.kind !== 'permission-denied' && error.message && (
          <Typography variant="body2" component="p">
            Details: {error.message}
            {error.statusCode ? ` (HTTP ${error.statusCode})` : ''}
          </Typography>
        )}
      </Alert>
    </CardShell>
  );
}

/** The annotation is there but cannot be parsed: say what is wrong and what it should look like. */
export function MalformedAnnotationCard(props: { message: string }) {
  return (
    <CardShell>
      <Alert severity="error">
        <AlertTitle>
          The {CLOUD_RUN_SERVICE_ANNOTATION} annotation is malformed
        </AlertTitle>
        <Typography variant="body2">{props.message}</Typography>
        <Typography variant="body2" component="div">
          Expected, in catalog-info.yaml:
          <pre>
            {`metadata:
  annotations:
    ${CLOUD_RUN_SERVICE_ANNOTATION}: projects/<project-id>/locations/<region>/services/<service-id>`}
          </pre>
          Several services (one per region) are separated by commas.
        </Typography>
      </Alert>
    </CardShell>
  );
}
