/**
 * Isomorphic types, permissions, annotation helpers and pure access analysis for the Cloud Run
 * IAP plugins: no I/O, safe in the browser and in Node.
 *
 * @packageDocumentation
 */

export * from './annotation';
export * from './permissions';
export type {
  IamCondition,
  IamBinding,
  IamPolicy,
  RunCondition,
  RunService,
  IapSettings,
  AccessPolicy,
  DevicePolicy,
  AccessLevelCondition,
  AccessLevel,
  ServicePerimeterConfig,
  ServicePerimeter,
  IamRole,
  GroupEntityKey,
  GroupMemberRelation,
  GroupExpansion,
  OrgPolicyRule,
  OrgPolicy,
} from './google/types';
export {
  IAP_ACCESSOR_ROLE,
  RUN_INVOKER_ROLE,
  RUN_API_SERVICE,
  PUBLIC_MEMBERS,
  iapProjectResource,
  iapRegionResource,
  iapServiceResource,
  iapServiceAgentMember,
  computeDefaultServiceAccount,
} from './google/resourceNames';
export * from './report/types';
export type {
  SourceError,
  Sourced,
  AccessPolicyLevels,
  ResourcePolicyInput,
  IapPolicies,
  IapSettingsLevel,
  IapSettingsAtLevel,
} from './analysis/sources';
export { isSourceError } from './analysis/sources';
export { analyzeCondition } from './analysis/conditions';
export { resolveAccessLevels } from './analysis/accessLevels';
export {
  buildAccessors,
  isContextRestricted,
  referencedAccessLevels,
} from './analysis/accessors';
export type { AccessorsInput, GrantSource } from './analysis/accessors';
export {
  classifyMember,
  isMemberInOrganization,
  memberKey,
  workforcePoolOf,
} from './analysis/members';
export type { MemberInfo } from './analysis/members';
export {
  grantableMemberProblem,
  grantableMembersProblems,
  isMemberInsideOrganization,
  isPublicMember,
  isServiceAccountEmail,
  memberSyntaxProblem,
} from './members/grantableMembers';
export type { MemberPolicy } from './members/grantableMembers';
export { summarizeCoverage } from './analysis/coverage';
export {
  accessLevelsCondition,
  accessLevelsExpression,
  applyAccessChange,
  hasInvoker,
  includesMember,
  MANAGED_CONDITION_TITLE,
  ManagedBindingError,
  parseAccessLevelsExpression,
  publicInvokers,
  readManagedAccess,
  unmanagedAccessorBindings,
  unmanagedAccessorGrants,
  withIapAgentInvoker,
} from './iam/managedBindings';
export type {
  AccessChange,
  BindingLike,
  ManagedAccess,
  UnmanagedAccessorGrant,
} from './iam/managedBindings';
export {
  applyTimeBoundChange,
  expiredTimeBoundBindings,
  parseTimeBoundBinding,
  TIME_BOUND_CONDITION_TITLE,
  timeBoundBinding,
  timeBoundExpiry,
} from './iam/timeBoundBindings';
export type {
  TimeBoundBindingInput,
  TimeBoundGrant,
} from './iam/timeBoundBindings';
export {
  planAccessChange,
  removalProblems,
  unmanagedGrantsOf,
} from './iam/accessChangePlan';
export type {
  PlannedAccessChange,
  UnmanagedGrant,
} from './iam/accessChangePlan';
export { evaluatePerimeters } from './analysis/perimeter';
export { summarizeIapSettings } from './analysis/iapSettings';
export {
  computeFindings,
  sortFindings,
} from './analysis/findings/computeFindings';
export type {
  FindingOptions,
  ServiceAccessFacts,
} from './analysis/findings/types';
export { buildServiceAccessReport } from './analysis/buildServiceReport';
export {
  declaredAccessChange,
  declaredAccessDrift,
  IAP_ACCESS_LEVELS_ANNOTATION,
  IAP_ACCESSORS_ANNOTATION,
  parseDeclaredAccess,
  withDeclaredAccess,
} from './analysis/declaredAccess';
export type {
  DeclaredAccess,
  DeclaredAccessChange,
  DeclaredLevelsContext,
} from './analysis/declaredAccess';
export type { ServiceAccessInput } from './analysis/buildServiceReport';
export { evaluateMemberAccess, simulateAccess } from './analysis/simulate';
export type {
  MemberEvaluation,
  MemberGrantEvaluation,
  MemberRelation,
} from './analysis/simulate';
export { checkOwnAccess } from './analysis/selfCheck';
export type {
  SelfCheckGrant,
  SelfCheckMissing,
  SelfCheckMissingReason,
  SelfCheckRequest,
  SelfCheckResult,
  SelfCheckVerdict,
  ServiceSelfCheck,
} from './analysis/selfCheck';
export { validateSimulationRequest } from './analysis/simulationRequest';
export {
  buildPeopleReviewRows,
  buildReviewRows,
  reviewRowsFor,
  reviewRowsToCsv,
  sortReviewRows,
} from './analysis/review';
export type { ReviewOptions } from './analysis/review';
export {
  IAP_ACCESS_PERMISSION,
  RUN_INVOKE_PERMISSION,
  PREDEFINED_ACCESSOR_ROLES,
  PREDEFINED_INVOKER_ROLES,
  RoleCatalog,
} from './analysis/roles';
export { expandGroups, memberOfRelation } from './analysis/groups';
export type { GroupDirectory } from './analysis/groups';
export { buildPeopleView } from './analysis/people';
export type { PeopleView } from './analysis/people';
export {
  markLevelsRestrictingNothing,
  coversEveryAddress,
  coversEveryRegion,
} from './analysis/levelTautology';
export {
  mergeIapSettings,
  summarizeMergedIapSettings,
  domainMaySignIn,
} from './analysis/iapSettings';
export type { MergedIapSettings } from './analysis/iapSettings';
export {
  evaluateReachability,
  normalizeIngress,
  isNonPublicIp,
} from './analysis/reachability';
export type { IngressSetting } from './analysis/reachability';
export {
  summarizeOrgPolicies,
  summarizeOrgPolicy,
} from './analysis/orgPolicies';
export { directCallers, invokerGrantsOf } from './analysis/serviceFacts';
export type {
  AccessLevelOption,
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewError,
  ReviewResponse,
  ReviewSummary,
  UnavailableService,
  UnavailableServiceReason,
} from './api/types';
export {
  CREATED_BY_TASK_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  OWNER_GROUP_ANNOTATION,
  isManagedService,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from './managedServices';
export {
  linkFactsOf,
  normalizedEntityRef,
  ownerRefOf,
  recordedOwnerGroup,
} from './serviceLinkFacts';
export type { ServiceLinkFacts } from './serviceLinkFacts';
export {
  CLOUD_RUN_DISCOVERED_SERVICE_ANNOTATION,
  CLOUD_RUN_IAP_ENABLED,
  CLOUD_RUN_LINKED_LABEL,
  CLOUD_RUN_PROJECT_LABEL,
  CLOUD_RUN_REGION_ANNOTATION,
  CLOUD_RUN_REGION_LABEL,
  CLOUD_RUN_SERVICE_RESOURCE_TYPE,
  CLOUD_RUN_URL_ANNOTATION,
} from './discoveredServices';
export {
  serviceLinkCommand,
  UNOWNED_SERVICES_CATALOG_FILTER,
  unownedServiceOf,
} from './unownedServices';
export type { UnownedService, UnownedServiceReason } from './unownedServices';
