import { AccessRequestsTable } from './AccessRequestsTable';
import { RequestsSection } from './RequestsSection';
import { useAccessRequests } from './useAccessRequests';

/**
 * Pending requests of every app the signed-in user may manage, to approve or deny (review page);
 * `onDecided` runs after each decision (e.g. to read the review again).
 */
export function PendingAccessRequests(props: { onDecided?: () => void }) {
  const list = useAccessRequests(
    api => api.listPendingAccessRequests(),
    'pending',
    props.onDecided,
  );
  return (
    <RequestsSection
      id="cloud-run-iap-pending-requests"
      title="Pending access requests"
      description="Requests for the apps you may manage, oldest first."
      loading={list.loading}
      error={list.error}
      onRetry={list.retry}
    >
      <AccessRequestsTable
        requests={[...(list.requests ?? [])].sort((a, b) =>
          a.createdAt.localeCompare(b.createdAt),
        )}
        showApp
        onDecide={list.decide}
        deciding={list.deciding}
        failures={list.failures}
        emptyText="No pending requests."
      />
    </RequestsSection>
  );
}
