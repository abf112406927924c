import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/**
 * Zod fragments shared by the actions' input and output schemas. Rules are spelled out in
 * the descriptions and enforced by the validation functions, which name the field and the
 * rule; the schemas carry types only, so a bad value reaches that validation instead of a
 * generic JSON Schema message. Defaults are applied in code: the scaffolder validates input
 * against the JSON Schema but does not fill defaults in.
 */

type SchemaFragments = NonNullable<
  NonNullable<TemplateActionOptions['schema']>['input']
>;
/** The zod (v3) implementation the scaffolder hands to schema callbacks. */
export type Zod = Parameters<
  Extract<SchemaFragments, Record<string, unknown>>[string]
>[0];

export const projectId = (z: Zod) =>
  z
    .string()
    .describe(
      'Google Cloud project id, one of cloudRunIap.projects (6-30 lowercase letters, digits or hyphens). Example: acme-internal-apps',
    );

export const region = (z: Zod) =>
  z
    .string()
    .describe(
      'Cloud Run region allowed for the project in cloudRunIap.projects. Example: europe-west2',
    );

export const serviceId = (z: Zod) =>
  z
    .string()
    .describe(
      'Cloud Run service id: starts with a lowercase letter, lowercase letters, digits and hyphens, no trailing hyphen, under 50 characters. Example: access-manager',
    );

export const accessorList = (z: Zod, what: string) =>
  z
    .array(z.string())
    .describe(
      `${what}. IAM member strings: user:EMAIL, group:EMAIL, serviceAccount:EMAIL, domain:DOMAIN, principal://… or principalSet://… (workforce identities). allUsers and allAuthenticatedUsers are always refused; members outside cloudRunIap.organization.domains are refused unless allowExternalMembers is set. Example: ["group:team@example.com"]`,
    );

export const accessLevels = (z: Zod, what: string) =>
  z
    .array(z.string())
    .describe(
      `${what}. Access level ids of the organisation's access policy (corp_network) or full names (accessPolicies/123/accessLevels/corp_network); the grant then requires any one of them. Levels of scoped policies are refused: IAP ignores them.`,
    );

export const entityRef = (z: Zod) =>
  z
    .string()
    .describe(
      "The catalog entity the service belongs to, such as component:default/my-app. Stored in the service's backstage.io/entity-ref annotation and used to recognise a service this portal created for the same entity. Defaults to the template's own entity ref.",
    );

export const serviceName = (z: Zod) =>
  z
    .string()
    .describe(
      'Cloud Run service resource name: projects/<project-id>/locations/<region>/services/<service-id>. Also the value of the google.com/cloud-run-service annotation.',
    );

export const iapResource = (z: Zod) =>
  z
    .string()
    .describe(
      "The service's IAP resource, where accessors are granted: projects/<project-number>/iap_web/cloud_run-<region>/services/<service-id>",
    );
