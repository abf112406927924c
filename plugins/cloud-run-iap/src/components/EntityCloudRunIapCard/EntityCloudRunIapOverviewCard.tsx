import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Flex, Link, Text } from '@backstage/ui';
import {
  AccessReportResponse,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  RiAlertLine,
  RiArrowRightLine,
  RiCheckboxCircleLine,
  RiSpam2Line,
} from '@remixicon/react';
import { IapStateLabel, IconText } from '../shared/chips';
import { LastChecked } from '../shared/LastChecked';
import { formatDuration } from '../shared/time';
import { CardShell } from './CardStates';
import { coverageTone } from './CoverageMeter';
import { EntityReportLoader, ReportFrameProps } from './EntityReportLoader';
import { FactList } from './FactList';

/** The Access tab's path under the entity page, as the new frontend system mounts it. */
export const ACCESS_TAB_PATH = 'access';

function criticalFindings(service: ServiceAccessReport) {
  return service.findings.filter(f => f.severity === 'critical');
}

function CoverageText({ service }: { service: ServiceAccessReport }) {
  const { coverage } = service;
  const tone = coverageTone(coverage);
  const unit = coverage.unit === 'person' ? 'people' : 'accessors';
  const text = `${coverage.covered} of ${coverage.total} ${unit} (${Math.round(
    coverage.ratio * 100,
  )}%)`;
  return tone === 'full' ? (
    <IconText icon={<RiCheckboxCircleLine size={16} />} tone="good" wrap>
      {text}
    </IconText>
  ) : (
    <IconText
      icon={<RiAlertLine size={16} />}
      tone={tone === 'none' ? 'bad' : 'warn'}
      wrap
    >
      {text}
    </IconText>
  );
}

function CriticalFindings({ service }: { service: ServiceAccessReport }) {
  const critical = criticalFindings(service);
  if (critical.length === 0) {
    return <>None</>;
  }
  return (
    <>
      <IconText icon={<RiSpam2Line size={16} />} tone="bad">
        {critical.length}
      </IconText>
      <ul style={{ margin: 0, paddingLeft: 'var(--bui-space-4)' }}>
        {critical.map((f, i) => (
          <li key={`${f.id}-${i}`}>{f.title}</li>
        ))}
      </ul>
    </>
  );
}

function ServiceOverview(props: {
  service: ServiceAccessReport;
  named: boolean;
}) {
  const { service, named } = props;
  const label = `${service.ref.serviceId} · ${service.region}`;
  return (
    <section aria-label={label}>
      {named && (
        <Text as="h4" variant="body-medium" weight="bold">
          {label}
        </Text>
      )}
      <FactList
        label={`Access summary of ${label}`}
        facts={[
          ['IAP', <IapStateLabel enabled={service.iapEnabled} />],
          ['Context-aware coverage', <CoverageText service={service} />],
          ['Accessors', String(service.accessors.length)],
          ['Critical findings', <CriticalFindings service={service} />],
        ]}
      />
    </section>
  );
}

/** The compact summary: per service its IAP state, coverage, accessors and critical findings. */
export function AccessOverview({ report }: { report: AccessReportResponse }) {
  const { services, unavailableServices, stale } = report;
  return (
    <Flex direction="column" gap="2">
      {stale && (
        <Text as="p" variant="body-small" color="warning">
          Showing data from {formatDuration(stale.ageSeconds)} ago: the latest
          check failed.
        </Text>
      )}
      {services.map(s => (
        <ServiceOverview
          key={s.resourceName}
          service={s}
          named={services.length > 1}
        />
      ))}
      {unavailableServices.length > 0 && (
        <Text as="p" variant="body-medium" color="warning">
          {unavailableServices.length === 1
            ? '1 annotated service is'
            : `${unavailableServices.length} annotated services are`}{' '}
          not shown: the Access tab says why.
        </Text>
      )}
    </Flex>
  );
}

function AccessTabLink() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  return (
    <Link href={`${entityLink(entity)}/${ACCESS_TAB_PATH}`}>
      <IconText icon={<RiArrowRightLine size={16} />}>
        See who can get in
      </IconText>
    </Link>
  );
}

function OverviewCardFrame({ children, loaded }: ReportFrameProps) {
  return (
    <CardShell
      subheader={
        loaded && (
          <LastChecked
            fetchedAt={loaded.report.fetchedAt}
            fromCache={loaded.report.fromCache}
          />
        )
      }
      footer={<AccessTabLink />}
    >
      <Box>{children}</Box>
    </CardShell>
  );
}

/**
 * The compact card for the entity overview: per service the IAP state, the context-aware access
 * coverage, the number of accessors and the critical findings, with a link to the Access tab.
 *
 * @public
 */
export function EntityCloudRunIapOverviewCard() {
  return (
    <EntityReportLoader frame={OverviewCardFrame}>
      {loaded => <AccessOverview report={loaded.report} />}
    </EntityReportLoader>
  );
}
