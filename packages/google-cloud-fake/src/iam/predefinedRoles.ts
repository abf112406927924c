/**
 * Predefined roles the fake serves through `roles.get`, with the permissions that matter to
 * who can reach a Cloud Run service behind IAP (a subset of each role's real list; the
 * complete lists are in Google's IAM roles and permissions reference).
 */
const runRead = [
  'run.services.get',
  'run.services.list',
  'run.revisions.get',
  'run.revisions.list',
  'run.locations.list',
  'run.operations.get',
  'run.operations.list',
];
const runWrite = [
  'run.services.create',
  'run.services.update',
  'run.services.delete',
  'run.revisions.delete',
  'run.jobs.run',
  'run.routes.invoke',
];
const iapRead = ['iap.web.getIamPolicy', 'iap.web.getSettings'];
const iapWrite = ['iap.web.setIamPolicy', 'iap.web.updateSettings'];
const projectRead = [
  'resourcemanager.projects.get',
  'resourcemanager.projects.getIamPolicy',
];

const definitions: Record<
  string,
  { title: string; description: string; includedPermissions: string[] }
> = {
  'roles/iap.httpsResourceAccessor': {
    title: 'IAP-secured Web App User',
    description: 'Access HTTPS resources which use Identity-Aware Proxy',
    includedPermissions: ['iap.webServiceVersions.accessViaIAP'],
  },
  'roles/iap.admin': {
    title: 'IAP Policy Admin',
    description: 'Administer Cloud IAP policies.',
    includedPermissions: [...iapRead, ...iapWrite],
  },
  'roles/iap.settingsAdmin': {
    title: 'IAP Settings Admin',
    description: 'Administer Cloud IAP settings.',
    includedPermissions: ['iap.web.getSettings', 'iap.web.updateSettings'],
  },
  'roles/run.invoker': {
    title: 'Cloud Run Invoker',
    description: 'Invoke a Cloud Run service or job.',
    includedPermissions: ['run.jobs.run', 'run.routes.invoke'],
  },
  'roles/run.servicesInvoker': {
    title: 'Cloud Run Service Invoker',
    description: 'Invoke a Cloud Run service.',
    includedPermissions: ['run.routes.invoke'],
  },
  'roles/run.viewer': {
    title: 'Cloud Run Viewer',
    description: 'Can view the state of all Cloud Run resources.',
    includedPermissions: [...runRead, 'run.services.getIamPolicy'],
  },
  'roles/run.developer': {
    title: 'Cloud Run Developer',
    description: 'Read and write access to all Cloud Run resources.',
    includedPermissions: [...runRead, ...runWrite, 'run.services.getIamPolicy'],
  },
  'roles/run.admin': {
    title: 'Cloud Run Admin',
    description: 'Full control over all Cloud Run resources.',
    includedPermissions: [
      ...runRead,
      ...runWrite,
      'run.services.getIamPolicy',
      'run.services.setIamPolicy',
    ],
  },
  'roles/viewer': {
    title: 'Viewer',
    description: 'View most Google Cloud resources.',
    includedPermissions: [...runRead, ...iapRead, ...projectRead],
  },
  'roles/editor': {
    title: 'Editor',
    description:
      'View, create, update, and delete most Google Cloud resources.',
    includedPermissions: [...runRead, ...runWrite, ...iapRead, ...projectRead],
  },
  'roles/owner': {
    title: 'Owner',
    description: 'Full access to most Google Cloud resources.',
    includedPermissions: [
      ...runRead,
      ...runWrite,
      'run.services.getIamPolicy',
      'run.services.setIamPolicy',
      ...iapRead,
      ...iapWrite,
      ...projectRead,
      'resourcemanager.projects.setIamPolicy',
    ],
  },
  'roles/iam.serviceAccountUser': {
    title: 'Service Account User',
    description: 'Run operations as the service account.',
    includedPermissions: [
      'iam.serviceAccounts.actAs',
      'iam.serviceAccounts.get',
    ],
  },
  'roles/secretmanager.secretAccessor': {
    title: 'Secret Manager Secret Accessor',
    description: 'Allows accessing the payload of secrets.',
    includedPermissions: ['secretmanager.versions.access'],
  },
};

export const predefinedRoles = new Map(
  Object.entries(definitions).map(([name, d]) => [
    name,
    {
      name,
      ...d,
      includedPermissions: [...new Set(d.includedPermissions)].sort(),
      stage: 'GA',
      etag: 'AA==',
    },
  ]),
);
