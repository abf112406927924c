import type { ApiId } from './proto3';

interface MethodMessages {
  /** The message the body is read as; `field` is the request field it is bound to. */
  body?: { api: ApiId; schema: string; field?: string };
  /** The answer's message, so `$alt=json;enum-encoding=int` gets integer enums. */
  response?: { api: ApiId; schema: string };
}

const run = 'run.projects.locations';
const runApi = (schema: string) => ({ api: 'run/v2' as const, schema });
const runService = runApi('GoogleCloudRunV2Service');
const runOperation = runApi('GoogleLongrunningOperation');
const runPolicy = runApi('GoogleIamV1Policy');
const iap = (schema: string) => ({ api: 'iap/v1' as const, schema });
const crm = (schema: string) => ({
  api: 'cloudresourcemanager/v3' as const,
  schema,
});
const iam = (schema: string) => ({ api: 'iam/v1' as const, schema });
const identity = (schema: string) => ({
  api: 'cloudidentity/v1' as const,
  schema,
});

/**
 * Request and response messages by discovery method id (the messages of each method in
 * Google's discovery documents, as googleapis ships them).
 */
export const methodMessages: Record<string, MethodMessages> = {
  [`${run}.services.create`]: {
    body: { ...runService, field: 'service' },
    response: runOperation,
  },
  [`${run}.services.patch`]: {
    body: { ...runService, field: 'service' },
    response: runOperation,
  },
  [`${run}.services.delete`]: { response: runOperation },
  [`${run}.services.get`]: { response: runService },
  [`${run}.services.list`]: {
    response: runApi('GoogleCloudRunV2ListServicesResponse'),
  },
  [`${run}.services.getIamPolicy`]: { response: runPolicy },
  [`${run}.services.setIamPolicy`]: {
    body: runApi('GoogleIamV1SetIamPolicyRequest'),
    response: runPolicy,
  },
  [`${run}.services.testIamPermissions`]: {
    body: runApi('GoogleIamV1TestIamPermissionsRequest'),
  },
  [`${run}.operations.get`]: { response: runOperation },
  [`${run}.operations.wait`]: {
    body: runApi('GoogleLongrunningWaitOperationRequest'),
    response: runOperation,
  },
  [`${run}.operations.list`]: {
    response: runApi('GoogleLongrunningListOperationsResponse'),
  },
  'iap.getIamPolicy': {
    body: iap('GetIamPolicyRequest'),
    response: iap('Policy'),
  },
  'iap.setIamPolicy': {
    body: iap('SetIamPolicyRequest'),
    response: iap('Policy'),
  },
  'iap.testIamPermissions': { body: iap('TestIamPermissionsRequest') },
  'iap.getIapSettings': { response: iap('IapSettings') },
  'iap.updateIapSettings': {
    body: { ...iap('IapSettings'), field: 'iap_settings' },
    response: iap('IapSettings'),
  },
  ...Object.fromEntries(
    ['projects', 'folders', 'organizations'].flatMap(kind => [
      [
        `cloudresourcemanager.${kind}.getIamPolicy`,
        { body: crm('GetIamPolicyRequest'), response: crm('Policy') },
      ],
      [
        `cloudresourcemanager.${kind}.setIamPolicy`,
        { body: crm('SetIamPolicyRequest'), response: crm('Policy') },
      ],
    ]),
  ),
  'cloudresourcemanager.projects.get': { response: crm('Project') },
  'cloudresourcemanager.projects.search': {
    response: crm('SearchProjectsResponse'),
  },
  'cloudresourcemanager.projects.list': {
    response: crm('ListProjectsResponse'),
  },
  'cloudresourcemanager.folders.get': { response: crm('Folder') },
  'cloudresourcemanager.organizations.get': { response: crm('Organization') },
  'iam.projects.serviceAccounts.create': {
    body: iam('CreateServiceAccountRequest'),
    response: iam('ServiceAccount'),
  },
  'iam.roles.get': { response: iam('Role') },
  'iam.projects.roles.get': { response: iam('Role') },
  'iam.organizations.roles.get': { response: iam('Role') },
  'cloudidentity.groups.memberships.searchTransitiveMemberships': {
    response: identity('SearchTransitiveMembershipsResponse'),
  },
};
