import { Box, Button, Flex, Text } from '@backstage/ui';
import {
  DeclaredAccessChange,
  ServiceAccessReport,
  declaredAccessChange,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessChange } from '../../api';

const shortLevel = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** "Adds a. Removes b. Access levels: corp_network." */
function describeChange(change: DeclaredAccessChange): string {
  return [
    change.add.length ? `Adds ${change.add.join(', ')}.` : '',
    change.remove.length ? `Removes ${change.remove.join(', ')}.` : '',
    change.accessLevels
      ? `Access levels: ${
          change.accessLevels.map(shortLevel).join(', ') || 'none'
        }.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The change that applies the catalog's declared access (ACCESS_DRIFT) to the managed grant,
 * offered for preview. Nothing when the service matches its declaration, or when what differs
 * is only grants the portal does not manage.
 */
export function DeclaredAccessAction(props: {
  service: ServiceAccessReport;
  busy: boolean;
  onPreview: (change: AccessChange) => void;
}) {
  const { service, busy, onPreview } = props;
  const change = service.declaredAccess
    ? declaredAccessChange(service.declaredAccess)
    : undefined;
  if (!change) return null;
  return (
    <Box aria-label="Declared access">
      <Flex direction="column" gap="2" align="start">
        <Text as="p" variant="body-medium">
          The catalog declares other access for this service (
          <code>google.com/iap-accessors</code>,{' '}
          <code>google.com/iap-access-levels</code>). Applying it changes the
          managed grant: {describeChange(change)}
        </Text>
        <Button
          variant="secondary"
          isDisabled={busy}
          onPress={() =>
            onPreview({
              service: service.resourceName,
              ...(change.add.length ? { add: change.add } : {}),
              ...(change.remove.length ? { remove: change.remove } : {}),
              ...(change.accessLevels
                ? { accessLevels: change.accessLevels }
                : {}),
            })
          }
        >
          Apply declared access
        </Button>
      </Flex>
    </Box>
  );
}
