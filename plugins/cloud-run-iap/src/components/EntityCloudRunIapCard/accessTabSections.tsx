import { CompoundEntityRef } from '@backstage/catalog-model';
import { Text } from '@backstage/ui';
import {
  AccessReportResponse,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { ComponentType } from 'react';
import { AccessFacts } from './AccessFacts';
import { AccessLevelsList } from './AccessLevelsList';
import { AccessorsTable } from './AccessorsTable';
import { CoverageMeter } from './CoverageMeter';
import { FindingsList } from './FindingsList';
import { ServiceSummary } from './ServiceSummary';
import { SimulateForm } from './SimulateForm';

/** What a section about one service of the entity gets. */
export type ServiceSectionProps = {
  entityRef: CompoundEntityRef;
  service: ServiceAccessReport;
  /** Loads the report again from Google, e.g. after the section changed access. */
  onChanged: () => void;
};

/** What a section about the entity as a whole gets. */
export type EntitySectionProps = {
  entityRef: CompoundEntityRef;
  report: AccessReportResponse;
  onChanged: () => void;
};

/**
 * One section of the Access tab. `title` becomes the section's heading; a section without one
 * brings its own. `isShown` leaves the section out when it has nothing to say.
 */
export type AccessSection<P> = {
  id: string;
  title?: (props: P) => string;
  isShown?: (props: P) => boolean;
  Component: ComponentType<P>;
};

function ServiceOverviewSection({ service }: ServiceSectionProps) {
  return (
    <>
      <ServiceSummary service={service} />
      <AccessFacts service={service} />
      <CoverageMeter coverage={service.coverage} />
    </>
  );
}

function AccessorsSection({ service }: ServiceSectionProps) {
  return (
    <AccessorsTable
      accessors={service.accessors}
      levels={service.accessLevels}
      serviceKey={service.resourceName}
    />
  );
}

function FindingsSection({ service }: ServiceSectionProps) {
  return <FindingsList findings={service.findings} />;
}

function AccessLevelsSection({ service }: ServiceSectionProps) {
  return <AccessLevelsList levels={service.accessLevels} />;
}

function NotesSection({ service }: ServiceSectionProps) {
  return (
    <ul>
      {service.notes.map((n, i) => (
        <li key={i}>
          <Text variant="body-medium">{n.message}</Text>
        </li>
      ))}
    </ul>
  );
}

function ContextCheckSection({ entityRef }: EntitySectionProps) {
  return <SimulateForm entityRef={entityRef} />;
}

/**
 * The sections shown for each service, in order. A new section (such as the day-two access
 * controls) is one more entry here.
 */
export const serviceSections: ReadonlyArray<
  AccessSection<ServiceSectionProps>
> = [
  { id: 'overview', Component: ServiceOverviewSection },
  { id: 'accessors', title: () => 'Accessors', Component: AccessorsSection },
  {
    id: 'findings',
    title: ({ service }) => `Findings (${service.findings.length})`,
    Component: FindingsSection,
  },
  {
    id: 'access-levels',
    title: ({ service }) => `Access levels (${service.accessLevels.length})`,
    Component: AccessLevelsSection,
  },
  {
    id: 'notes',
    title: () => 'Incomplete data',
    isShown: ({ service }) => service.notes.length > 0,
    Component: NotesSection,
  },
];

/** The sections shown once for the entity, after its services, in order. */
export const entitySections: ReadonlyArray<AccessSection<EntitySectionProps>> =
  [
    {
      id: 'context-check',
      isShown: ({ report }) => report.services.length > 0,
      Component: ContextCheckSection,
    },
  ];
