import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { RequirePermission } from '@backstage/plugin-permission-react';
import { Card, CardBody, Flex } from '@backstage/ui';
import {
  AccessReportResponse,
  cloudRunIapAccessManagePermission,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { EntityAccessRequests } from '../AccessRequests';
import { AccessChangesPanel } from './AccessChangesPanel';

/**
 * The owners' part of the Access tab, only with `cloud-run-iap.access.manage` on the entity:
 * the change controls of each service, then the app's access requests to approve or deny.
 * `onChanged` reads the report again after a change or a decision.
 */
export function ManageAccessSections(props: {
  entityRef: CompoundEntityRef;
  report: AccessReportResponse;
  onChanged: () => void;
}) {
  const { entityRef, report, onChanged } = props;
  const { kind, namespace, name } = entityRef;
  return (
    <RequirePermission
      permission={cloudRunIapAccessManagePermission}
      resourceRef={stringifyEntityRef({ kind, namespace, name })}
      errorPage={<></>}
    >
      <Flex direction="column" gap="4">
        <EntityAccessRequests
          entityRef={entityRef}
          audience="managers"
          onDecided={onChanged}
        />
        {report.services.map(service => (
          <Card key={service.resourceName}>
            <CardBody>
              <AccessChangesPanel
                entityRef={entityRef}
                service={service}
                onApplied={onChanged}
              />
            </CardBody>
          </Card>
        ))}
      </Flex>
    </RequirePermission>
  );
}
