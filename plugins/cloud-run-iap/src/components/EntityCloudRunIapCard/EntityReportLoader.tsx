import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  AccessReportResponse,
  CLOUD_RUN_SERVICE_ANNOTATION,
  getCloudRunServiceRefs,
  isCloudRunIapAvailable,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { ComponentType, ReactNode } from 'react';
import { classifyCloudRunIapError } from '../../api';
import {
  ErrorAlert,
  LoadingShape,
  MalformedAnnotationAlert,
} from './CardStates';
import { useAccessReport } from './useAccessReport';

/** A loaded report and what can be done with it. */
export type LoadedReport = {
  entityRef: CompoundEntityRef;
  report: AccessReportResponse;
  refreshing: boolean;
  refresh: () => void;
};

/** What frames the states: a card, or the Access tab. `loaded` is there once a report is. */
export type ReportFrameProps = {
  children: ReactNode;
  loaded?: LoadedReport;
};

function LoadReport(props: {
  frame: ComponentType<ReportFrameProps>;
  children: (loaded: LoadedReport) => ReactNode;
}) {
  const { frame: Frame } = props;
  const { entity } = useEntity();
  const entityRef = getCompoundEntityRef(entity);
  const { value, loading, error, retry, refresh } = useAccessReport(entityRef);
  if (value) {
    const loaded = { entityRef, report: value, refreshing: loading, refresh };
    return <Frame loaded={loaded}>{props.children(loaded)}</Frame>;
  }
  if (error) {
    return (
      <Frame>
        <ErrorAlert error={classifyCloudRunIapError(error)} onRetry={retry} />
      </Frame>
    );
  }
  return (
    <Frame>
      <LoadingShape />
    </Frame>
  );
}

/**
 * The entity's access report in a frame, with every state before it: no annotation (how to add
 * it), a malformed one (what is wrong), loading, and errors (with a retry where one helps).
 */
export function EntityReportLoader(props: {
  frame: ComponentType<ReportFrameProps>;
  children: (loaded: LoadedReport) => ReactNode;
}) {
  const { frame: Frame } = props;
  const { entity } = useEntity();
  if (!isCloudRunIapAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={CLOUD_RUN_SERVICE_ANNOTATION}
        readMoreUrl="https://cloud.google.com/iap/docs/enabling-cloud-run"
      />
    );
  }
  try {
    getCloudRunServiceRefs(entity);
  } catch (e) {
    return (
      <Frame>
        <MalformedAnnotationAlert message={(e as Error).message} />
      </Frame>
    );
  }
  return <LoadReport frame={Frame}>{props.children}</LoadReport>;
}
