import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { Alert, Box, Button, Flex, Skeleton, Text } from '@backstage/ui';
import { CLOUD_RUN_SERVICE_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import { ReactNode } from 'react';
import { CloudRunIapErrorInfo } from '../../api';

export const CARD_TITLE = 'Access through Identity-Aware Proxy';

/** The card frame: the catalog's info card with our title, a subheader and header actions. */
export function CardShell(props: {
  children: ReactNode;
  title?: ReactNode;
  subheader?: ReactNode;
  action?: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <EntityInfoCard
      title={props.title ?? CARD_TITLE}
      headerActions={props.action}
      footerActions={props.footer}
    >
      {props.subheader && (
        <Box mb="2">
          <Text variant="body-small" color="secondary">
            {props.subheader}
          </Text>
        </Box>
      )}
      {props.children}
    </EntityInfoCard>
  );
}

/** The shape of the report while it loads. */
export function LoadingShape() {
  return (
    <Flex
      direction="column"
      gap="2"
      role="progressbar"
      aria-busy="true"
      aria-label="Loading access report"
    >
      <Skeleton width="40%" height={24} />
      <Skeleton width="70%" height={16} />
      <Skeleton width="100%" height={12} rounded />
      {[0, 1, 2, 3].map(i => (
        <Skeleton key={i} width="100%" height={24} />
      ))}
    </Flex>
  );
}

/** The card while the report loads. */
export function LoadingCard() {
  return (
    <CardShell>
      <LoadingShape />
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
export function ErrorAlert(props: {
  error: CloudRunIapErrorInfo;
  onRetry: () => void;
}) {
  const { error, onRetry } = props;
  const text = ERROR_TEXT[error.kind];
  return (
    <Alert
      role="alert"
      status={error.kind === 'permission-denied' ? 'info' : 'danger'}
      icon
      title={text.title}
      description={
        <>
          <Text as="p" variant="body-medium">
            {text.body}
          </Text>
          {error.kind !== 'permission-denied' && error.message && (
            <Text as="p" variant="body-medium">
              Details: {error.message}
              {error.statusCode ? ` (HTTP ${error.statusCode})` : ''}
            </Text>
          )}
        </>
      }
      customActions={
        text.retry ? (
          <Button size="small" variant="secondary" onPress={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    />
  );
}

export function ErrorCard(props: {
  error: CloudRunIapErrorInfo;
  onRetry: () => void;
}) {
  return (
    <CardShell>
      <ErrorAlert {...props} />
    </CardShell>
  );
}

/** The annotation is there but cannot be parsed: say what is wrong and what it should look like. */
export function MalformedAnnotationAlert(props: { message: string }) {
  return (
    <Alert
      role="alert"
      status="danger"
      icon
      title={`The ${CLOUD_RUN_SERVICE_ANNOTATION} annotation is malformed`}
      description={
        <>
          <Text as="p" variant="body-medium">
            {props.message}
          </Text>
          <Text as="div" variant="body-medium">
            Expected, in catalog-info.yaml:
            <pre>
              {`metadata:
  annotations:
    ${CLOUD_RUN_SERVICE_ANNOTATION}: projects/<project-id>/locations/<region>/services/<service-id>`}
            </pre>
            Several services (one per region) are separated by commas.
          </Text>
        </>
      }
    />
  );
}

export function MalformedAnnotationCard(props: { message: string }) {
  return (
    <CardShell>
      <MalformedAnnotationAlert {...props} />
    </CardShell>
  );
}
