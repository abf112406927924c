/*
 * Test data shaped like the backend's answers for the demo world
 * (packages/google-cloud-fake/seeds/demo.yaml, examples/entities.yaml).
 */
import { Entity } from '@backstage/catalog-model';
import {
  Accessor,
  AccessReportResponse,
  ConditionAnalysis,
  Finding,
  Grant,
  ResolvedAccessLevel,
  ReviewResponse,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';

export const ORG_POLICY = 'accessPolicies/555000000001';
export const CORP_NETWORK = `${ORG_POLICY}/accessLevels/corp_network`;
export const UK_ONLY = `${ORG_POLICY}/accessLevels/uk_only`;
export const PROJECT = 'acme-internal-apps';
export const IAP_AGENT =
  'serviceAccount:service-100000000001@gcp-sa-iap.iam.gserviceaccount.com';

export function entity(
  name = 'access-manager',
  annotation:
    | string
    | null = `projects/${PROJECT}/locations/europe-west2/services/${name}`,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(annotation
        ? { annotations: { 'google.com/cloud-run-service': annotation } }
        : {}),
    },
    spec: { type: 'service', owner: 'group:internal-apps-team' },
  };
}

const unconditional: ConditionAnalysis = {
  understood: true,
  requiresAccessLevels: false,
  requiredLevelSets: [],
  referencedLevels: [],
  usesNegation: false,
  usesOr: false,
  orWeakensRestriction: false,
  usesPathOrHost: false,
  otherAttributes: [],
  summary: 'No condition: the grant always applies.',
};

function requiring(level: string): ConditionAnalysis {
  return {
    ...unconditional,
    requiresAccessLevels: true,
    requiredLevelSets: [[level]],
    referencedLevels: [level],
    summary: `Requires access level ${level.split('/').pop()}.`,
  };
}

export function grant(
  resource: string,
  level?: string,
  overrides: Partial<Grant> = {},
): Grant {
  return {
    level: 'service',
    resource,
    role: 'roles/iap.httpsResourceAccessor',
    ...(level
      ? {
          condition: {
            expression: `"${level}" in request.auth.access_levels`,
            title: 'Corporate network only',
          },
        }
      : {}),
    conditionAnalysis: level ? requiring(level) : unconditional,
    contextRestricted: Boolean(level),
    ...overrides,
  };
}

export function accessor(
  member: string,
  grants: Grant[],
  overrides: Partial<Accessor> = {},
): Accessor {
  const [prefix, value] = member.includes(':')
    ? member.split(/:(.*)/s)
    : ['', member];
  const kinds: Record<string, Accessor['kind']> = {
    user: 'user',
    group: 'group',
    serviceAccount: 'serviceAccount',
    domain: 'domain',
  };
  return {
    member,
    kind: kinds[prefix] ?? (member.startsWith('all') ? 'public' : 'unknown'),
    displayName: value ?? member,
    inOrganization: member.endsWith('@example.com'),
    grants,
    contextRestricted: grants.every(g => g.contextRestricted),
    ...overrides,
  };
}

export const corpNetworkLevel: ResolvedAccessLevel = {
  name: CORP_NETWORK,
  shortName: 'corp_network',
  status: 'valid',
  referencedBy: 'condition',
  title: 'Corporate network',
  description: 'Office and VPN egress ranges.',
  kind: 'basic',
  combiningFunction: 'AND',
  conditions: [
    {
      ipSubnetworks: ['203.0.113.0/24', '198.51.100.0/24', '2001:db8::/32'],
      regions: [],
      members: [],
      negate: false,
      requiredAccessLevels: [],
      vpcNetworkSources: 0,
    },
  ],
};

export const ukOnlyLevel: ResolvedAccessLevel = {
  name: UK_ONLY,
  shortName: 'uk_only',
  status: 'valid',
  referencedBy: 'condition',
  title: 'United Kingdom',
  kind: 'basic',
  combiningFunction: 'AND',
  conditions: [
    {
      ipSubnetworks: [],
      regions: ['GB'],
      members: [],
      negate: false,
      requiredAccessLevels: [],
      devicePolicy: ['screen lock required'],
      vpcNetworkSources: 0,
    },
  ],
};

export const inheritedFinding: Finding = {
  id: 'INHERITED_ACCESS',
  severity: 'low',
  title: 'Access is inherited from the project',
  what: 'group:gcp-admins@example.com reaches this app through roles/owner on project acme-internal-apps.',
  why: 'Grants above the service reach every app in the project and are easy to overlook.',
  fix: {
    text: 'Grant access on the service instead and remove the project-level binding if it is not needed.',
    command:
      'gcloud projects remove-iam-policy-binding acme-internal-apps --member=group:gcp-admins@example.com --role=roles/owner',
  },
  subjects: ['group:gcp-admins@example.com'],
};

export const partialFinding: Finding = {
  id: 'PARTIAL_CONTEXT_AWARE_ACCESS',
  severity: 'medium',
  title: 'Some accessors are not restricted by context-aware access',
  what: '1 of 3 accessors can reach the app from any network and device.',
  why: 'A stolen session of an unrestricted accessor works from anywhere.',
  fix: {
    text: 'Add an access-level condition to the grant of user:guest@example.com.',
  },
  subjects: ['user:guest@example.com'],
};

export const iapDisabledFinding: Finding = {
  id: 'IAP_DISABLED',
  severity: 'critical',
  title: 'IAP is off',
  what: 'iapEnabled is false on uptime-monitor.',
  why: 'Without IAP nothing checks who calls the app.',
  fix: {
    text: 'Turn IAP back on.',
    command:
      'gcloud beta run services update uptime-monitor --region=europe-west2 --project=acme-internal-apps --iap',
  },
};

const NOW = '2026-11-28T10:00:00.000Z';

export function service(
  id: string,
  region: string,
  overrides: Partial<ServiceAccessReport> = {},
): ServiceAccessReport {
  const name = `projects/${PROJECT}/locations/${region}/services/${id}`;
  return {
    ref: { projectId: PROJECT, region, serviceId: id, name },
    resourceName: name,
    projectId: PROJECT,
    projectNumber: '100000000001',
    region,
    uri: `https://${id}-100000000001.${region}.run.app`,
    urls: [`https://${id}-100000000001.${region}.run.app`],
    iapEnabled: true,
    ingress: 'INGRESS_TRAFFIC_ALL',
    invokerIamDisabled: false,
    defaultUriDisabled: false,
    ready: 'ready',
    latestRevision: `${id}-00003-xyz`,
    updateTime: '2026-11-20T09:00:00Z',
    runtimeServiceAccount: `${id}@${PROJECT}.iam.gserviceaccount.com`,
    runInvoker: {
      read: true,
      members: [IAP_AGENT],
      publicMembers: [],
      iapServiceAgent: IAP_AGENT,
      iapAgentIsInvoker: true,
    },
    accessors: [],
    coverage: { covered: 0, total: 0, ratio: 1, uncoveredMembers: [] },
    accessLevels: [],
    perimeter: { inPerimeter: true, perimeters: [] },
    iapSettings: { read: true, programmaticClients: [] },
    findings: [],
    notes: [],
    ...overrides,
  };
}

const iapResource = (id: string, region = 'europe-west2') =>
  `projects/100000000001/iap_web/cloud_run-${region}/services/${id}`;

/** access-manager: IAP on, everyone behind corp_network, one inherited owner. */
export function accessManagerService(): ServiceAccessReport {
  const resource = iapResource('access-manager');
  const accessors = [
    accessor('group:internal-apps-team@example.com', [
      grant(resource, CORP_NETWORK),
    ]),
    accessor('user:guest@example.com', [grant(resource, CORP_NETWORK)]),
    accessor('group:gcp-admins@example.com', [
      grant('projects/acme-internal-apps', undefined, {
        level: 'project',
        role: 'roles/owner',
      }),
    ]),
  ];
  return service('access-manager', 'europe-west2', {
    accessors,
    coverage: {
      covered: 2,
      total: 3,
      ratio: 2 / 3,
      uncoveredMembers: ['group:gcp-admins@example.com'],
    },
    accessLevels: [corpNetworkLevel],
    findings: [partialFinding, inheritedFinding],
  });
}

export function report(
  services: ServiceAccessReport[],
  overrides: Partial<AccessReportResponse> = {},
): AccessReportResponse {
  return {
    entityRef: 'component:default/access-manager',
    services,
    fetchedAt: NOW,
    fromCache: false,
    unavailableServices: [],
    ...overrides,
  };
}

/** data-sharing-api: two regions, the US one unrestricted. */
export function dataSharingReport(): AccessReportResponse {
  const eu = iapResource('data-sharing-api');
  const us = iapResource('data-sharing-api', 'us-central1');
  return report(
    [
      service('data-sharing-api', 'europe-west2', {
        accessors: [
          accessor('group:data-stewards@example.com', [grant(eu, UK_ONLY)]),
          accessor('user:ada@example.com', [grant(eu, UK_ONLY)]),
          accessor('user:guest@example.com', [grant(eu)]),
        ],
        coverage: {
          covered: 2,
          total: 3,
          ratio: 2 / 3,
          uncoveredMembers: ['user:guest@example.com'],
        },
        accessLevels: [ukOnlyLevel],
        findings: [partialFinding],
      }),
      service('data-sharing-api', 'us-central1', {
        accessors: [accessor('group:data-stewards@example.com', [grant(us)])],
        coverage: {
          covered: 0,
          total: 1,
          ratio: 0,
          uncoveredMembers: ['group:data-stewards@example.com'],
        },
      }),
    ],
    { entityRef: 'component:default/data-sharing-api' },
  );
}

/** uptime-monitor: IAP off, invoker check disabled, an outside contractor. */
export function uptimeMonitorService(): ServiceAccessReport {
  const resource = iapResource('uptime-monitor');
  return service('uptime-monitor', 'europe-west2', {
    iapEnabled: false,
    invokerIamDisabled: true,
    accessors: [
      accessor('group:sre@example.com', [grant(resource)]),
      accessor('user:contractor@partner-agency.com', [grant(resource)], {
        inOrganization: false,
      }),
    ],
    coverage: {
      covered: 0,
      total: 2,
      ratio: 0,
      uncoveredMembers: [
        'group:sre@example.com',
        'user:contractor@partner-agency.com',
      ],
    },
    findings: [
      iapDisabledFinding,
      {
        id: 'EXTERNAL_ACCESSOR',
        severity: 'high',
        title: 'An accessor is outside the organisation',
        what: 'user:contractor@partner-agency.com is not in example.com.',
        why: 'People outside the organisation are not covered by its offboarding.',
        fix: {
          text: 'Remove the grant.',
          command:
            'gcloud iap web remove-iam-policy-binding --resource-type=cloud-run --service=uptime-monitor --region=europe-west2 --member=user:contractor@partner-agency.com --role=roles/iap.httpsResourceAccessor',
        },
      },
    ],
  });
}

/** `count` user accessors, the first `restricted` of them behind corp_network. */
export function manyAccessors(count: number, restricted = 0): Accessor[] {
  const resource = iapResource('access-manager');
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return accessor(`user:person${n}@example.com`, [
      grant(resource, i < restricted ? CORP_NETWORK : undefined),
    ]);
  });
}

export function reviewResponse(): ReviewResponse {
  return {
    owner: 'group:default/internal-apps-team',
    generatedAt: NOW,
    summary: {
      apps: 2,
      services: 3,
      accessors: 5,
      coveredAccessors: 3,
      coverageRatio: 0.6,
      findingsBySeverity: { critical: 1, high: 1, medium: 2, low: 1, info: 0 },
    },
    rows: [
      {
        entityRef: 'component:default/access-manager',
        serviceName: `projects/${PROJECT}/locations/europe-west2/services/access-manager`,
        member: 'group:internal-apps-team@example.com',
        kind: 'group',
        inOrganization: true,
        grantLevels: ['service'],
        restriction: ['corp_network'],
      },
      {
        entityRef: 'component:default/access-manager',
        serviceName: `projects/${PROJECT}/locations/europe-west2/services/access-manager`,
        member: 'group:gcp-admins@example.com',
        kind: 'group',
        inOrganization: true,
        grantLevels: ['project'],
        restriction: 'unrestricted',
        topFinding: { id: 'INHERITED_ACCESS', severity: 'low' },
      },
      {
        entityRef: 'component:default/data-sharing-api',
        serviceName: `projects/${PROJECT}/locations/europe-west2/services/data-sharing-api`,
        member: 'user:ada@example.com',
        kind: 'user',
        inOrganization: true,
        grantLevels: ['service'],
        restriction: ['uk_only'],
      },
      {
        entityRef: 'component:default/data-sharing-api',
        serviceName: `projects/${PROJECT}/locations/us-central1/services/data-sharing-api`,
        member: 'user:contractor@partner-agency.com',
        kind: 'user',
        inOrganization: false,
        grantLevels: ['service'],
        restriction: 'unrestricted',
        topFinding: { id: 'EXTERNAL_ACCESSOR', severity: 'high' },
      },
      {
        entityRef: 'component:default/data-sharing-api',
        serviceName: `projects/${PROJECT}/locations/us-central1/services/data-sharing-api`,
        member: 'allAuthenticatedUsers',
        kind: 'public',
        inOrganization: false,
        grantLevels: ['region'],
        restriction: 'unrestricted',
        topFinding: { id: 'PUBLIC_ACCESSOR', severity: 'critical' },
      },
    ],
    unavailableServices: [],
    errors: [],
  };
}
