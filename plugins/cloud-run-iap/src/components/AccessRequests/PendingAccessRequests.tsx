import { AccessRequestsTable } from './AccessRequestsTable';
import { RequestsSection } from './RequestsSection';
import { useAccessRequests } from './useAccessRequests';

/** Pending requests of every app the signed-in user may manage, to approve or deny (review page). */
export function PendingAccessRequests() {
  const list = useAccessRequests(
    api => api.listPendingAccessRequests(),
    'pending',
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
        emptyText="No request is waiting for you."
      />
    </RequestsSection>
  );
}
