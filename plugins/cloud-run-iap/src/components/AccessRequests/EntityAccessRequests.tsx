import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import { cloudRunIapAccessManagePermission } from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessRequestsTable } from './AccessRequestsTable';
import { RequestsSection } from './RequestsSection';
import { useAccessRequests } from './useAccessRequests';

/**
 * The app's access requests. Its managers (`cloud-run-iap.access.manage`) see every request and
 * approve or deny the pending ones; anyone else sees only their own requests and where they stand.
 */
export function EntityAccessRequests(props: { entityRef: CompoundEntityRef }) {
  const { kind, namespace, name } = props.entityRef;
  const ref = stringifyEntityRef({ kind, namespace, name });
  const manage = usePermission({
    permission: cloudRunIapAccessManagePermission,
    resourceRef: ref,
  });
  const list = useAccessRequests(
    api => api.listAccessRequests({ kind, namespace, name }),
    ref,
  );
  const canDecide = !manage.loading && manage.allowed;
  return (
    <RequestsSection
      id="cloud-run-iap-entity-requests"
      title={canDecide ? 'Access requests' : 'Your access requests'}
      description={
        canDecide
          ? 'People who asked for access to this app. Approving writes a grant that ends by itself (or a permanent one), with the app’s access levels still required.'
          : undefined
      }
      loading={list.loading || manage.loading}
      error={list.error}
      onRetry={list.retry}
    >
      <AccessRequestsTable
        requests={
          canDecide
            ? sortPendingFirst(list.requests ?? [])
            : list.requests ?? []
        }
        onDecide={canDecide ? list.decide : undefined}
        deciding={list.deciding}
        failures={list.failures}
        emptyText={
          canDecide
            ? 'Nobody has asked for access to this app.'
            : 'You have not asked for access to this app.'
        }
      />
    </RequestsSection>
  );
}

function sortPendingFirst<T extends { status: string; createdAt: string }>(
  items: T[],
): T[] {
  return [...items].sort(
    (a, b) =>
      Number(b.status === 'pending') - Number(a.status === 'pending') ||
      b.createdAt.localeCompare(a.createdAt),
  );
}
