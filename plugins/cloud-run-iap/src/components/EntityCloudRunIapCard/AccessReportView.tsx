import { CompoundEntityRef } from '@backstage/catalog-model';
import { Box, Flex, Tab, TabList, TabPanel, Tabs } from '@backstage/ui';
import { AccessReportResponse } from '@internal-apps/plugin-cloud-run-iap-common';
import { useState } from 'react';
import { AccessSections } from './AccessSections';
import { entitySections } from './accessTabSections';
import { StaleBanner, UnavailableServices } from './ReportBanners';
import { ServiceReport } from './ServiceReport';

/**
 * The whole access report of an entity: banners, one tab per service (when there are several)
 * with the service sections, then the entity sections (the context check, later day-two
 * controls).
 */
export function AccessReportView(props: {
  entityRef: CompoundEntityRef;
  report: AccessReportResponse;
  onChanged: () => void;
  /** Each section in a card of its own (the Access tab) rather than inside one card. */
  framed?: boolean;
}) {
  const { entityRef, report, onChanged, framed = false } = props;
  const services = report.services;
  const [selected, setSelected] = useState(services[0]?.resourceName);
  const serviceReport = (service: (typeof services)[number]) => (
    <ServiceReport
      key={service.resourceName}
      entityRef={entityRef}
      service={service}
      onChanged={onChanged}
      framed={framed}
    />
  );
  return (
    <Flex direction="column" gap={framed ? '4' : '3'}>
      {report.stale && <StaleBanner stale={report.stale} />}
      <UnavailableServices services={report.unavailableServices} />
      {services.length === 1 && serviceReport(services[0])}
      {services.length > 1 && (
        <Tabs
          selectedKey={
            services.some(s => s.resourceName === selected)
              ? selected
              : services[0].resourceName
          }
          onSelectionChange={key => setSelected(String(key))}
        >
          <TabList aria-label="Services of this entity">
            {services.map(s => (
              <Tab key={s.resourceName} id={s.resourceName}>
                {`${s.ref.serviceId} · ${s.region}${
                  s.iapEnabled ? '' : ' · IAP off'
                }`}
              </Tab>
            ))}
          </TabList>
          {services.map(s => (
            <TabPanel key={s.resourceName} id={s.resourceName}>
              <Box pt="3">{serviceReport(s)}</Box>
            </TabPanel>
          ))}
        </Tabs>
      )}
      <AccessSections
        sections={entitySections}
        sectionProps={{ entityRef, report, onChanged }}
        framed={framed}
      />
    </Flex>
  );
}
