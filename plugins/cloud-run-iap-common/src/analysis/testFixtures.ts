/*
 * Shared test data: a healthy service (IAP on, IAP agent invoker, one accessor
 * restricted by a valid organization level, in a perimeter) that raises no
 * finding, and helpers to break it one way at a time.
 */
import { CloudRunServiceRef } from '../annotation';
import { AccessLevel, IamBinding, IamPolicy } from '../google/types';
import { ServiceAccessInput } from './buildServiceReport';

export const PROJECT_ID = 'acme-apps';
export const PROJECT_NUMBER = '123456789012';
export const REGION = 'europe-west2';
export const SERVICE_ID = 'hello';
export const ORG_POLICY = 'accessPolicies/555';
export const SCOPED_POLICY = 'accessPolicies/777';
export const IAP_AGENT = `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-iap.iam.gserviceaccount.com`;
export const ACCESSOR_ROLE = 'roles/iap.httpsResourceAccessor';

export const ref: CloudRunServiceRef = {
  projectId: PROJECT_ID,
  region: REGION,
  serviceId: SERVICE_ID,
  name: `projects/${PROJECT_ID}/locations/${REGION}/services/${SERVICE_ID}`,
};

/** `accessPolicies/555/accessLevels/<id>` */
export const orgLevel = (id: string) => `${ORG_POLICY}/accessLevels/${id}`;

/** `"<level>" in request.auth.access_levels` */
export const requires = (levelName: string) =>
  `"${levelName}" in request.auth.access_levels`;

export const CORP = orgLevel('corp');

export const corpLevel = (): AccessLevel => ({
  name: CORP,
  title: 'Corporate network',
  basic: {
    conditions: [{ ipSubnetworks: ['10.0.0.0/8', '2001:db8::/32'] }],
  },
});

/** An accessor binding, restricted by `levelName` when given. */
export function accessorBinding(
  members: string[],
  levelName?: string,
): IamBinding {
  return {
    role: ACCESSOR_ROLE,
    members,
    ...(levelName
      ? { condition: { expression: requires(levelName), title: 'level' } }
      : {}),
  };
}

export function policy(...bindings: IamBinding[]): IamPolicy {
  return { version: 3, etag: 'BwY', bindings };
}

/** A service with no finding. */
export function healthyInput(): ServiceAccessInput {
  return {
    ref,
    projectNumber: PROJECT_NUMBER,
    organizationDomains: ['example.com'],
    managed: true,
    service: {
      name: ref.name,
      uri: 'https://hello-abc-nw.a.run.app',
      urls: [
        `https://hello-${PROJECT_NUMBER}.${REGION}.run.app`,
        'https://hello-abc-nw.a.run.app',
      ],
      iapEnabled: true,
      invokerIamDisabled: false,
      defaultUriDisabled: false,
      ingress: 'INGRESS_TRAFFIC_ALL',
      reconciling: false,
      terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
      latestReadyRevision: `${ref.name}/revisions/hello-00002-xyz`,
      latestCreatedRevision: `${ref.name}/revisions/hello-00002-xyz`,
      updateTime: '2026-11-01T10:00:00Z',
      template: {
        serviceAccount: `hello-runtime@${PROJECT_ID}.iam.gserviceaccount.com`,
        containers: [{ image: 'europe-docker.pkg.dev/acme/hello:1' }],
      },
    },
    runPolicy: policy({ role: 'roles/run.invoker', members: [IAP_AGENT] }),
    iapPolicies: {
      service: policy(accessorBinding(['user:alice@example.com'], CORP)),
      region: policy(),
      project: policy(),
    },
    resourcePolicies: [
      {
        level: 'project',
        resource: `projects/${PROJECT_ID}`,
        policy: policy({
          role: 'roles/owner',
          members: ['user:bob@example.com'],
        }),
      },
      { level: 'organization', resource: 'organizations/42', policy: policy() },
    ],
    iapSettings: {
      name: `projects/${PROJECT_NUMBER}/iap_web/cloud_run-${REGION}/services/${SERVICE_ID}`,
    },
    organizationPolicy: {
      policy: { name: ORG_POLICY, parent: 'organizations/42', title: 'org' },
      levels: [corpLevel()],
    },
    scopedPolicies: [],
    perimeters: [
      {
        name: `${ORG_POLICY}/servicePerimeters/apps`,
        title: 'Apps',
        perimeterType: 'PERIMETER_TYPE_REGULAR',
        status: {
          resources: [`projects/${PROJECT_NUMBER}`],
          restrictedServices: ['run.googleapis.com', 'storage.googleapis.com'],
        },
      },
    ],
  };
}
