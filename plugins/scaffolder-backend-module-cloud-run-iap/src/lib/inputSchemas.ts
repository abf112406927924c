import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  CLOUD_RUN_REGION_PATTERN,
  CLOUD_RUN_SERVICE_ID_PATTERN,
  PROJECT_ID_PATTERN,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { normalizeEntityRef, parseServiceName } from './validation';

/*
 * Zod schemas shared by both actions. Each rule lives here once, with the message users see
 * ("<field> <message>"). The scaffolder turns the schemas into JSON Schema (patterns, ranges,
 * enums; refinements are left out) and checks a step's input against it before the step runs;
 * the handlers parse the input with the same schemas, which applies the defaults, enforces the
 * refinements and refuses direct calls that skipped the scaffolder's check.
 */

export { z };

const ACCESS_LEVEL =
  /^([A-Za-z][A-Za-z0-9_]{0,49}|accessPolicies\/\d+\/accessLevels\/[A-Za-z][A-Za-z0-9_]{0,49})$/;

/** For a required string: the message when it is missing or not a string. */
export const REQUIRED = {
  required_error: 'is required (a string)',
  invalid_type_error: 'is required (a string)',
};

export const projectId = z
  .string(REQUIRED)
  .regex(
    PROJECT_ID_PATTERN,
    'must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  )
  .describe(
    'Google Cloud project id, one of cloudRunIap.projects (6-30 lowercase letters, digits or hyphens). Example: acme-internal-apps',
  );

export const region = z
  .string(REQUIRED)
  .regex(
    CLOUD_RUN_REGION_PATTERN,
    'must be a Cloud Run region such as europe-west2',
  )
  .describe(
    'Cloud Run region allowed for the project in cloudRunIap.projects. Example: europe-west2',
  );

export const serviceId = z
  .string(REQUIRED)
  .regex(
    CLOUD_RUN_SERVICE_ID_PATTERN,
    'must start with a lowercase letter, hold only lowercase letters, digits and hyphens, not end with a hyphen and be under 50 characters',
  )
  .describe(
    'Cloud Run service id: starts with a lowercase letter, lowercase letters, digits and hyphens, no trailing hyphen, under 50 characters. Example: access-manager',
  );

export const memberList = (what: string) =>
  z
    .array(z.string())
    .describe(
      `${what}. IAM member strings: user:EMAIL, group:EMAIL, serviceAccount:EMAIL, domain:DOMAIN, principal://… or principalSet://… (workforce identities). allUsers and allAuthenticatedUsers are always refused; members outside cloudRunIap.organization.domains are refused unless allowExternalMembers is set. Example: ["group:team@example.com"]`,
    );

export const accessLevelList = (what: string) =>
  z
    .array(
      z
        .string()
        .regex(
          ACCESS_LEVEL,
          'must be an access level id such as corp_network or a full name accessPolicies/<number>/accessLevels/<id>',
        ),
    )
    .describe(
      `${what}. Access level ids of the organisation's access policy (corp_network) or full names (accessPolicies/123/accessLevels/corp_network); the grant then requires any one of them. Levels of scoped policies are refused: IAP ignores them.`,
    );

export const entityRef = z
  .string()
  .refine(ref => normalizeEntityRef(ref) !== undefined, {
    message: 'must be an entity ref such as component:default/my-app',
  });

export const serviceName = z
  .string()
  .refine(name => parseServiceName(name) !== undefined, {
    message:
      'must be projects/<project-id>/locations/<region>/services/<service-id>',
  })
  .describe(
    'Cloud Run service resource name: projects/<project-id>/locations/<region>/services/<service-id>. Also the value of the google.com/cloud-run-service annotation.',
  );

export const iapResource = z
  .string()
  .describe(
    "The service's IAP resource, where accessors are granted: projects/<project-number>/iap_web/cloud_run-<region>/services/<service-id>",
  );

/** Where an issue is: `env.DB.secret`, `accessors[0]`. */
function fieldOf(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${part}`,
    )
    .join('');
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>) {
  return path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object'
        ? (value as Record<string | number, unknown>)[key]
        : undefined,
    input,
  );
}

/**
 * One issue as `<field> <rule> (got <value>)`. Values are echoed for format and range rules,
 * except under `env`, whose values may be sensitive.
 */
function issueText(issue: z.ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map(
        key =>
          `${fieldOf([...issue.path, key])} is not an input of this action`,
      )
      .join('; ');
  }
  const field = fieldOf(issue.path);
  const echoes =
    issue.path[0] !== 'env' &&
    (issue.code === 'invalid_string' ||
      issue.code === 'invalid_enum_value' ||
      (issue.code === 'custom' && issue.params?.echo === true) ||
      ((issue.code === 'too_small' || issue.code === 'too_big') &&
        issue.type === 'number') ||
      (issue.code === 'invalid_type' && issue.expected === 'integer'));
  const got = echoes
    ? ` (got ${JSON.stringify(valueAt(input, issue.path))})`
    : '';
  return `${field} ${issue.message}${got}`;
}

/**
 * The input parsed by the action's schema (defaults applied), or an InputError that names
 * every bad field and its rule: `Invalid input for <action>: <field> <rule>; …`.
 */
export function parseActionInput<S extends z.ZodTypeAny>(
  actionId: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(
    `Invalid input for ${actionId}: ${result.error.issues
      .map(issue => issueText(issue, input))
      .join('; ')}`,
  );
}

/** Adds `message` as an issue of `field` (a top-level input name, or a label such as `serviceName (project)`). */
export function addIssue(
  ctx: z.RefinementCtx,
  field: string | ReadonlyArray<string | number>,
  message: string | undefined,
) {
  if (!message) return;
  ctx.addIssue({
    code: 'custom',
    path: typeof field === 'string' ? [field] : [...field],
    message,
  });
}
