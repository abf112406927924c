import { CompoundEntityRef } from '@backstage/catalog-model';
import { Alert, Flex } from '@backstage/ui';
import { ServiceAccessReport } from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessSections } from './AccessSections';
import { serviceSections } from './accessTabSections';

/** Everything about one service: IAP state first, then the service sections in order. */
export function ServiceReport(props: {
  entityRef: CompoundEntityRef;
  service: ServiceAccessReport;
  onChanged: () => void;
  framed?: boolean;
}) {
  const { service, framed = false } = props;
  return (
    <Flex direction="column" gap="3">
      {!service.iapEnabled && (
        <Alert
          role="alert"
          status="danger"
          icon
          title={`IAP is off for ${service.ref.serviceId}`}
          description={
            <>
              Requests reach the app without an Identity-Aware Proxy sign-in
              {service.invokerIamDisabled
                ? ', and the invoker check is disabled: anyone who knows the URL can use it.'
                : '; only the Cloud Run invoker check stands in the way.'}{' '}
              The accessors below are not enforced until IAP is turned back on.
            </>
          }
        />
      )}
      <AccessSections
        sections={serviceSections}
        sectionProps={{
          entityRef: props.entityRef,
          service,
          onChanged: props.onChanged,
        }}
        framed={framed}
      />
    </Flex>
  );
}
