import {
  grantableMembersProblems,
  isServiceAccountEmail,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MemberPolicy,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { CloudRunIapConfig } from '@internal-apps/plugin-cloud-run-iap-node';
import { addAllowedTargetIssues } from '../lib/allowedTargets';
import * as inputs from '../lib/inputSchemas';
import { addIssue, REQUIRED, z } from '../lib/inputSchemas';
import { configuredAccountProblem } from '../lib/runtimeIdentity';
import { secretProjectProblems } from '../lib/secrets';
import { imageRegistryProblem } from '../lib/validation';

export const INGRESS_VALUES = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
} as const;

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^(projects\/[a-z0-9-]+\/secrets\/)?[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION = /^(latest|[1-9][0-9]*)$/;
const CPU = /^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[1-9][0-9]*(Mi|Gi)$/;
const SECRET_LIKE_ENV_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|DSN|CREDENTIALS?)$/i;
/** `scheme://user:password@…` (or `scheme://:password@…`) anywhere in a value. */
const URL_WITH_CREDENTIALS = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s@:]*:[^/\s@]+@/;

// Docker's reference grammar: [host[:port]/]path[:tag][@digest]; a first component is a
// host only when it has a dot or a port, or is localhost.
const HOST_COMPONENT = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const IMAGE_HOST = `(?:(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})+|localhost)(?::[0-9]+)?|${HOST_COMPONENT}:[0-9]+)`;
const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${IMAGE_HOST}/)?${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

const RESERVED_LABEL_NAMESPACES = [
  'run.googleapis.com',
  'cloud.googleapis.com',
  'serving.knative.dev',
  'autoscaling.knative.dev',
];
const RESERVED_ENV_NAMES = [
  'PORT',
  'K_SERVICE',
  'K_REVISION',
  'K_CONFIGURATION',
];

const IMAGE_RULE =
  'must be a container image reference such as europe-west2-docker.pkg.dev/project/repo/app:1.0 or …@sha256:<digest>';
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number().int(message).min(min, message).max(max, message);
};

const envValue = z.union(
  [
    z.string(),
    z.object({
      secret: z
        .string()
        .describe(
          "Secret Manager secret id or projects/<project>/secrets/<id>, in the service's own project; labelled backstage-app: <serviceId> when cloudRunIap.secrets.requireAppLabel is set",
        ),
      version: z.string().optional().describe('Secret version, default latest'),
    }),
  ],
  {
    errorMap: () => ({
      message:
        'must be a string or a Secret Manager reference { secret, version }',
    }),
  },
);

/** An environment variable: a plain value, or a Secret Manager reference. */
export type EnvValue = z.infer<typeof envValue>;

/*
 * The env rules are refinements rather than JSON Schema patterns, so that a refusal names the
 * variable and the rule (JSON Schema would only say that the value matches no alternative).
 * Values are never echoed: they may be sensitive.
 */
const env = z
  .record(envValue)
  .superRefine((variables, ctx) => {
    for (const [name, value] of Object.entries(variables)) {
      const field = [name];
      if (!ENV_NAME.test(name)) {
        addIssue(
          ctx,
          field,
          'name must start with a letter or underscore and hold only letters, digits and underscores',
        );
      } else if (RESERVED_ENV_NAMES.includes(name)) {
        addIssue(
          ctx,
          field,
          `is set by Cloud Run itself (reserved: ${RESERVED_ENV_NAMES.join(
            ', ',
          )}); use the port input for the port`,
        );
      } else if (typeof value === 'string') {
        if (SECRET_LIKE_ENV_NAME.test(name)) {
          addIssue(
            ctx,
            field,
            'looks like a secret: give it as a Secret Manager reference { secret: "projects/p/secrets/name", version: "latest" }, not as a plain value (names ending in PASSWORD, PASS, SECRET, TOKEN, KEY, DSN or CREDENTIALS are secrets)',
          );
        } else if (URL_WITH_CREDENTIALS.test(value)) {
          addIssue(
            ctx,
            field,
            'is a URL with credentials in it (scheme://user:password@host): put the whole value in Secret Manager and give a reference { secret, version } instead',
          );
        }
      } else {
        if (!SECRET_NAME.test(value.secret)) {
          addIssue(
            ctx,
            [name, 'secret'],
            'must be a Secret Manager secret id or projects/<project>/secrets/<id>',
          );
        }
        if (
          value.version !== undefined &&
          !SECRET_VERSION.test(value.version)
        ) {
          addIssue(
            ctx,
            [name, 'version'],
            'must be "latest" or a version number',
          );
        }
      }
    }
  })
  .describe(
    'Environment variables: plain values, or Secret Manager references { secret, version } for anything sensitive (names that end in PASSWORD, PASS, SECRET, TOKEN, KEY, DSN or CREDENTIALS, and URLs with credentials such as postgres://user:pass@host, must be references).',
  );

const LABEL_VALUE_RULE =
  'value must be at most 63 lowercase letters, digits, underscores or hyphens';
const labels = z
  .record(z.string({ invalid_type_error: LABEL_VALUE_RULE }))
  .superRefine((given, ctx) => {
    const entries = Object.entries(given);
    if (entries.length > 63) {
      addIssue(
        ctx,
        [],
        `must hold at most 63 labels (the action adds ${MANAGED_BY_LABEL})`,
      );
    }
    for (const [key, value] of entries) {
      if (key === MANAGED_BY_LABEL) {
        addIssue(
          ctx,
          [key],
          `is set by the action itself (${MANAGED_BY_LABEL}: ${MANAGED_BY_VALUE}) and cannot be given`,
        );
      } else if (
        RESERVED_LABEL_NAMESPACES.some(ns => key.startsWith(`${ns}/`))
      ) {
        addIssue(ctx, [key], 'uses a namespace reserved by Cloud Run');
      } else if (!LABEL_KEY.test(key)) {
        addIssue(
          ctx,
          [key],
          'key must start with a lowercase letter and hold at most 63 lowercase letters, digits, underscores or hyphens',
        );
      } else if (!LABEL_VALUE.test(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: LABEL_VALUE_RULE,
          params: { echo: true },
        });
      }
    }
  })
  .describe(
    'Labels for the service (lowercase keys and values). managed-by is set by the action.',
  );

/** Every input of `gcp:cloud-run-iap-service:create` and the rules it must meet on its own. */
export const createIapServiceInputSchema = z
  .object({
    projectId: inputs.projectId,
    region: inputs.region,
    serviceId: inputs.serviceId,
    image: z
      .string(REQUIRED)
      .max(255, IMAGE_RULE)
      .regex(IMAGE_REFERENCE, IMAGE_RULE)
      .describe(
        'Container image reference, from one of cloudRunIap.images.allowedRegistries when that is set. Example: europe-west2-docker.pkg.dev/acme-internal-apps/apps/access-manager:1.4.2',
      ),
    port: wholeNumber(1, 65535)
      .default(8080)
      .describe('Port the container listens on, 1-65535. Default 8080.'),
    serviceAccount: z
      .string()
      .refine(isServiceAccountEmail, {
        message:
          'must be a service account email such as app@project.iam.gserviceaccount.com, without a "serviceAccount:" prefix',
        params: { echo: true },
      })
      .optional()
      .describe(
        "Runtime identity: an existing service account email that cloudRunIap.projects[].serviceAccounts lists for the project. Default: the action creates the app's own account, app-<serviceId>@<projectId>.iam.gserviceaccount.com.",
      ),
    env: env.default({}),
    cpu: z
      .string()
      .regex(CPU, 'must be a CPU limit such as 1, 2, 0.5 or 1000m')
      .optional()
      .describe(
        'CPU limit such as 1, 2 or 1000m. Cloud Run default when absent.',
      ),
    memory: z
      .string()
      .regex(MEMORY, 'must be a memory limit in Mi or Gi such as 512Mi or 2Gi')
      .optional()
      .describe(
        'Memory limit such as 512Mi or 2Gi. Cloud Run default when absent.',
      ),
    minInstances: wholeNumber(0, 1000)
      .optional()
      .describe('Minimum instances, 0-1000.'),
    maxInstances: wholeNumber(1, 1000)
      .optional()
      .describe('Maximum instances, 1-1000.'),
    ingress: z
      .enum(['all', 'internal', 'internal-and-cloud-load-balancing'], {
        errorMap: () => ({
          message: `must be one of ${Object.keys(INGRESS_VALUES).join(', ')}`,
        }),
      })
      .default('all')
      .describe(
        'Which networks may reach the service: all (default; IAP still guards every request), internal, or internal-and-cloud-load-balancing.',
      ),
    labels: labels.default({}),
    accessors: inputs
      .memberList(
        'Principals granted roles/iap.httpsResourceAccessor on the service',
      )
      .default([]),
    accessLevels: inputs
      .accessLevelList('Access levels the accessors must satisfy')
      .default([]),
    description: z
      .string()
      .max(512, 'must be at most 512 characters')
      .optional()
      .describe('Service description, at most 512 characters.'),
    waitForReady: z
      .boolean()
      .default(true)
      .describe(
        'Wait until the first revision is ready before granting access. Default true.',
      ),
    entityRef: inputs.entityRef
      .optional()
      .describe(
        "The catalog entity the service belongs to, such as component:default/my-app. Stored in the service's backstage.io/entity-ref annotation and used to recognise a service this portal created for the same entity. Defaults to the template's own entity ref.",
      ),
    owner: z
      .string(REQUIRED)
      .describe(
        "The group that owns the app, such as group:default/team-a: one of the groups of the user who starts the task (their ownership claims). Recorded on the service as backstage.io/owner-group; later access changes need the entity's spec.owner to be this group. Give the entity's spec.owner the same value.",
      ),
    launchStage: z
      .enum(['GA', 'BETA'], {
        errorMap: () => ({ message: 'must be GA or BETA' }),
      })
      .optional()
      .describe(
        'Only for Cloud Run APIs that still treat iapEnabled as a preview feature: BETA sends launchStage BETA with the service. Absent: none is sent (IAP on Cloud Run is GA).',
      ),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (
      input.minInstances !== undefined &&
      input.maxInstances !== undefined &&
      input.minInstances > input.maxInstances
    ) {
      addIssue(
        ctx,
        'minInstances',
        `must not exceed maxInstances (${input.minInstances} > ${input.maxInstances})`,
      );
    }
    for (const [field, problem] of secretProjectProblems(
      input.env,
      input.projectId,
    )) {
      addIssue(ctx, field, problem);
    }
  });

/** The create action's input as a template or a caller gives it (defaults not applied). */
export type CreateIapServiceInput = z.input<typeof createIapServiceInputSchema>;
/** The create action's input once parsed: defaults applied, every rule met. */
export type ParsedCreateIapServiceInput = z.output<
  typeof createIapServiceInputSchema
>;

/** What the checks that need config or the task read, besides the input. */
export interface CreateIapServiceContext {
  config: Pick<CloudRunIapConfig, 'projects' | 'images'>;
  members: MemberPolicy;
  /** The template's own entity ref, the default of `entityRef`. */
  templateEntityRef?: string;
  /** Why the initiator may not record this owner group, if they may not. */
  ownerProblem: (owner: string) => string | undefined;
}

/**
 * The schema with the checks that need config and the task: allowed projects and regions,
 * image registries, configured runtime accounts, grantable members, the owner among the
 * initiator's groups, and an entity ref to record.
 */
export function createIapServiceInputWithContext(
  context: CreateIapServiceContext,
) {
  const { config, members } = context;
  return createIapServiceInputSchema.superRefine((input, ctx) => {
    addAllowedTargetIssues(ctx, input, config);
    addIssue(ctx, 'owner', context.ownerProblem(input.owner));
    if (IMAGE_REFERENCE.test(input.image)) {
      addIssue(
        ctx,
        'image',
        imageRegistryProblem(input.image, config.images.allowedRegistries),
      );
    }
    if (
      input.serviceAccount !== undefined &&
      isServiceAccountEmail(input.serviceAccount)
    ) {
      addIssue(
        ctx,
        'serviceAccount',
        configuredAccountProblem(
          input.serviceAccount,
          config.projects.find(p => p.id === input.projectId),
        ),
      );
    }
    for (const [field, problem] of grantableMembersProblems(
      'accessors',
      input.accessors,
      members,
    )) {
      addIssue(ctx, field, problem);
    }
    if (input.entityRef === undefined && !context.templateEntityRef) {
      addIssue(
        ctx,
        'entityRef',
        'is required when the task carries no template entity ref',
      );
    }
  });
}
