import { ServicePerimeter, ServicePerimeterConfig } from '../google/types';
import { RUN_API_SERVICE } from '../google/resourceNames';
import { PerimeterMembership, PerimeterStatus } from '../report/types';
import { isSourceError, Sourced } from './sources';

function contains(
  config: ServicePerimeterConfig | undefined,
  projectResource: string,
): boolean {
  return config?.resources?.includes(projectResource) ?? false;
}

function restrictsRun(
  perimeter: ServicePerimeter,
  config: ServicePerimeterConfig | undefined,
): boolean {
  // Bridges only connect perimeters; they restrict no service.
  return (
    perimeter.perimeterType !== 'PERIMETER_TYPE_BRIDGE' &&
    (config?.restrictedServices?.includes(RUN_API_SERVICE) ?? false)
  );
}

/**
 * The VPC Service Controls perimeters containing `projects/{projectNumber}`. A perimeter counts
 * (`inPerimeter`) when its enforced configuration (`status`) restricts `run.googleapis.com`; a
 * project only in the explicit dry-run configuration (`spec` with `useExplicitDryRunSpec`) is
 * listed as dry-run and enforces nothing. Unreadable perimeters give `'unknown'`.
 */
export function evaluatePerimeters(
  perimeters: Sourced<ServicePerimeter[]> | undefined,
  projectNumber: string,
): PerimeterStatus {
  if (perimeters === undefined || isSourceError(perimeters)) {
    return { inPerimeter: 'unknown', perimeters: [] };
  }
  const projectResource = `projects/${projectNumber}`;
  const memberships: PerimeterMembership[] = perimeters.flatMap(perimeter => {
    const enforced = contains(perimeter.status, projectResource);
    const dryRunOnly =
      !enforced &&
      perimeter.useExplicitDryRunSpec === true &&
      contains(perimeter.spec, projectResource);
    if (!enforced && !dryRunOnly) {
      return [];
    }
    return [
      {
        name: perimeter.name,
        ...(perimeter.title !== undefined ? { title: perimeter.title } : {}),
        restrictsRun: restrictsRun(
          perimeter,
          enforced ? perimeter.status : perimeter.spec,
        ),
        dryRun: dryRunOnly,
      },
    ];
  });
  return {
    inPerimeter: memberships.some(m => !m.dryRun && m.restrictsRun),
    perimeters: memberships,
  };
}
