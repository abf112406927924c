import { CloudRunServiceRef } from '../annotation';

/*
 * The access report (design.md §3.4). Every type here is plain JSON so the
 * backend can send it as is and the frontend can render it.
 */

/** What kind of principal an IAM member string names. */
export type AccessorKind =
  | 'user'
  | 'group'
  | 'serviceAccount'
  | 'domain'
  | 'public'
  | 'workforcePrincipal'
  | 'unknown';

/**
 * Where a grant lives: the service's IAP policy, the `cloud_run-REGION` or `iap_web` IAP policy,
 * or ordinary IAM on the project, a folder or the organization.
 */
export type GrantLevel =
  | 'service'
  | 'region'
  | 'project-iap'
  | 'project'
  | 'folder'
  | 'organization';

/** Finding severities, most severe first. */
export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;

/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** The finding rule ids of design.md §3.5, in catalogue order. */
export const FINDING_IDS = [
  'IAP_DISABLED',
  'PUBLIC_INVOKER',
  'INVOKER_CHECK_DISABLED',
  'IAP_AGENT_NOT_INVOKER',
  'PUBLIC_ACCESSOR',
  'EXTERNAL_ACCESSOR',
  'DOMAIN_WIDE_ACCESSOR',
  'INHERITED_ACCESS',
  'NO_CONTEXT_AWARE_ACCESS',
  'PARTIAL_CONTEXT_AWARE_ACCESS',
  'UNKNOWN_ACCESS_LEVEL',
  'SCOPED_POLICY_LEVEL',
  'NEGATED_OR_OR_CONDITION',
  'PATH_OR_HOST_CONDITION',
  'NOT_IN_PERIMETER',
  'DEFAULT_COMPUTE_SERVICE_ACCOUNT',
  'PROGRAMMATIC_CLIENTS',
  'GROUP_WITH_EXTERNAL_MEMBERS',
  'ACCESS_LEVEL_RESTRICTS_NOTHING',
  'EXPIRED_GRANT',
  'GRANT_EXPIRES_SOON',
  'DOMAIN_RESTRICTED_SHARING_OFF',
  'ACCESS_DRIFT',
  'DECLARED_ACCESS_REJECTED',
] as const;

/** A finding rule id. */
export type FindingId = (typeof FINDING_IDS)[number];

/** What the analysis made of an IAM condition expression. */
export interface ConditionAnalysis {
  /** Whether the expression parsed and every part of it was understood. Never guessed. */
  understood: boolean;
  /** Whether the condition can only be true when the request holds at least one access level. */
  requiresAccessLevels: boolean;
  /**
   * When `requiresAccessLevels`: alternatives (disjunctive normal form, minimal) of access-level
   * names; the condition can only be true if every level of at least one set is held.
   * Empty when `requiresAccessLevels` is false.
   */
  requiredLevelSets: string[][];
  /** Every access-level name the expression tests, required or not (e.g. negated). */
  referencedLevels: string[];
  /** An access-level test is negated (`!(... in request.auth.access_levels)`), so it restricts nothing. */
  usesNegation: boolean;
  /** The expression contains `||`. */
  usesOr: boolean;
  /** Some `||` (or `?:`) has a branch needing an access level and another branch needing none. */
  orWeakensRestriction: boolean;
  /** The expression tests `request.path` or `request.host` (exact-match, bypassable by URL encoding). */
  usesPathOrHost: boolean;
  /** Other request/resource attributes the expression tests, e.g. `request.time`. */
  otherAttributes: string[];
  /** The parser's message when the expression does not parse. */
  parseError?: string;
  /**
   * ISO 8601 time from which the condition can never be true, from its `request.time < timestamp(…)`
   * bound (the latest bound when several).
   */
  expiresAt?: string;
  /** One human-readable sentence. */
  summary: string;
}

/** One binding that gives an accessor access through IAP. */
export interface Grant {
  level: GrantLevel;
  /** The resource whose policy holds the binding, e.g. `projects/123/iap_web/cloud_run-europe-west2`. */
  resource: string;
  role: string;
  condition?: { expression: string; title?: string };
  conditionAnalysis: ConditionAnalysis;
  /**
   * The condition is understood, requires access levels, and every level that can satisfy it is a
   * valid organization-level level that restricts something.
   */
  contextRestricted: boolean;
  /** Copied from the condition analysis: the grant gives nothing from this time on. */
  expiresAt?: string;
  /** The grant's time bound has passed: it gives no access (left out of coverage). */
  expired?: boolean;
  /** The grant expires within 7 days of the analysis. */
  expiresSoon?: boolean;
  /** Levels the condition relies on that restrict nothing (their conditions always hold). */
  levelsRestrictingNothing?: string[];
}

/** A `group:` accessor as expanded through the Cloud Identity Groups API. */
export interface GroupSummary {
  /** Whether the group could be expanded; when false, `error` says why and the group counts as one accessor. */
  expanded: boolean;
  error?: string;
  /** People and service accounts in the group, nested groups included (a lower bound when `truncated`). */
  size: number;
  /** Nested groups. */
  nestedGroups: number;
  /** Transitive members outside the organization's domains (`user:`/`serviceAccount:` members). */
  externalMembers: string[];
  /** Transitive members whose organization membership cannot be told. */
  unknownMembers: number;
  truncated?: boolean;
}

/** One way a person gets through IAP: a grant to itself or to a group that contains it. */
export interface AccessPath {
  /** The member the grant names: the person itself, or `group:…` */
  through: string;
  level: GrantLevel;
  resource: string;
  role: string;
  contextRestricted: boolean;
}

/** A principal that can reach the service through IAP, with every grant that lets it. */
export interface Accessor {
  /** The IAM member string, e.g. `user:alice@example.com`. */
  member: string;
  kind: AccessorKind;
  displayName: string;
  /** Whether the principal belongs to the organization's domains; `'unknown'` when that cannot be told. */
  inOrganization: boolean | 'unknown';
  /** The member is a `deleted:` principal: it cannot sign in and is left out of coverage. */
  deleted?: boolean;
  grants: Grant[];
  /**
   * Every unexpired grant is context-restricted, and (with group data) the member does not also get
   * in through an unrestricted grant to a group it belongs to.
   */
  contextRestricted: boolean;
  /** Every grant has expired: the member has no access (left out of coverage). */
  expired?: boolean;
  /** For `group:` members, when group data was read. */
  group?: GroupSummary;
  /** The member's own grants are restricted but this unrestricted grant (to a group it belongs to) lets it in. */
  unrestrictedThrough?: AccessPath;
}

/** A person (user or service account) who can get through IAP, directly or through groups. */
export interface PersonAccess {
  member: string;
  kind: AccessorKind;
  inOrganization: boolean | 'unknown';
  /** Every unexpired way in. */
  paths: AccessPath[];
  /** Every path is context-restricted. */
  contextRestricted: boolean;
  /** The first unrestricted path, when there is one. */
  unrestrictedThrough?: AccessPath;
}

/** Accessors whose every grant is context-restricted, out of all (non-deleted) accessors. */
export interface CoverageSummary {
  covered: number;
  total: number;
  /** `covered / total`; 1 when there are no accessors (nobody is unrestricted). */
  ratio: number;
  uncoveredMembers: string[];
  /**
   * `person`: groups were expanded and each person counts once, over all its paths (accessors
   * that cannot be expanded, such as `domain:` or an unreadable group, count as one each);
   * `accessor`: one per accessor, group data missing.
   */
  unit?: 'person' | 'accessor';
}

/** How an access-level name referenced by a condition resolved. */
export type AccessLevelStatus =
  /** Exists in the organization's access policy: IAP evaluates it. */
  | 'valid'
  /** Does not exist: a condition naming it never matches. */
  | 'missing'
  /** Belongs to a scoped access policy, which IAP does not use. */
  | 'scoped-policy'
  /** The access policies could not be read, so the name could not be checked. */
  | 'unresolved';

/** One condition of a basic access level, summarised. */
export interface AccessLevelConditionSummary {
  ipSubnetworks: string[];
  /** ISO 3166-1 alpha-2 codes. */
  regions: string[];
  /** `user:` / `serviceAccount:` members. */
  members: string[];
  /** The condition is true when its fields are NOT all met (NAND). */
  negate: boolean;
  requiredAccessLevels: string[];
  /** Human-readable device requirements; absent when the condition has no device policy. */
  devicePolicy?: string[];
  /** How many VPC network sources the condition lists. */
  vpcNetworkSources: number;
}

/** An access level referenced by a condition (directly or through `requiredAccessLevels`), resolved. */
export interface ResolvedAccessLevel {
  /** `accessPolicies/{policy}/accessLevels/{level}` */
  name: string;
  shortName: string;
  status: AccessLevelStatus;
  /** Whether a condition names it, or only another level requires it. */
  referencedBy: 'condition' | 'required-level';
  title?: string;
  description?: string;
  kind?: 'basic' | 'custom';
  combiningFunction?: 'AND' | 'OR';
  conditions?: AccessLevelConditionSummary[];
  customExpression?: string;
  /** The level's conditions always hold (e.g. `0.0.0.0/0` with `::/0`, every region, custom `true`). */
  restrictsNothing?: boolean;
  /** Why it restricts nothing. */
  restrictsNothingReason?: string;
}

/** A VPC Service Controls perimeter that contains the project. */
export interface PerimeterMembership {
  name: string;
  title?: string;
  /** The perimeter restricts `run.googleapis.com`. */
  restrictsRun: boolean;
  /** The project is only in the dry-run configuration: nothing is enforced. */
  dryRun: boolean;
}

/** Whether the project sits in an enforced perimeter restricting Cloud Run. */
export interface PerimeterStatus {
  inPerimeter: boolean | 'unknown';
  perimeters: PerimeterMembership[];
}

/** The IAP settings a reviewer should see. */
export interface IapSettingsSummary {
  /** Whether the settings could be read. */
  read: boolean;
  /** OAuth client ids allowed to call the app programmatically. */
  programmaticClients: string[];
  allowedDomains?: { enabled: boolean; domains: string[] };
  reauth?: { method?: string; maxAge?: string; policyType?: string };
  accessDeniedPageUri?: string;
  /**
   * The OAuth client IAP signs users in with: `google-managed` when no `oauthSettings.clientId` is set
   * at any level (only identities of the organization can sign in), else `custom`.
   */
  oauthClient?: 'google-managed' | 'custom';
  oauthClientId?: string;
  /** Whether identities outside the organization can sign in at all. */
  externalSignIn?: 'blocked' | 'possible' | 'unknown';
  /** For each shown setting, the resource whose settings set it (after merging the levels). */
  setAt?: Partial<
    Record<
      'oauthClient' | 'programmaticClients' | 'allowedDomains' | 'reauth',
      string
    >
  >;
}

/** Who holds `roles/run.invoker` on the service, and whether the IAP service agent does. */
export interface RunInvokerSummary {
  /** Whether the service's Run IAM policy could be read. */
  read: boolean;
  /** Members holding `roles/run.invoker` on the service. */
  members: string[];
  /** `allUsers` / `allAuthenticatedUsers` among them. */
  publicMembers: string[];
  /** `serviceAccount:service-{N}@gcp-sa-iap.iam.gserviceaccount.com` */
  iapServiceAgent: string;
  /** The IAP agent holds an unconditional role carrying `run.routes.invoke` on the service or an ancestor. */
  iapAgentIsInvoker: boolean | 'unknown';
  /** The bindings that give `allUsers`/`allAuthenticatedUsers` a role carrying `run.routes.invoke`, on the service or an ancestor. */
  publicInvokers?: InvokerGrant[];
  /** Set when IAP is off or the invoker check is disabled: who can call the service without IAP. */
  directCallers?: DirectCallers;
}

/** A binding that lets a member call the service through Cloud Run IAM (`run.routes.invoke`). */
export interface InvokerGrant {
  member: string;
  role: string;
  level: 'service' | 'project' | 'folder' | 'organization';
  resource: string;
  conditional: boolean;
}

/** Who can call the service without passing IAP. */
export interface DirectCallers {
  reason:
    | 'iap-off'
    | 'invoker-check-disabled'
    | 'iap-off-and-invoker-check-disabled';
  /** Anyone who can reach the URL can call it (IAP off and invoker check disabled). */
  anyone: boolean;
  /** The holders of `run.routes.invoke`, when the invoker check is on. */
  callers: InvokerGrant[];
  summary: string;
}

/** Whether the service's URL can be reached from the internet, from its ingress and default URL. */
export interface Reachability {
  /** `all`: the run.app URL from anywhere; `load-balancer`: only through an external Application Load Balancer; `internal`: VPC and internal sources only. */
  fromInternet: 'direct' | 'load-balancer-only' | 'no';
  /** The run.app URL answers (not disabled). */
  defaultUri: boolean;
  reason: string;
}

/** An effective Org Policy constraint, summarised. */
export interface OrgPolicySummary {
  constraint: string;
  read: boolean;
  error?: string;
  /** Some rule restricts values (allowed/denied values or denyAll). */
  enforced: boolean;
  allowedValues: string[];
  deniedValues: string[];
  allowAll: boolean;
  denyAll: boolean;
  /** Some rule carries a condition (tags): the effective values depend on it. */
  conditional: boolean;
  summary: string;
}

/** The Org Policy facts a reviewer should see. */
export interface OrgPolicyFacts {
  /** `iam.allowedPolicyMemberDomains` (domain restricted sharing). */
  allowedPolicyMemberDomains?: OrgPolicySummary;
  /** `run.allowedIngress` */
  allowedIngress?: OrgPolicySummary;
}

/** One problem found on a service: what, why, and the exact fix. */
export interface Finding {
  id: FindingId;
  severity: Severity;
  title: string;
  what: string;
  why: string;
  /** `command` holds one shell command per line, with the real resource names. */
  fix: { text: string; command?: string };
  /** The members or access levels concerned. */
  subjects?: string[];
}

/** Which input a note is about. */
export type NoteSource =
  | 'run-service'
  | 'run-iam'
  | 'iap-iam'
  | 'project-iam'
  | 'folder-iam'
  | 'organization-iam'
  | 'iap-settings'
  | 'access-levels'
  | 'perimeters'
  | 'configuration'
  | 'groups'
  | 'roles'
  | 'org-policy'
  | 'other';

/** A degraded source, e.g. `organization IAM not readable: PERMISSION_DENIED`. */
export interface SourceNote {
  source: NoteSource;
  message: string;
}

/** Readiness of the service from its terminal condition. */
export type ServiceReadiness = 'ready' | 'reconciling' | 'failed' | 'unknown';

/** Everything known about who can reach one Cloud Run service. */
export interface ServiceAccessReport {
  ref: CloudRunServiceRef;
  resourceName: string;
  projectId: string;
  projectNumber: string;
  region: string;
  uri?: string;
  urls: string[];
  iapEnabled: boolean;
  ingress?: string;
  invokerIamDisabled: boolean;
  defaultUriDisabled: boolean;
  ready: ServiceReadiness;
  readinessMessage?: string;
  /** Revision id (last segment) of the latest ready, else latest created, revision. */
  latestRevision?: string;
  updateTime?: string;
  /** The effective runtime identity (the Compute default service account when none is set). */
  runtimeServiceAccount?: string;
  runInvoker: RunInvokerSummary;
  accessors: Accessor[];
  coverage: CoverageSummary;
  accessLevels: ResolvedAccessLevel[];
  perimeter: PerimeterStatus;
  iapSettings: IapSettingsSummary;
  /** Most severe first. */
  findings: Finding[];
  notes: SourceNote[];
  /** Every person who can get in, groups expanded; absent without group data. */
  people?: PersonAccess[];
  reachability?: Reachability;
  orgPolicies?: OrgPolicyFacts;
  /** ISO 8601 time the analysis was made at (time-bound grants are judged against it). */
  analyzedAt?: string;
  /** The entity's declared access compared with what is granted; absent when it declares none. */
  declaredAccess?: AccessDrift;
}

/** A declared member or access level that the portal will not apply, and the rule it breaks. */
export interface DeclaredAccessProblem {
  /** The annotation and entry, e.g. `google.com/iap-accessors[2]`. */
  field: string;
  value: string;
  /** `public`: allUsers/allAuthenticatedUsers; `external`: outside the organisation. */
  kind: 'public' | 'external' | 'invalid' | 'access-level';
  problem: string;
}

/** How a member that the catalog does not declare is granted. */
export interface UndeclaredGrant {
  /** `managed`: the portal's managed binding (applying the declared state removes it); `hand-made`: another binding on the service; `inherited`: a grant above the service. */
  kind: 'managed' | 'hand-made' | 'inherited';
  /** What grants it: role, where, condition. */
  grant: string;
  /** For grants the portal does not manage: where and how to change them. */
  howToChange?: string;
  /** For grants the portal does not manage: the gcloud command that removes the grant. */
  command?: string;
}

/** The entity's declared access (`google.com/iap-accessors`, `google.com/iap-access-levels`) against the service's grants. */
export interface AccessDrift {
  /** What the catalog declares and the portal may apply; a side is absent when its annotation is. */
  declared: { members?: string[]; accessLevels?: string[] };
  /** Members with a live grant that the catalog does not declare (time-bound request grants left out). */
  grantedNotDeclared: Array<{ member: string; grants: UndeclaredGrant[] }>;
  /** Declared members without a live grant. */
  declaredNotGranted: string[];
  /** Set when the declared levels differ from those of the managed binding (full names, sorted). */
  accessLevels?: { declared: string[]; granted: string[] };
  /** Declared entries never applied. */
  rejected: DeclaredAccessProblem[];
}

/** The access report of an entity: one entry per annotated service. */
export interface AccessReport {
  entityRef: string;
  services: ServiceAccessReport[];
  /** ISO 8601 time the Google data was fetched. */
  fetchedAt: string;
  fromCache: boolean;
  /** Set when a refresh failed and an older cached report is served. */
  stale?: { ageSeconds: number; error: string };
}

/** The request context to simulate: `POST .../access/simulate` body. */
export interface SimulationRequest {
  /** IPv4 or IPv6 address of the caller. */
  ip?: string;
  /** ISO 3166-1 alpha-2 region code of the caller. */
  region?: string;
  /** `user:` or `serviceAccount:` member making the request; only accessors that can match it are simulated. */
  member?: string;
}

/** Whether IAP would admit a request. */
export type SimulationDecision = 'allow' | 'deny' | 'unknown';

/** The simulated decision for one accessor. */
export interface AccessorSimulation {
  member: string;
  kind: AccessorKind;
  decision: SimulationDecision;
  reasons: string[];
}

/** The simulated decisions for one service. */
export interface ServiceSimulation {
  resourceName: string;
  iapEnabled: boolean;
  accessors: AccessorSimulation[];
  notes: string[];
  /** Whether the client can reach the service at all (ingress, default URL), when the request tells. */
  reachability?: { reachable: boolean | 'unknown'; reason: string };
}

/** The answer of a simulation. */
export interface SimulationResult {
  request: SimulationRequest;
  services: ServiceSimulation[];
}

/** One row of the access review: one (entity, service, accessor). */
export interface ReviewRow {
  entityRef: string;
  serviceName: string;
  member: string;
  kind: AccessorKind;
  inOrganization: boolean | 'unknown';
  grantLevels: GrantLevel[];
  /** Short names of the access levels restricting every grant, or `'unrestricted'`. */
  restriction: string[] | 'unrestricted';
  /** The most severe finding naming this member, if any. */
  topFinding?: { id: FindingId; severity: Severity };
  /** Rows expanded to people: the members whose grants let this person in (itself or groups). */
  via?: string[];
  /**
   * ISO 8601 time the member's access through this row's grants ends: the latest expiry of its
   * live grants. Absent when one of them is permanent.
   */
  expiresAt?: string;
}
