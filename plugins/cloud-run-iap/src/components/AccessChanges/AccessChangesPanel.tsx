import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { RequirePermission } from '@backstage/plugin-permission-react';
import { Alert, Button, Flex, Text } from '@backstage/ui';
import {
  cloudRunIapAccessManagePermission,
  MANAGED_CONDITION_TITLE,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { useMemo } from 'react';
import { AccessChangePreview } from '../../api';
import { serviceLabel } from '../AccessRequests/serviceLabel';
import { AccessChangeForm } from './AccessChangeForm';
import { AccessChangePreviewView } from './AccessChangePreviewView';
import { DeclaredAccessAction } from './DeclaredAccessAction';
import { accessorControls } from './managedAccessors';
import { useAccessChange } from './useAccessChange';
import { useAccessLevelOptions } from './useAccessLevelOptions';

/**
 * The owners' controls for one service: add and remove accessors of the managed grant and set
 * or clear its access levels, each previewed (bindings and coverage, before and after) and then
 * applied with the previewed etag; the catalog's declared access is one such change, prefilled.
 * Absent without `cloud-run-iap.access.manage` on the entity.
 */
export function AccessChangesPanel(props: {
  entityRef: CompoundEntityRef;
  service: ServiceAccessReport;
  onApplied?: (preview: AccessChangePreview) => void;
}) {
  const { kind, namespace, name } = props.entityRef;
  return (
    <RequirePermission
      permission={cloudRunIapAccessManagePermission}
      resourceRef={stringifyEntityRef({ kind, namespace, name })}
      errorPage={<></>}
    >
      <AccessChanges {...props} />
    </RequirePermission>
  );
}

function AccessChanges(props: {
  entityRef: CompoundEntityRef;
  service: ServiceAccessReport;
  onApplied?: (preview: AccessChangePreview) => void;
}) {
  const { entityRef, service, onApplied } = props;
  const { state, preview, apply, reset } = useAccessChange(
    entityRef,
    onApplied,
  );
  const levelOptions = useAccessLevelOptions(service.projectId);
  const controls = useMemo(() => accessorControls(service), [service]);
  const currentLevels = useMemo(() => managedLevels(service), [service]);
  const headingId = `cloud-run-iap-change-${service.ref.serviceId}-${service.ref.region}`;

  return (
    <section aria-labelledby={headingId}>
      <Flex direction="column" gap="3">
        <Text as="h3" variant="title-x-small" id={headingId}>
          Change access to {serviceLabel(service.resourceName)}
        </Text>
        <Text as="p" variant="body-medium" color="secondary">
          Changes apply to the grant the portal manages on this service. Each
          change is previewed first and applied only to the policy you
          previewed.
        </Text>
        {(state.step === 'editing' ||
          state.step === 'previewing' ||
          (state.step === 'failed' && !state.preview)) && (
          <DeclaredAccessAction
            service={service}
            busy={state.step === 'previewing'}
            onPreview={preview}
          />
        )}
        {(state.step === 'editing' ||
          state.step === 'previewing' ||
          (state.step === 'failed' && !state.preview)) && (
          <AccessChangeForm
            service={service.resourceName}
            controls={controls}
            currentLevels={currentLevels}
            levelOptions={levelOptions.options}
            levelOptionsError={levelOptions.error}
            busy={state.step === 'previewing'}
            onPreview={preview}
          />
        )}
        {state.step === 'failed' && (
          <Alert
            role="alert"
            status="danger"
            icon
            title={
              state.preview
                ? 'The change was not applied'
                : 'The change could not be previewed'
            }
            description={state.error.message}
          />
        )}
        {state.step === 'changed-since-you-looked' && (
          <Alert
            role="alert"
            status="warning"
            icon
            title="The access changed since you looked"
            description={`${state.message} Nothing was written. The preview below is against the current policy.`}
          />
        )}
        {state.step === 'applied' && (
          <Alert
            role="status"
            status="success"
            icon
            title="Access changed"
            description={`Coverage is now ${state.preview.after.coverage.covered} of ${state.preview.after.coverage.total}. Google may take a few minutes to apply it everywhere.`}
            customActions={
              <Button size="small" variant="secondary" onPress={reset}>
                Make another change
              </Button>
            }
          />
        )}
        {(state.step === 'previewed' ||
          state.step === 'applying' ||
          state.step === 'changed-since-you-looked' ||
          (state.step === 'failed' && state.preview)) && (
          <>
            <AccessChangePreviewView preview={state.preview!} />
            <Flex gap="2">
              <Button
                isPending={state.step === 'applying'}
                onPress={() => apply(state.change, state.preview!)}
              >
                Apply change
              </Button>
              <Button variant="secondary" onPress={reset}>
                Discard
              </Button>
            </Flex>
          </>
        )}
      </Flex>
    </section>
  );
}

/** The access levels the managed grant requires today. */
function managedLevels(service: ServiceAccessReport): string[] {
  const levels = new Set<string>();
  for (const accessor of service.accessors) {
    for (const grant of accessor.grants) {
      if (
        grant.level === 'service' &&
        grant.condition?.title === MANAGED_CONDITION_TITLE
      ) {
        grant.conditionAnalysis.referencedLevels.forEach(l => levels.add(l));
      }
    }
  }
  return [...levels].sort();
}
