import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Card, CardBody, Flex } from '@backstage/ui';
import { isCloudRunIapAvailable } from '@internal-apps/plugin-cloud-run-iap-common';
import { useState } from 'react';
import { EntityAccessRequests } from '../AccessRequests';
import { MyAccessCheck } from './MyAccessCheck';

/**
 * The part of the Access tab for everyone who can read the entity, whether or not they may see
 * its accessors: "Why can't I get in?" with Request access, and their own requests.
 */
export function SelfServiceAccess() {
  const { entity } = useEntity();
  const [requests, setRequests] = useState(0);
  if (!isCloudRunIapAvailable(entity)) return null;
  const entityRef = getCompoundEntityRef(entity);
  return (
    <Flex direction="column" gap="4">
      <Card>
        <CardBody>
          <MyAccessCheck
            entityRef={entityRef}
            onRequested={() => setRequests(n => n + 1)}
          />
        </CardBody>
      </Card>
      <EntityAccessRequests
        entityRef={entityRef}
        audience="requester"
        reloadKey={requests}
      />
    </Flex>
  );
}
