import { CodeSnippet } from '@backstage/core-components';
import { Alert, Box, Flex, Text } from '@backstage/ui';
import {
  AccessReportResponse,
  UnavailableService,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { shortServiceName } from '../shared/resourceNames';
import { formatDuration } from '../shared/time';

const UNAVAILABLE_TEXT: Record<UnavailableService['reason'], string> = {
  'not-found':
    'does not exist in Google Cloud. Check the annotation for a typo, or remove the entry if the service was deleted.',
  'permission-denied':
    "cannot be read by the portal's Google identity. Grant it read access to the service and its IAP policy.",
  'not-configured':
    'is in a project the portal is not configured for (cloudRunIap.projects in app-config).',
  'not-linked':
    'does not name this entity, so the portal shows nothing about it: a service is shown only to the entity it names in its backstage.io/entity-ref annotation, or that a portal operator links it to.',
  error: 'could not be read.',
};

/** A service that does not name the entity: the command that links it, ready to copy. */
function NotLinkedService({ service }: { service: UnavailableService }) {
  return (
    <Alert
      role="alert"
      status="info"
      icon
      title={`${shortServiceName(service.resourceName)} (${
        service.ref.region
      }) is not linked to this entity`}
      description={
        <>
          The annotated service <code>{service.resourceName}</code>{' '}
          {UNAVAILABLE_TEXT['not-linked']}
          {service.linkCommand ? (
            <>
              <Box mt="2">
                Someone who may update the service links it with this command:
              </Box>
              <Box mt="2" data-testid="link-command">
                <CodeSnippet
                  text={service.linkCommand}
                  language="bash"
                  showCopyCodeButton
                />
              </Box>
              <Box mt="2">
                Or a portal operator adds the pair (service, entity) to
                cloudRunIap.links in app-config.
              </Box>
            </>
          ) : (
            <div>Details: {service.message}</div>
          )}
        </>
      }
    />
  );
}

/** One alert per annotated service the report could not include, saying why and what to do. */
export function UnavailableServices({
  services,
}: {
  services: UnavailableService[];
}) {
  if (services.length === 0) {
    return null;
  }
  return (
    <Flex direction="column" gap="2" mb="2">
      {services.map(s =>
        s.reason === 'not-linked' ? (
          <NotLinkedService key={s.resourceName} service={s} />
        ) : (
          <Alert
            key={s.resourceName}
            role="alert"
            status={s.reason === 'not-found' ? 'warning' : 'danger'}
            icon
            title={`${shortServiceName(s.resourceName)} (${
              s.ref.region
            }) is unavailable`}
            description={
              <>
                The annotated service <code>{s.resourceName}</code>{' '}
                {UNAVAILABLE_TEXT[s.reason]}
                {s.message && <div>Details: {s.message}</div>}
              </>
            }
          />
        ),
      )}
    </Flex>
  );
}

/** The report is an older copy because the latest check failed: its age and the reason. */
export function StaleBanner({
  stale,
}: {
  stale: NonNullable<AccessReportResponse['stale']>;
}) {
  return (
    <Box mb="3">
      <Alert
        role="alert"
        status="warning"
        icon
        title={`Showing data from ${formatDuration(stale.ageSeconds)} ago`}
        description={
          <Text as="p" variant="body-medium">
            The latest check against Google Cloud failed, so this is the last
            good copy. It may be out of date. Reason: {stale.error}
          </Text>
        }
      />
    </Box>
  );
}
