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
 * The app's access requests. For its managers (`cloud-run-iap.access.manage`, audience
 * `managers`): every request, pending ones first, to approve or deny; `onDecided` runs after
 * each decision (e.g. to read the report again). For anyone else (audience `requester`): their
 * own requests and where they stand. Renders nothing for the other audience.
 */
export function EntityAccessRequests(props: {
  entityRef: CompoundEntityRef;
  audience: 'managers' | 'requester';
  onDecided?: () => void;
  /** A change of it loads the list again (e.g. after the user sent a request). */
  reloadKey?: number;
}) {
  const { audience, onDecided, reloadKey = 0 } = props;
  const { kind, namespace, name } = props.entityRef;
  const ref = stringifyEntityRef({ kind, namespace, name });
  const manage = usePermission({
    permission: cloudRunIapAccessManagePermission,
    resourceRef: ref,
  });
  if (manage.loading || manage.allowed !== (audience === 'managers')) {
    return null;
  }
  return (
    <RequestList
      entityRef={{ kind, namespace, name }}
      canDecide={audience === 'managers'}
      onDecided={onDecided}
      reloadKey={reloadKey}
    />
  );
}

function RequestList(props: {
  entityRef: CompoundEntityRef;
  canDecide: boolean;
  onDecided?: () => void;
  reloadKey: number;
}) {
  const { entityRef, canDecide, onDecided, reloadKey } = props;
  const { kind, namespace, name } = entityRef;
  const list = useAccessRequests(
    api => api.listAccessRequests({ kind, namespace, name }),
    `${stringifyEntityRef(entityRef)}#${reloadKey}`,
    onDecided,
  );
  return (
    <RequestsSection
      id={`cloud-run-iap-entity-requests-${canDecide ? 'managers' : 'own'}`}
      title={canDecide ? 'Access requests' : 'Your access requests'}
      description={
        canDecide
          ? 'People who asked for access to this app. Approving writes a grant that ends by itself (or a permanent one), with the app’s access levels still required.'
          : undefined
      }
      loading={list.loading}
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
