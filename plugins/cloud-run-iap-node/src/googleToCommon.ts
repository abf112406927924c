import type {
  AccessLevel,
  AccessLevelCondition,
  AccessPolicy,
  GroupMemberRelation,
  IamCondition,
  IamPolicy,
  IamRole,
  IapSettings,
  OrgPolicy,
  ServicePerimeter,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type {
  accesscontextmanager_v1,
  cloudidentity_v1,
  iam_v1,
  iap_v1,
  orgpolicy_v2,
  run_v2,
} from 'googleapis';

/*
 * The one place where googleapis answers become -common's types. googleapis declares every
 * field `T | null` and every field optional; Google's JSON omits unset fields and -common
 * declares the fields the analysis needs as present. Each mapper below says what it assumes.
 */

/** A googleapis type without the `null`s it allows (answers as Google sends them). */
export type WithoutNulls<T> = T extends (infer U)[]
  ? WithoutNulls<U>[]
  : T extends object
  ? { [K in keyof T]: WithoutNulls<Exclude<T[K], null>> }
  : Exclude<T, null>;

/** Drops the `null`s googleapis types allow, so answers fit plain JSON types. */
export function withoutNulls<T>(value: T): WithoutNulls<T> {
  return JSON.parse(JSON.stringify(value), (_, v) =>
    v === null ? undefined : v,
  );
}

function conditionFromGoogle(
  condition: run_v2.Schema$GoogleTypeExpr | orgpolicy_v2.Schema$GoogleTypeExpr,
): IamCondition {
  return {
    expression: condition.expression ?? '',
    ...(condition.title ? { title: condition.title } : {}),
    ...(condition.description ? { description: condition.description } : {}),
    ...(condition.location ? { location: condition.location } : {}),
  };
}

/**
 * An IAM policy (Cloud Run, IAP, Resource Manager: the same `Policy` message): every binding
 * with its role and members. Audit configs are not carried: the portal reads and writes
 * policies of services and IAP resources, where Google keeps none.
 */
export function iamPolicyFromGoogle(
  policy: run_v2.Schema$GoogleIamV1Policy,
): IamPolicy {
  return {
    ...(typeof policy.version === 'number' ? { version: policy.version } : {}),
    ...(policy.etag ? { etag: policy.etag } : {}),
    bindings: (policy.bindings ?? []).map(binding => ({
      role: binding.role ?? '',
      members: binding.members ?? [],
      ...(binding.condition
        ? { condition: conditionFromGoogle(binding.condition) }
        : {}),
    })),
  };
}

/** A role; `name` falls back to the name asked for, and a role lists its permissions, maybe none. */
export function iamRoleFromGoogle(
  role: iam_v1.Schema$Role,
  requestedName: string,
): IamRole {
  return {
    ...withoutNulls(role),
    name: role.name ?? requestedName,
    includedPermissions: role.includedPermissions ?? [],
  };
}

export function groupMemberFromGoogle(
  relation: cloudidentity_v1.Schema$MemberRelation,
): GroupMemberRelation {
  return withoutNulls(relation);
}

export function orgPolicyFromGoogle(
  policy: orgpolicy_v2.Schema$GoogleCloudOrgpolicyV2Policy,
): OrgPolicy {
  const spec = policy.spec ? withoutNulls(policy.spec) : undefined;
  return {
    ...(policy.name ? { name: policy.name } : {}),
    ...(spec
      ? {
          spec: {
            ...spec,
            rules: (policy.spec?.rules ?? []).map(rule => {
              const { condition, ...rest } = withoutNulls(rule);
              return {
                ...rest,
                ...(condition
                  ? { condition: conditionFromGoogle(condition) }
                  : {}),
              };
            }),
          },
        }
      : {}),
  };
}

export function iapSettingsFromGoogle(
  settings: iap_v1.Schema$IapSettings,
): IapSettings {
  return withoutNulls(settings);
}

/** Access Context Manager names every policy, level and perimeter it lists. */
export function accessPolicyFromGoogle(
  policy: accesscontextmanager_v1.Schema$AccessPolicy,
): AccessPolicy {
  return { ...withoutNulls(policy), name: policy.name ?? '' };
}

function accessLevelConditionFromGoogle(
  condition: accesscontextmanager_v1.Schema$Condition,
): AccessLevelCondition {
  return withoutNulls(condition);
}

export function accessLevelFromGoogle(
  level: accesscontextmanager_v1.Schema$AccessLevel,
): AccessLevel {
  const { basic, custom, ...rest } = withoutNulls(level);
  const combiningFunction = basic?.combiningFunction;
  return {
    ...rest,
    name: level.name ?? '',
    ...(level.basic
      ? {
          basic: {
            conditions: (level.basic.conditions ?? []).map(
              accessLevelConditionFromGoogle,
            ),
            ...(combiningFunction === 'AND' || combiningFunction === 'OR'
              ? { combiningFunction }
              : {}),
          },
        }
      : {}),
    ...(custom?.expr
      ? {
          custom: {
            expr: {
              expression: custom.expr.expression ?? '',
              ...(custom.expr.title ? { title: custom.expr.title } : {}),
            },
          },
        }
      : {}),
  };
}

export function servicePerimeterFromGoogle(
  perimeter: accesscontextmanager_v1.Schema$ServicePerimeter,
): ServicePerimeter {
  return { ...withoutNulls(perimeter), name: perimeter.name ?? '' };
}
