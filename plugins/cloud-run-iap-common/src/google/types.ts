/*
 * Minimal local shapes of the raw Google Cloud JSON that the backend passes to
 * the analysis. Field names follow the REST/JSON names (and the googleapis
 * `Schema$...` types) so a googleapis response can be passed as is; only the
 * fields the analysis reads are declared.
 */

/** An IAM condition (`google.type.Expr`). */
export interface IamCondition {
  expression: string;
  title?: string;
  description?: string;
  location?: string;
}

/** One binding of an IAM policy (`GoogleIamV1Binding`). */
export interface IamBinding {
  role: string;
  members: string[];
  condition?: IamCondition;
}

/** An IAM policy (`GoogleIamV1Policy`), ideally read with `requestedPolicyVersion: 3`. */
export interface IamPolicy {
  version?: number;
  etag?: string;
  bindings?: IamBinding[];
}

/** A Cloud Run v2 condition (`GoogleCloudRunV2Condition`), e.g. the terminal `Ready` condition. */
export interface RunCondition {
  type?: string;
  state?:
    | 'STATE_UNSPECIFIED'
    | 'CONDITION_PENDING'
    | 'CONDITION_RECONCILING'
    | 'CONDITION_FAILED'
    | 'CONDITION_SUCCEEDED'
    | string;
  message?: string;
  reason?: string;
  lastTransitionTime?: string;
  severity?: string;
}

/** The subset of a Cloud Run v2 Service (`GoogleCloudRunV2Service`) the analysis reads. */
export interface RunService {
  name?: string;
  uri?: string;
  urls?: string[];
  iapEnabled?: boolean;
  invokerIamDisabled?: boolean;
  defaultUriDisabled?: boolean;
  ingress?: string;
  launchStage?: string;
  reconciling?: boolean;
  terminalCondition?: RunCondition;
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  updateTime?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  template?: {
    serviceAccount?: string;
    containers?: Array<{ image?: string }>;
  };
}

/** IAP settings of a resource (`iap_v1.Schema$IapSettings`). */
export interface IapSettings {
  name?: string;
  accessSettings?: {
    oauthSettings?: {
      clientId?: string;
      loginHint?: string;
      programmaticClients?: string[];
    };
    allowedDomainsSettings?: {
      domains?: string[];
      enable?: boolean;
    };
    reauthSettings?: {
      method?: string;
      maxAge?: string;
      policyType?: string;
    };
    corsSettings?: { allowHttpOptions?: boolean };
  };
  applicationSettings?: {
    accessDeniedPageSettings?: {
      accessDeniedPageUri?: string;
      generateTroubleshootingUri?: boolean;
    };
    cookieDomain?: string;
    attributePropagationSettings?: {
      expression?: string;
      outputCredentials?: string[];
      enable?: boolean;
    };
  };
}

/** An Access Context Manager access policy (`accesscontextmanager_v1.Schema$AccessPolicy`). */
export interface AccessPolicy {
  /** `accessPolicies/{number}` */
  name: string;
  /** `organizations/{id}` */
  parent?: string;
  title?: string;
  /** At most one `folders/{n}` or `projects/{n}`; a policy with scopes is a scoped policy. */
  scopes?: string[];
}

/** Device requirements of a basic access-level condition (`Schema$DevicePolicy`). */
export interface DevicePolicy {
  requireScreenlock?: boolean;
  allowedEncryptionStatuses?: string[];
  osConstraints?: Array<{
    osType?: string;
    minimumVersion?: string;
    requireVerifiedChromeOs?: boolean;
  }>;
  allowedDeviceManagementLevels?: string[];
  requireAdminApproval?: boolean;
  requireCorpOwned?: boolean;
}

/** One condition of a basic access level (`Schema$Condition`); its non-empty fields are ANDed. */
export interface AccessLevelCondition {
  ipSubnetworks?: string[];
  devicePolicy?: DevicePolicy;
  requiredAccessLevels?: string[];
  negate?: boolean;
  members?: string[];
  regions?: string[];
  vpcNetworkSources?: Array<Record<string, unknown>>;
}

/** An access level (`Schema$AccessLevel`): either basic conditions or a custom CEL expression. */
export interface AccessLevel {
  /** `accessPolicies/{policy}/accessLevels/{level}` */
  name: string;
  title?: string;
  description?: string;
  basic?: {
    conditions: AccessLevelCondition[];
    combiningFunction?: 'AND' | 'OR';
  };
  custom?: { expr: { expression: string; title?: string } };
}

/** The configuration of a perimeter, enforced (`status`) or dry-run (`spec`). */
export interface ServicePerimeterConfig {
  /** `projects/{NUMBER}` or VPC network resource names. */
  resources?: string[];
  /** e.g. `run.googleapis.com` */
  restrictedServices?: string[];
  accessLevels?: string[];
}

/** A VPC Service Controls perimeter (`Schema$ServicePerimeter`). */
export interface ServicePerimeter {
  name: string;
  title?: string;
  perimeterType?: 'PERIMETER_TYPE_REGULAR' | 'PERIMETER_TYPE_BRIDGE' | string;
  status?: ServicePerimeterConfig;
  spec?: ServicePerimeterConfig;
  useExplicitDryRunSpec?: boolean;
}

/** An IAM role with its permissions (`iam_v1.Schema$Role`): predefined, or custom at project or organisation level. */
export interface IamRole {
  /** `roles/run.invoker`, `projects/{id}/roles/{id}` or `organizations/{id}/roles/{id}` */
  name: string;
  title?: string;
  includedPermissions?: string[];
  /** `GA`, `BETA`, `DISABLED`, …: a `DISABLED` custom role grants nothing. */
  stage?: string;
  /** A deleted custom role grants nothing. */
  deleted?: boolean;
}

/** An entity key of Cloud Identity (`cloudidentity_v1.Schema$EntityKey`): `id` is the email address. */
export interface GroupEntityKey {
  id?: string;
  /** Set only for external-identity-mapped entities: `identitysources/{id}`. */
  namespace?: string;
}

/**
 * One transitive member of a group, as `groups.memberships.searchTransitiveMemberships` returns it
 * (`cloudidentity_v1.Schema$MemberRelation`). Nested groups appear as members (`groups/…`) and their
 * own members are listed too.
 */
export interface GroupMemberRelation {
  /** Resource name: `users/{id}`, `groups/{id}`, … */
  member?: string;
  preferredMemberKey?: GroupEntityKey[];
  /** `DIRECT`, `INDIRECT` or `DIRECT_AND_INDIRECT` */
  relationType?: string;
  roles?: Array<{ role?: string }>;
}

/** A group accessor expanded through the Cloud Identity Groups API. */
export interface GroupExpansion {
  /** The group's email, as in the IAM member `group:EMAIL`. */
  groupKey: string;
  /** `groups/{id}` from `groups.lookup`. */
  name?: string;
  /** Every transitive member (all pages of `searchTransitiveMemberships`). */
  members: GroupMemberRelation[];
  /** The listing stopped early (a page limit): the size is a lower bound. */
  truncated?: boolean;
}

/** One rule of an Org Policy v2 policy spec (`orgpolicy_v2.Schema$GoogleCloudOrgpolicyV2PolicySpecPolicyRule`). */
export interface OrgPolicyRule {
  values?: { allowedValues?: string[]; deniedValues?: string[] };
  allowAll?: boolean;
  denyAll?: boolean;
  /** For boolean constraints. */
  enforce?: boolean;
  condition?: IamCondition;
}

/** An effective Org Policy (`projects.policies.getEffectivePolicy`, `Schema$GoogleCloudOrgpolicyV2Policy`). */
export interface OrgPolicy {
  /** `projects/{number}/policies/{constraint}` */
  name?: string;
  spec?: {
    rules?: OrgPolicyRule[];
    inheritFromParent?: boolean;
    reset?: boolean;
    etag?: string;
    updateTime?: string;
  };
}
