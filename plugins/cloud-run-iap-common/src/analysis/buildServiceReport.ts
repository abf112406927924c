import { CloudRunServiceRef } from '../annotation';
import {
  GroupExpansion,
  IamPolicy,
  IamRole,
  IapSettings,
  OrgPolicy,
  RunService,
  ServicePerimeter,
} from '../google/types';
import {
  iapProjectResource,
  iapRegionResource,
  iapServiceResource,
} from '../google/resourceNames';
import {
  Accessor,
  ConditionAnalysis,
  IapSettingsSummary,
  ServiceAccessReport,
  SourceNote,
} from '../report/types';
import { resolveAccessLevels } from './accessLevels';
import {
  buildAccessors,
  GrantSource,
  referencedAccessLevels,
} from './accessors';
import { analyzeCondition } from './conditions';
import { summarizeCoverage } from './coverage';
import { computeFindings } from './findings/computeFindings';
import { expandGroups } from './groups';
import { summarizeMergedIapSettings } from './iapSettings';
import { markLevelsRestrictingNothing } from './levelTautology';
import { summarizeOrgPolicies } from './orgPolicies';
import { buildPeopleView } from './people';
import { evaluateReachability } from './reachability';
import { RoleCatalog } from './roles';
import { evaluatePerimeters } from './perimeter';
import {
  directCallers,
  invokerGrantsOf,
  latestRevision,
  runtimeServiceAccount,
  serviceReadiness,
  summarizeRunInvoker,
} from './serviceFacts';
import {
  AccessPolicyLevels,
  IapPolicies,
  IapSettingsAtLevel,
  isSourceError,
  ResourcePolicyInput,
  Sourced,
} from './sources';

/** The raw Google data about one service, as fetched by the backend. Failed reads carry `{ error }`. */
export interface ServiceAccessInput {
  ref: CloudRunServiceRef;
  projectNumber: string;
  /** The organization's domains (`cloudRunIap.organization.domains`); empty makes membership unknown. */
  organizationDomains: string[];
  /** `cloudRunIap.organization.allowExternalMembers` */
  allowExternalMembers?: boolean;
  /** `cloudRunIap.organization.workforcePools`: workforce identities of these pools are inside. */
  workforcePools?: string[];
  /** The portal manages the service: IAP_DISABLED is critical rather than high. */
  managed: boolean;
  service: RunService;
  /** The service's Cloud Run IAM policy. */
  runPolicy: Sourced<IamPolicy>;
  iapPolicies: IapPolicies;
  /** Ordinary IAM of the project and its ancestors. */
  resourcePolicies: ResourcePolicyInput[];
  /** Custom roles known to include `iap.webServiceVersions.accessViaIAP`. */
  extraAccessorRoles?: string[];
  iapSettings?: Sourced<IapSettings>;
  /** The organization's access policy (the one without scopes) and its levels. */
  organizationPolicy?: Sourced<AccessPolicyLevels>;
  scopedPolicies?: Sourced<AccessPolicyLevels[]>;
  perimeters?: Sourced<ServicePerimeter[]>;
  /** Notes from the backend, kept as they are. */
  notes?: SourceNote[];
  /**
   * Definitions of the roles named in any binding (Run IAM, IAP IAM, project/folder/organization IAM),
   * predefined and custom, keyed by role name. A role missing here is judged by the built-in list of
   * predefined roles.
   */
  roles?: Sourced<Record<string, Sourced<IamRole>>>;
  /**
   * Transitive expansions of the `group:` members of accessor and invoker bindings, keyed by the
   * group's email (lower case). `{ error }` when the Groups API is not permitted: per-member view.
   */
  groups?: Sourced<Record<string, Sourced<GroupExpansion>>>;
  /** IAP settings at every level, any order; merged as IAP does (the nearest set field wins). */
  iapSettingsByLevel?: IapSettingsAtLevel[];
  /** Effective Org Policies of the project (`projects/{n}/policies/{constraint}:getEffectivePolicy`). */
  orgPolicies?: {
    /** `iam.allowedPolicyMemberDomains` */
    allowedPolicyMemberDomains?: Sourced<OrgPolicy>;
    /** `run.allowedIngress` */
    allowedIngress?: Sourced<OrgPolicy>;
  };
  /** The time of the analysis (ISO 8601), for time-bound grants; defaults to the current time. */
  now?: string;
}

function memoize(
  analyze: (expression: string) => ConditionAnalysis,
): (expression: string) => ConditionAnalysis {
  const cache = new Map<string, ConditionAnalysis>();
  return expression => {
    let analysis = cache.get(expression);
    if (!analysis) {
      analysis = analyze(expression);
      cache.set(expression, analysis);
    }
    return analysis;
  };
}

function grantSources(
  input: ServiceAccessInput,
  notes: SourceNote[],
): GrantSource[] {
  const { projectNumber, ref } = input;
  const iap: Array<[GrantSource['level'], string, IapPolicies['service']]> = [
    [
      'service',
      iapServiceResource(projectNumber, ref),
      input.iapPolicies.service,
    ],
    [
      'region',
      iapRegionResource(projectNumber, ref.region),
      input.iapPolicies.region,
    ],
    [
      'project-iap',
      iapProjectResource(projectNumber),
      input.iapPolicies.project,
    ],
  ];
  const sources: GrantSource[] = [];
  for (const [level, resource, policy] of iap) {
    if (policy === undefined || isSourceError(policy)) {
      notes.push({
        source: 'iap-iam',
        message: `IAP policy of ${resource} not readable: ${
          policy?.error ?? 'not fetched'
        }`,
      });
    } else {
      sources.push({ level, resource, policy });
    }
  }
  for (const entry of input.resourcePolicies) {
    if (entry.policy) {
      sources.push({
        level: entry.level,
        resource: entry.resource,
        policy: entry.policy,
      });
    } else {
      notes.push({
        source: `${entry.level}-iam`,
        message: `${entry.level} IAM (${entry.resource}) not readable: ${
          entry.error ?? 'not fetched'
        }`,
      });
    }
  }
  return sources;
}

function noteSourceError(
  notes: SourceNote[],
  source: SourceNote['source'],
  label: string,
  value: Sourced<unknown> | undefined,
): void {
  if (value === undefined) {
    notes.push({ source, message: `${label} not readable: not fetched` });
  } else if (isSourceError(value)) {
    notes.push({ source, message: `${label} not readable: ${value.error}` });
  }
}

function analysisTime(now: string | undefined): number {
  const parsed = now === undefined ? NaN : Date.parse(now);
  return Number.isNaN(parsed) ? Date.now() : parsed;
}

function noteRoles(
  input: ServiceAccessInput,
  roles: RoleCatalog,
  sources: GrantSource[],
  notes: SourceNote[],
): void {
  if (isSourceError(input.roles)) {
    notes.push({
      source: 'roles',
      message: `role definitions not readable: ${input.roles.error}; only the predefined roles known to the analysis count (custom roles are missed)`,
    });
    return;
  }
  const named = [
    ...sources.flatMap(source => source.policy.bindings ?? []),
    ...(isSourceError(input.runPolicy) ? [] : input.runPolicy.bindings ?? []),
  ].map(binding => binding.role);
  const unknown = roles.unknownCustomRoles(named);
  if (unknown.length > 0) {
    notes.push({
      source: 'roles',
      message: `custom role definitions not read: ${unknown.join(
        ', ',
      )}; they are not counted as granting access or invoke`,
    });
  }
}

function peopleOf(
  input: ServiceAccessInput,
  accessors: Accessor[],
  project: { projectId: string; projectNumber: string },
  notes: SourceNote[],
): ReturnType<typeof buildPeopleView> | undefined {
  const grantedGroups = accessors
    .filter(accessor => accessor.kind === 'group' && !accessor.deleted)
    .map(accessor => accessor.member);
  if (input.groups === undefined) {
    return undefined;
  }
  if (isSourceError(input.groups)) {
    if (grantedGroups.length > 0) {
      notes.push({
        source: 'groups',
        message: `group members not readable (${input.groups.error}): groups are shown as single accessors, not expanded to people`,
      });
    }
    return undefined;
  }
  const directory = expandGroups({
    groups: input.groups,
    grantedGroups,
    organizationDomains: input.organizationDomains,
    workforcePools: input.workforcePools,
    project,
  });
  for (const [group, summary] of directory.summaries) {
    if (!summary.expanded) {
      notes.push({
        source: 'groups',
        message: `members of ${group} not readable: ${summary.error}; counted as one accessor`,
      });
    } else if (summary.truncated) {
      notes.push({
        source: 'groups',
        message: `members of ${group} listed only in part: its size is a lower bound`,
      });
    }
  }
  const withGroups = accessors.map(accessor => {
    const summary =
      accessor.kind === 'group'
        ? directory.summaries.get(accessor.member.toLowerCase())
        : undefined;
    return summary ? { ...accessor, group: summary } : accessor;
  });
  return buildPeopleView({
    accessors: withGroups,
    directory,
    organizationDomains: input.organizationDomains,
    workforcePools: input.workforcePools,
    project,
  });
}

function iapSettingsOf(
  input: ServiceAccessInput,
  notes: SourceNote[],
): IapSettingsSummary {
  if (input.iapSettingsByLevel && input.iapSettingsByLevel.length > 0) {
    for (const entry of input.iapSettingsByLevel) {
      if (isSourceError(entry.settings)) {
        notes.push({
          source: 'iap-settings',
          message: `IAP settings of ${entry.resource} (${entry.level}) not readable: ${entry.settings.error}`,
        });
      }
    }
    return summarizeMergedIapSettings(input.iapSettingsByLevel);
  }
  noteSourceError(notes, 'iap-settings', 'IAP settings', input.iapSettings);
  if (input.iapSettings === undefined || isSourceError(input.iapSettings)) {
    return { read: false, programmaticClients: [], externalSignIn: 'unknown' };
  }
  // Only the service's own settings were read: a client set above it is unknown.
  const summary = summarizeMergedIapSettings([
    {
      level: 'service',
      resource: input.iapSettings.name ?? '',
      settings: input.iapSettings,
    },
  ]);
  if (summary.oauthClient === 'custom') {
    return summary;
  }
  const { oauthClient: _client, ...rest } = summary;
  return { ...rest, externalSignIn: 'unknown' };
}

/**
 * Turns the raw Google data about one service into its access report: accessors with their grants
 * and condition analysis, coverage, resolved access levels, perimeter, IAP settings and findings.
 * Never throws on missing data: each unreadable source becomes a note and its part degrades.
 */
export function buildServiceAccessReport(
  input: ServiceAccessInput,
): ServiceAccessReport {
  const { ref, projectNumber, service } = input;
  const notes: SourceNote[] = [...(input.notes ?? [])];
  const analyze = memoize(analyzeCondition);
  const sources = grantSources(input, notes);
  const now = analysisTime(input.now);
  const roles = new RoleCatalog(input.roles, input.extraAccessorRoles);
  noteRoles(input, roles, sources, notes);

  const referenced = referencedAccessLevels(
    sources,
    input.extraAccessorRoles,
    analyze,
    role => roles.grantsIapAccess(role),
  );
  if (referenced.length > 0) {
    noteSourceError(
      notes,
      'access-levels',
      'organization access policy',
      input.organizationPolicy,
    );
    if (isSourceError(input.scopedPolicies)) {
      noteSourceError(
        notes,
        'access-levels',
        'scoped access policies',
        input.scopedPolicies,
      );
    }
  }
  const accessLevels = markLevelsRestrictingNothing(
    resolveAccessLevels(
      referenced,
      input.organizationPolicy,
      input.scopedPolicies,
    ),
  );
  const levelsRestrictingNothing = new Set(
    accessLevels
      .filter(level => level.status === 'valid' && level.restrictsNothing)
      .map(level => level.name),
  );
  const ownProject = { projectId: ref.projectId, projectNumber };
  const grantAccessors = buildAccessors({
    sources,
    organizationDomains: input.organizationDomains,
    workforcePools: input.workforcePools,
    project: { projectId: ref.projectId, projectNumber },
    levelStatus: new Map(accessLevels.map(level => [level.name, level.status])),
    extraAccessorRoles: input.extraAccessorRoles,
    analyze,
    grantsAccess: role => roles.grantsIapAccess(role),
    levelsRestrictingNothing,
    now,
  });
  const people = peopleOf(input, grantAccessors, ownProject, notes);
  if (input.organizationDomains.length === 0) {
    notes.push({
      source: 'configuration',
      message:
        'no organization domain configured: whether accessors are inside the organization is unknown',
    });
  }

  noteSourceError(notes, 'run-iam', 'Cloud Run IAM policy', input.runPolicy);
  const invokerInput = {
    servicePolicy: isSourceError(input.runPolicy) ? undefined : input.runPolicy,
    serviceResource: service.name ?? ref.name,
    ancestors: input.resourcePolicies.flatMap(entry =>
      entry.policy
        ? [
            {
              level: entry.level,
              resource: entry.resource,
              policy: entry.policy,
            },
          ]
        : [],
    ),
    grantsInvoke: (role: string) => roles.grantsInvoke(role),
  };
  const runInvoker = summarizeRunInvoker({
    ...invokerInput,
    ancestorPolicies: input.resourcePolicies.flatMap(entry =>
      entry.policy ? [entry.policy] : [],
    ),
    ancestorsComplete: input.resourcePolicies.every(entry => entry.policy),
    projectNumber,
  });
  const iapEnabled = service.iapEnabled ?? false;
  const invokerIamDisabled = service.invokerIamDisabled ?? false;
  const direct = directCallers(
    iapEnabled,
    invokerIamDisabled,
    invokerGrantsOf(invokerInput),
  );
  if (direct) {
    runInvoker.directCallers = direct;
  }

  noteSourceError(
    notes,
    'perimeters',
    'VPC Service Controls perimeters',
    input.perimeters,
  );
  const iapSettings = iapSettingsOf(input, notes);
  const orgPolicies = summarizeOrgPolicies(input.orgPolicies);
  for (const policy of Object.values(orgPolicies ?? {})) {
    if (policy && !policy.read) {
      notes.push({ source: 'org-policy', message: policy.summary });
    }
  }

  const facts = {
    ref,
    resourceName: service.name ?? ref.name,
    projectId: ref.projectId,
    projectNumber,
    region: ref.region,
    ...(service.uri !== undefined ? { uri: service.uri } : {}),
    urls: service.urls ?? (service.uri ? [service.uri] : []),
    iapEnabled,
    ...(service.ingress !== undefined ? { ingress: service.ingress } : {}),
    invokerIamDisabled,
    defaultUriDisabled: service.defaultUriDisabled ?? false,
    ready: serviceReadiness(service),
    ...(service.terminalCondition?.message
      ? { readinessMessage: service.terminalCondition.message }
      : {}),
    ...(latestRevision(service) !== undefined
      ? { latestRevision: latestRevision(service) }
      : {}),
    ...(service.updateTime !== undefined
      ? { updateTime: service.updateTime }
      : {}),
    runtimeServiceAccount: runtimeServiceAccount(service, projectNumber),
    runInvoker,
    accessors: people?.accessors ?? grantAccessors,
    coverage: people?.coverage ?? summarizeCoverage(grantAccessors),
    accessLevels,
    perimeter: evaluatePerimeters(input.perimeters, projectNumber),
    iapSettings,
    notes,
    ...(people ? { people: people.people } : {}),
    reachability: evaluateReachability(
      service.ingress,
      service.defaultUriDisabled ?? false,
    ),
    ...(orgPolicies ? { orgPolicies } : {}),
    analyzedAt: new Date(now).toISOString(),
  };
  const organization =
    input.organizationPolicy && !isSourceError(input.organizationPolicy)
      ? input.organizationPolicy
      : undefined;
  return {
    ...facts,
    findings: computeFindings(facts, {
      managed: input.managed,
      allowExternalMembers: input.allowExternalMembers,
      ...(organization
        ? {
            organizationPolicyName: organization.policy.name,
            organizationLevelNames: organization.levels.map(l => l.name),
          }
        : {}),
    }),
  };
}
