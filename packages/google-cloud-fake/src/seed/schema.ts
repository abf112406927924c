import { z } from 'zod';
import { proto3Problems } from '../http/proto3';
import { knownRunRegions } from '../run/regions';

const projectIdPattern = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const serviceIdPattern = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
const accessLevelIdPattern = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
const numericId = z
  .string()
  .regex(/^[0-9]{1,20}$/, 'must be a string of digits (quote it in YAML)');

const conditionSchema = z
  .object({
    expression: z.string().min(1),
    title: z.string().min(1, 'a condition needs a title'),
    description: z.string().optional(),
    location: z.string().optional(),
  })
  .strict();

const bindingSchema = z
  .object({
    role: z.string().min(1),
    members: z.array(z.string()).min(1, 'a binding needs at least one member'),
    condition: conditionSchema.optional(),
  })
  .strict();

type SeedPolicyShape = { bindings: { role: string }[] };

export const policySchema = z
  .object({
    version: z.union([z.literal(1), z.literal(3)]).optional(),
    bindings: z.array(bindingSchema).default([]),
  })
  .strict();

/**
 * A list-constraint policy of the Org Policy API v2 (`spec.rules[]`, `inheritFromParent`,
 * `reset`). `allowedDomains` is the fake's shorthand for domain restricted sharing: the
 * effective policy lists the matching organisations' customer IDs, and setIamPolicy refuses
 * members of other domains.
 */
const orgPolicySchema = z
  .object({
    constraint: z.enum([
      'constraints/iam.allowedPolicyMemberDomains',
      'constraints/run.allowedIngress',
    ]),
    allowedDomains: z
      .array(z.string().min(1))
      .min(1, 'list at least one allowed domain')
      .optional(),
    allowedValues: z.array(z.string().min(1)).optional(),
    deniedValues: z.array(z.string().min(1)).optional(),
    allowAll: z.boolean().optional(),
    denyAll: z.boolean().optional(),
    inheritFromParent: z.boolean().optional(),
    reset: z.boolean().optional(),
  })
  .strict()
  .refine(
    p =>
      !p.allowedDomains ||
      p.constraint === 'constraints/iam.allowedPolicyMemberDomains',
    {
      message:
        'allowedDomains is for constraints/iam.allowedPolicyMemberDomains; use allowedValues',
    },
  )
  .refine(p => !(p.allowAll && p.denyAll), {
    message: 'allowAll and denyAll exclude each other',
  });

/** IAP settings as `getIapSettings` returns them, checked against the IAP v1 `IapSettings` message. */
const iapSettingsSchema = z
  .record(z.string(), z.unknown())
  .superRefine((settings, ctx) => {
    for (const problem of proto3Problems('iap/v1', 'IapSettings', settings)) {
      ctx.addIssue({ code: 'custom', message: problem.description });
    }
  });

const permissionPattern = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+){2}$/;

/** An IAM custom role (`projects/P/roles/ID` or `organizations/O/roles/ID`). */
const customRoleSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-zA-Z0-9_.]{3,64}$/,
        '3 to 64 letters, digits, underscores or periods',
      ),
    title: z.string().min(1).max(100),
    description: z.string().max(300).optional(),
    includedPermissions: z.array(
      z
        .string()
        .regex(
          permissionPattern,
          'a permission is service.resource.verb, e.g. iap.webServiceVersions.accessViaIAP',
        ),
    ),
    stage: z
      .enum(['ALPHA', 'BETA', 'GA', 'DEPRECATED', 'DISABLED', 'EAP'])
      .default('GA'),
    deleted: z.boolean().optional(),
  })
  .strict();

const memberPattern =
  /^(user|serviceAccount|group):[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/;

/** A Cloud Identity group and its direct members (`group:` members are nested groups). */
const groupSchema = z
  .object({
    email: z
      .string()
      .regex(/^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/, 'must be an email address'),
    id: z
      .string()
      .regex(/^[a-z0-9]{6,32}$/, '6 to 32 lowercase letters or digits')
      .optional(),
    displayName: z.string().optional(),
    description: z.string().optional(),
    members: z
      .array(
        z
          .string()
          .regex(
            memberPattern,
            'user:, serviceAccount: or group: followed by an email address',
          ),
      )
      .default([]),
  })
  .strict();

const iapLevelSchema = z
  .object({
    policy: policySchema.optional(),
    settings: iapSettingsSchema.optional(),
  })
  .strict();

const envVarSchema = z
  .object({
    name: z.string().min(1),
    value: z.string().optional(),
    valueSource: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const serviceSchema = z
  .object({
    id: z
      .string()
      .regex(
        serviceIdPattern,
        'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
      ),
    region: z.string().refine(r => knownRunRegions.includes(r), {
      message: 'not a Cloud Run region this fake knows',
    }),
    description: z.string().optional(),
    image: z.string().default('us-docker.pkg.dev/cloudrun/container/hello'),
    port: z.number().int().positive().optional(),
    env: z.array(envVarSchema).optional(),
    serviceAccount: z.string().optional(),
    iapEnabled: z.boolean().default(false),
    invokerIamDisabled: z.boolean().optional(),
    defaultUriDisabled: z.boolean().optional(),
    ingress: z
      .enum([
        'INGRESS_TRAFFIC_ALL',
        'INGRESS_TRAFFIC_INTERNAL_ONLY',
        'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
        'INGRESS_TRAFFIC_NONE',
      ])
      .default('INGRESS_TRAFFIC_ALL'),
    launchStage: z.enum(['ALPHA', 'BETA', 'GA']).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    state: z.enum(['ready', 'reconciling', 'failed']).default('ready'),
    failureMessage: z.string().optional(),
    runPolicy: policySchema.optional(),
    iap: iapLevelSchema.optional(),
  })
  .strict();

const seedServiceAccountSchema = z
  .object({
    accountId: z
      .string()
      .regex(
        /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
        '6-30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen',
      ),
    displayName: z.string().max(100).optional(),
    description: z.string().max(256).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

const seedSecretSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,255}$/,
        'letters, digits, underscores or hyphens, at most 255',
      ),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const projectSchema = z
  .object({
    id: z
      .string()
      .regex(
        projectIdPattern,
        '6 to 30 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen',
      ),
    number: numericId,
    parent: z
      .string()
      .regex(
        /^(organizations|folders)\/[0-9]+$/,
        'must be organizations/<id> or folders/<id>',
      )
      .optional(),
    displayName: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    iamPolicy: policySchema.optional(),
    iamReadable: z.boolean().default(true),
    orgPolicies: z.array(orgPolicySchema).optional(),
    iapServiceAgent: z.enum(['provisioned', 'absent']).default('absent'),
    iapAgentPropagationFailures: z.number().int().min(0).default(0),
    iap: iapLevelSchema
      .extend({ regions: z.record(z.string(), iapLevelSchema).optional() })
      .strict()
      .optional(),
    /** IAP settings of the project itself (`projects/{number}`), above `iap_web`. */
    iapSettings: iapSettingsSchema.optional(),
    customRoles: z.array(customRoleSchema).default([]),
    services: z.array(serviceSchema).default([]),
    /** IAM service accounts of the project (`accountId@<project-id>.iam.gserviceaccount.com`). */
    serviceAccounts: z.array(seedServiceAccountSchema).default([]),
    /** Secret Manager secrets (metadata only: labels). */
    secrets: z.array(seedSecretSchema).default([]),
  })
  .strict();

const folderSchema = z
  .object({
    id: numericId,
    displayName: z.string().min(1),
    parent: z
      .string()
      .regex(
        /^(organizations|folders)\/[0-9]+$/,
        'must be organizations/<id> or folders/<id>',
      ),
    iamPolicy: policySchema.optional(),
    iamReadable: z.boolean().default(true),
    orgPolicies: z.array(orgPolicySchema).optional(),
    iapSettings: iapSettingsSchema.optional(),
  })
  .strict();

const organizationSchema = z
  .object({
    id: numericId,
    domain: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a DNS domain'),
    directoryCustomerId: z.string().optional(),
    iamPolicy: policySchema.optional(),
    iamReadable: z.boolean().default(true),
    orgPolicies: z.array(orgPolicySchema).optional(),
    iapSettings: iapSettingsSchema.optional(),
    customRoles: z.array(customRoleSchema).default([]),
  })
  .strict();

const accessLevelConditionSchema = z
  .object({
    ipSubnetworks: z.array(z.string()).optional(),
    devicePolicy: z.record(z.string(), z.unknown()).optional(),
    requiredAccessLevels: z.array(z.string()).optional(),
    negate: z.boolean().optional(),
    members: z
      .array(
        z
          .string()
          .regex(
            /^(user|serviceAccount):.+@.+$/,
            'access level members are user: or serviceAccount: only (no groups)',
          ),
      )
      .optional(),
    regions: z
      .array(
        z
          .string()
          .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code in capitals, e.g. GB'),
      )
      .optional(),
    vpcNetworkSources: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

const accessLevelSchema = z
  .object({
    id: z
      .string()
      .regex(
        accessLevelIdPattern,
        'a letter, then letters, digits or underscores, at most 50 characters',
      ),
    title: z.string().min(1),
    description: z.string().optional(),
    basic: z
      .object({
        conditions: z.array(accessLevelConditionSchema).min(1),
        combiningFunction: z.enum(['AND', 'OR']).optional(),
      })
      .strict()
      .optional(),
    custom: z
      .object({
        expr: z
          .object({
            expression: z.string().min(1),
            title: z.string().optional(),
            description: z.string().optional(),
          })
          .strict(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(l => Boolean(l.basic) !== Boolean(l.custom), {
    message: 'an access level has exactly one of basic or custom',
  });

const perimeterConfigSchema = z
  .object({
    resources: z.array(z.string()).default([]),
    restrictedServices: z.array(z.string()).default([]),
    accessLevels: z.array(z.string()).default([]),
  })
  .strict();

const perimeterSchema = z
  .object({
    id: z
      .string()
      .regex(
        accessLevelIdPattern,
        'a letter, then letters, digits or underscores',
      ),
    title: z.string().min(1),
    description: z.string().optional(),
    perimeterType: z
      .enum(['PERIMETER_TYPE_REGULAR', 'PERIMETER_TYPE_BRIDGE'])
      .default('PERIMETER_TYPE_REGULAR'),
    status: perimeterConfigSchema.optional(),
    spec: perimeterConfigSchema.optional(),
    useExplicitDryRunSpec: z.boolean().optional(),
  })
  .strict();

const accessPolicySchema = z
  .object({
    number: numericId,
    parent: z
      .string()
      .regex(/^organizations\/[0-9]+$/, 'must be organizations/<id>'),
    title: z.string().min(1),
    scopes: z
      .array(
        z
          .string()
          .regex(
            /^(projects|folders)\/[0-9]+$/,
            'must be projects/<number> or folders/<id>',
          ),
      )
      .max(1, 'an access policy has at most one scope')
      .optional(),
    accessLevels: z.array(accessLevelSchema).default([]),
    servicePerimeters: z.array(perimeterSchema).default([]),
  })
  .strict();

export const faultSchema = z
  .object({
    id: z.string().optional(),
    method: z.string().optional(),
    path: z.string().optional(),
    httpMethod: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']).optional(),
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).optional(),
    /**
     * The request takes effect first, and only its answer is the error: a write that Google
     * applied and whose answer was lost (a 503 after the create, say).
     */
    applied: z.boolean().optional(),
  })
  .strict()
  .refine(f => f.status !== undefined || f.latencyMs !== undefined, {
    message: 'a fault sets a status, a latencyMs, or both',
  })
  .refine(f => !f.applied || f.status !== undefined, {
    message:
      'applied: true needs a status (the answer that replaces the real one)',
    path: ['applied'],
  });

export const seedSchema = z
  .object({
    organizations: z.array(organizationSchema).default([]),
    folders: z.array(folderSchema).default([]),
    projects: z.array(projectSchema).default([]),
    accessPolicies: z.array(accessPolicySchema).default([]),
    /** Cloud Identity groups (the Groups API serves their transitive memberships). */
    groups: z.array(groupSchema).default([]),
    /** false: every Groups API call answers 403, as for a portal not allowed to read groups. */
    groupsReadable: z.boolean().default(true),
    runtime: z
      .object({
        operationDelayMs: z.number().int().min(0).default(500),
        failingImages: z.array(z.string()).default([]),
      })
      .strict()
      .default({ operationDelayMs: 500, failingImages: [] }),
    latencyMs: z.number().int().min(0).default(0),
    faults: z.array(faultSchema).default([]),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });

    const orgIds = new Set(seed.organizations.map(o => o.id));
    const folderIds = new Set(seed.folders.map(f => f.id));
    const parentExists = (parent: string) => {
      const [kind, id] = parent.split('/');
      return kind === 'organizations' ? orgIds.has(id) : folderIds.has(id);
    };
    seed.folders.forEach((f, i) => {
      if (!parentExists(f.parent)) {
        issue(['folders', i, 'parent'], `${f.parent} is not in the seed`);
      }
    });
    const seenIds = new Map<string, number>();
    const seenNumbers = new Map<string, number>();
    seed.projects.forEach((p, i) => {
      if (p.parent && !parentExists(p.parent)) {
        issue(['projects', i, 'parent'], `${p.parent} is not in the seed`);
      }
      if (seenIds.has(p.id)) {
        issue(
          ['projects', i, 'id'],
          `duplicate of projects[${seenIds.get(p.id)}]`,
        );
      }
      if (seenNumbers.has(p.number)) {
        issue(
          ['projects', i, 'number'],
          `duplicate of projects[${seenNumbers.get(p.number)}]`,
        );
      }
      seenIds.set(p.id, i);
      seenNumbers.set(p.number, i);
      const services = new Set<string>();
      p.services.forEach((s, j) => {
        const key = `${s.region}/${s.id}`;
        if (services.has(key)) {
          issue(
            ['projects', i, 'services', j, 'id'],
            `service ${s.id} appears twice in ${s.region}`,
          );
        }
        services.add(key);
      });
    });
    const levelNames = new Set(
      seed.accessPolicies.flatMap(ap =>
        ap.accessLevels.map(
          l => `accessPolicies/${ap.number}/accessLevels/${l.id}`,
        ),
      ),
    );
    seed.accessPolicies.forEach((ap, i) => {
      if (!orgIds.has(ap.parent.split('/')[1])) {
        issue(
          ['accessPolicies', i, 'parent'],
          `${ap.parent} is not in the seed`,
        );
      }
      ap.accessLevels.forEach((l, j) => {
        l.basic?.conditions.forEach((c, k) => {
          c.requiredAccessLevels?.forEach((r, m) => {
            if (!levelNames.has(r)) {
              issue(
                [
                  'accessPolicies',
                  i,
                  'accessLevels',
                  j,
                  'basic',
                  'conditions',
                  k,
                  'requiredAccessLevels',
                  m,
                ],
                `${r} is not an access level in the seed (use the full name accessPolicies/<n>/accessLevels/<id>)`,
              );
            }
          });
        });
      });
    });
    const groupEmails = new Map<string, number>();
    seed.groups.forEach((g, i) => {
      const email = g.email.toLowerCase();
      if (groupEmails.has(email)) {
        issue(
          ['groups', i, 'email'],
          `duplicate of groups[${groupEmails.get(email)}]`,
        );
      }
      groupEmails.set(email, i);
    });
    seed.groups.forEach((g, i) => {
      g.members.forEach((m, j) => {
        if (
          m.startsWith('group:') &&
          !groupEmails.has(m.slice('group:'.length).toLowerCase())
        ) {
          issue(
            ['groups', i, 'members', j],
            `${m} is not a group in the seed (nested groups must be seeded too)`,
          );
        }
      });
    });
    const roleOwners: [string, { customRoles: { id: string }[] }][] = [
      ...seed.organizations.map(
        (o, i) => [`organizations[${i}]`, o] as [string, typeof o],
      ),
      ...seed.projects.map(
        (p, i) => [`projects[${i}]`, p] as [string, typeof p],
      ),
    ];
    for (const [where, owner] of roleOwners) {
      const seen = new Set<string>();
      owner.customRoles.forEach((r, j) => {
        if (seen.has(r.id)) {
          const [kind, index] = where.replace(']', '').split('[');
          issue(
            [kind, Number(index), 'customRoles', j, 'id'],
            `role ${r.id} appears twice`,
          );
        }
        seen.add(r.id);
      });
    }
    const customRoles = new Set([
      ...seed.organizations.flatMap(o =>
        o.customRoles.map(r => `organizations/${o.id}/roles/${r.id}`),
      ),
      ...seed.projects.flatMap(p =>
        p.customRoles.map(r => `projects/${p.id}/roles/${r.id}`),
      ),
    ]);
    const checkRoles = (
      policy: SeedPolicyShape | undefined,
      at: (string | number)[],
    ) =>
      policy?.bindings.forEach((b, k) => {
        if (
          /^(projects|organizations)\//.test(b.role) &&
          !customRoles.has(b.role)
        ) {
          issue(
            [...at, 'bindings', k, 'role'],
            `${b.role} is not a custom role in the seed (projects/<project-id>/roles/<id> or organizations/<id>/roles/<id>)`,
          );
        }
      });
    seed.organizations.forEach((o, i) =>
      checkRoles(o.iamPolicy, ['organizations', i, 'iamPolicy']),
    );
    seed.folders.forEach((f, i) =>
      checkRoles(f.iamPolicy, ['folders', i, 'iamPolicy']),
    );
    seed.projects.forEach((p, i) => {
      checkRoles(p.iamPolicy, ['projects', i, 'iamPolicy']);
      checkRoles(p.iap?.policy, ['projects', i, 'iap', 'policy']);
      for (const [region, level] of Object.entries(p.iap?.regions ?? {})) {
        checkRoles(level.policy, [
          'projects',
          i,
          'iap',
          'regions',
          region,
          'policy',
        ]);
      }
      p.services.forEach((svc, j) => {
        checkRoles(svc.iap?.policy, [
          'projects',
          i,
          'services',
          j,
          'iap',
          'policy',
        ]);
      });
    });
    const unscoped = new Map<string, number>();
    seed.accessPolicies.forEach((ap, i) => {
      if (ap.scopes && ap.scopes.length > 0) return;
      if (unscoped.has(ap.parent)) {
        issue(
          ['accessPolicies', i, 'scopes'],
          `Policy already exists with parent ${
            ap.parent
          } (accessPolicies[${unscoped.get(
            ap.parent,
          )}]); a second policy needs a scope`,
        );
      }
      unscoped.set(ap.parent, i);
    });
  });

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedProject = Seed['projects'][number];
export type SeedService = SeedProject['services'][number];
export type SeedPolicy = z.output<typeof policySchema>;
export type FaultRule = z.output<typeof faultSchema>;
export type SeedOrgPolicy = z.output<typeof orgPolicySchema>;
export type SeedCustomRole = z.output<typeof customRoleSchema>;
export type SeedGroup = Seed['groups'][number];
