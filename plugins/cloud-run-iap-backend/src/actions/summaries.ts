import {
  AccessReportResponse,
  Finding,
  UnavailableService,
} from '@internal-apps/plugin-cloud-run-iap-common';

/*
 * What the actions answer, cut from the HTTP API's answers to the fields their output schemas
 * list: the registry drops what a schema does not list, so each field here is named once.
 */

export function summarizeFinding(finding: Finding) {
  return {
    id: finding.id,
    severity: finding.severity,
    title: finding.title,
    what: finding.what,
    why: finding.why,
    fix: finding.fix,
    ...(finding.subjects ? { subjects: finding.subjects } : {}),
  };
}

export function summarizeUnavailableService(service: UnavailableService) {
  return {
    resourceName: service.resourceName,
    reason: service.reason,
    message: service.message,
    ...(service.linkCommand ? { linkCommand: service.linkCommand } : {}),
  };
}

/** The report, cut to what an agent answers with: who gets in, how restricted, what is wrong. */
export function summarizeReport(report: AccessReportResponse) {
  return {
    entityRef: report.entityRef,
    fetchedAt: report.fetchedAt,
    fromCache: report.fromCache,
    ...(report.stale ? { stale: report.stale } : {}),
    services: report.services.map(service => ({
      resourceName: service.resourceName,
      region: service.region,
      ...(service.uri ? { url: service.uri } : {}),
      iapEnabled: service.iapEnabled,
      ...(service.ingress ? { ingress: service.ingress } : {}),
      coverage: {
        covered: service.coverage.covered,
        total: service.coverage.total,
        ratio: service.coverage.ratio,
        uncoveredMembers: service.coverage.uncoveredMembers,
      },
      accessors: service.accessors.map(accessor => ({
        member: accessor.member,
        kind: accessor.kind,
        inOrganization: accessor.inOrganization,
        contextRestricted: accessor.contextRestricted,
        ...(accessor.expired ? { expired: true } : {}),
      })),
      accessLevels: service.accessLevels.map(level => level.name),
      findings: service.findings.map(summarizeFinding),
    })),
    unavailableServices: report.unavailableServices.map(
      summarizeUnavailableService,
    ),
  };
}
