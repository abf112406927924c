import {
  Alert,
  Button,
  Dialog,
  DialogBody,
  DialogHeader,
  Flex,
  Skeleton,
} from '@backstage/ui';
import { AccessHistoryTable } from './AccessHistoryTable';
import { useAccessHistory } from './useAccessHistory';

function AppHistory({ entityRef }: { entityRef: string }) {
  const { loading, error, events, retry } = useAccessHistory(entityRef);
  if (error) {
    return error.kind === 'permission-denied' ? (
      <Alert
        role="alert"
        status="info"
        icon
        title="You may not see this app's history"
        description="An app's history needs the cloud-run-iap.access.manage permission on it."
      />
    ) : (
      <Alert
        role="alert"
        status="danger"
        icon
        title="The history could not be loaded"
        description={error.message}
        customActions={
          <Button size="small" variant="secondary" onPress={retry}>
            Retry
          </Button>
        }
      />
    );
  }
  if (loading || !events) {
    return (
      <Flex
        direction="column"
        gap="2"
        role="progressbar"
        aria-label="Loading the history"
      >
        <Skeleton width="100%" height={24} />
        <Skeleton width="100%" height={24} />
      </Flex>
    );
  }
  return <AccessHistoryTable events={events} />;
}

/**
 * A dialog with the access history of one app: changes, requests, decisions and expiries,
 * newest first. Open while `entityRef` is set; `onClose` runs when the user closes it.
 */
export function AccessHistoryDialog(props: {
  entityRef: string | undefined;
  onClose: () => void;
}) {
  const { entityRef, onClose } = props;
  return (
    <Dialog
      isOpen={!!entityRef}
      onOpenChange={open => !open && onClose()}
      width="min(960px, 95vw)"
    >
      <DialogHeader>Access history of {entityRef}</DialogHeader>
      <DialogBody>
        {entityRef && <AppHistory entityRef={entityRef} />}
      </DialogBody>
    </Dialog>
  );
}
