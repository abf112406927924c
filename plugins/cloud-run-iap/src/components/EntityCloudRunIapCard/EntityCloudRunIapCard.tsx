import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { CodeSnippet } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  AccessReportResponse,
  CLOUD_RUN_SERVICE_ANNOTATION,
  getCloudRunServiceRefs,
  isCloudRunIapAvailable,
  UnavailableService,
} from '@internal-apps/plugin-cloud-run-iap-common';
import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useState } from 'react';
import { classifyCloudRunIapError } from '../../api';
import { shortServiceName } from '../shared/labels';
import { LastChecked } from '../shared/LastChecked';
import { formatDuration } from '../shared/time';
import {
  CardShell,
  ErrorCard,
  LoadingCard,
  MalformedAnnotationCard,
} from './CardStates';
import { ServiceReport } from './ServiceReport';
import { SimulateForm } from './SimulateForm';
import { useAccessReport } from './useAccessReport';

const UNAVAILABLE_TEXT: Record<UnavailableService['reason'], string> = {
  'not-found':
    'does not exist in Google Cloud. Check the annotation for a typo, or remove the entry if the service was deleted.',
  'permission-denied':
    "cannot be read by the portal's Google identity. Grant it read access to the service and its IAP policy.",
  'not-configured':
    'is in a project the portal is not configured for (cloudRunIap.projects in app-config).',
  'not-linked':
    'does not name this entity, so the portal shows nothing about it: a service is shown only to the entity it names in its backstage.io/entity-ref annotation, or that a portal operator links it to.',
  error: 'could not be read.',
};

/** A service that does not name the entity: the command that links it, ready to copy. */
function NotLinkedService({ service }: { service: UnavailableService }) {
  return (
    <Box mb={1}>
      <Alert severity="info">
        <AlertTitle>
          {shortServiceName(service.resourceName)} ({service.ref.region}) is not
          linked to this entity
        </AlertTitle>
        The annotated service <code>{service.resourceName}</code>{' '}
        {UNAVAILABLE_TEXT['not-linked']}
        {service.linkCommand ? (
          <>
            <Box mt={1}>
              Someone who may update the service links it with this command:
            </Box>
            <Box mt={1} data-testid="link-command">
              <CodeSnippet
                text={service.linkCommand}
                language="bash"
                showCopyCodeButton
              />
            </Box>
            <Box mt={1}>
              Or a portal operator adds the pair (service, entity) to
              cloudRunIap.links in app-config.
            </Box>
          </>
        ) : (
          <div>Details: {service.message}</div>
        )}
      </Alert>
    </Box>
  );
}

function UnavailableServices({ services }: { services: UnavailableService[] }) {
  return (
    <>
      {services.map(s =>
        s.reason === 'not-linked' ? (
          <NotLinkedService key={s.resourceName} service={s} />
        ) : (
          <Box key={s.resourceName} mb={1}>
            <Alert severity={s.reason === 'not-found' ? 'warning' : 'error'}>
              <AlertTitle>
                {shortServiceName(s.resourceName)} ({s.ref.region}) is
                unavailable
              </AlertTitle>
              The annotated service <code>{s.resourceName}</code>{' '}
              {UNAVAILABLE_TEXT[s.reason]}
              {s.message && <div>Details: {s.message}</div>}
            </Alert>
          </Box>
        ),
      )}
    </>
  );
}

function StaleBanner({
  stale,
}: {
  stale: NonNullable<AccessReportResponse['stale']>;
}) {
  return (
    <Box mb={2}>
      <Alert severity="warning">
        <AlertTitle>
          Showing data from {formatDuration(stale.ageSeconds)} ago
        </AlertTitle>
        The latest check against Google Cloud failed, so this is the last good
        copy. It may be out of date. Reason: {stale.error}
      </Alert>
    </Box>
  );
}

function ReportView(props: {
  entityRef: CompoundEntityRef;
  report: AccessReportResponse;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  const { entityRef, report, refreshing, onRefresh } = props;
  const [tab, setTab] = useState(0);
  const services = report.services;
  const current = services[Math.min(tab, services.length - 1)];
  return (
    <CardShell
      subheader={
        <LastChecked
          fetchedAt={report.fetchedAt}
          fromCache={report.fromCache}
        />
      }
      action={
        <Tooltip title="Check Google Cloud again">
          <span>
            <IconButton
              aria-label="Refresh access report"
              onClick={onRefresh}
              disabled={refreshing}
            >
              {refreshing ? <CircularProgress size={20} /> : <RefreshIcon />}
            </IconButton>
          </span>
        </Tooltip>
      }
    >
      {report.stale && <StaleBanner stale={report.stale} />}
      <UnavailableServices services={report.unavailableServices} />
      {services.length > 1 && (
        <Tabs
          value={tab}
          onChange={(_e, v) => setTab(v)}
          variant="scrollable"
          aria-label="Services of this entity"
          indicatorColor="primary"
        >
          {services.map((s, i) => (
            <Tab
              key={s.resourceName}
              id={`cloud-run-iap-tab-${i}`}
              aria-controls={`cloud-run-iap-tabpanel-${i}`}
              label={`${s.ref.serviceId} · ${s.region}${
                s.iapEnabled ? '' : ' · IAP off'
              }`}
            />
          ))}
        </Tabs>
      )}
      {current && (
        <Box
          role={services.length > 1 ? 'tabpanel' : undefined}
          id={services.length > 1 ? `cloud-run-iap-tabpanel-${tab}` : undefined}
          aria-labelledby={
            services.length > 1 ? `cloud-run-iap-tab-${tab}` : undefined
          }
          pt={services.length > 1 ? 2 : 0}
        >
          <ServiceReport key={current.resourceName} service={current} />
        </Box>
      )}
      {services.length > 0 && <SimulateForm entityRef={entityRef} />}
    </CardShell>
  );
}

function AccessReportCard() {
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error, retry, refresh } = useAccessReport(ref);
  if (value) {
    return (
      <ReportView
        entityRef={ref}
        report={value}
        refreshing={loading}
        onRefresh={refresh}
      />
    );
  }
  if (error) {
    return (
      <ErrorCard error={classifyCloudRunIapError(error)} onRetry={retry} />
    );
  }
  return <LoadingCard />;
}

/**
 * Who can reach the entity's Cloud Run services through IAP: state, accessors, coverage,
 * findings and a context check.
 *
 * @public
 */
export function EntityCloudRunIapCard() {
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
    return <MalformedAnnotationCard message={(e as Error).message} />;
  }
  return <AccessReportCard />;
}
