import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GoogleApiError } from '../errors';

/**
 * Proto3 JSON as Google's REST front ends read and write it, driven by the message shapes of
 * the discovery documents that `googleapis` ships (`build/src/apis/<api>/<version>.d.ts`,
 * one `Schema$<Message>` interface per message). Those files give the fields and their
 * kinds; they do not say which strings are enums or 64-bit integers, so the tables below add
 * that, with the numbers of the `.proto` files (not the discovery lists' order: some enums
 * skip numbers, e.g. `google.api.LaunchStage` and IAP's `IdentitySource`).
 */
export type ApiId =
  | 'run/v2'
  | 'iap/v1'
  | 'iam/v1'
  | 'cloudresourcemanager/v3'
  | 'cloudidentity/v1'
  | 'orgpolicy/v2'
  | 'secretmanager/v1'
  | 'serviceusage/v1beta1'
  | 'accesscontextmanager/v1';

type FieldKind =
  | { kind: 'string' | 'bool' | 'number' | 'any' }
  | { kind: 'message'; schema: string }
  | { kind: 'map'; value: FieldKind };

interface FieldShape {
  type: FieldKind;
  repeated: boolean;
}

type MessageShape = Map<string, FieldShape>;

interface EnumType {
  /** Full proto name, as Google's errors name it. */
  type: string;
  values: Record<string, number>;
}

const launchStage: EnumType = {
  type: 'google.api.LaunchStage',
  values: {
    LAUNCH_STAGE_UNSPECIFIED: 0,
    UNIMPLEMENTED: 6,
    PRELAUNCH: 7,
    EARLY_ACCESS: 1,
    ALPHA: 2,
    BETA: 3,
    GA: 4,
    DEPRECATED: 5,
  },
};

const logType: EnumType = {
  type: 'google.iam.v1.AuditLogConfig.LogType',
  values: {
    LOG_TYPE_UNSPECIFIED: 0,
    ADMIN_READ: 1,
    DATA_WRITE: 2,
    DATA_READ: 3,
  },
};

const resourceState = (type: string): EnumType => ({
  type,
  values: { STATE_UNSPECIFIED: 0, ACTIVE: 1, DELETE_REQUESTED: 2 },
});

const sequential = (type: string, names: string[]): EnumType => ({
  type,
  values: Object.fromEntries(names.map((n, i) => [n, i])),
});

const run = 'google.cloud.run.v2';
const trafficType = sequential(`${run}.TrafficTargetAllocationType`, [
  'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
  'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
  'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
]);

/** `<Schema>.<field>` → enum, per API (proto numbers; sources in the README). */
const enumFields: Record<ApiId, Record<string, EnumType>> = {
  'run/v2': {
    'GoogleCloudRunV2Service.ingress': sequential(`${run}.IngressTraffic`, [
      'INGRESS_TRAFFIC_UNSPECIFIED',
      'INGRESS_TRAFFIC_ALL',
      'INGRESS_TRAFFIC_INTERNAL_ONLY',
      'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      'INGRESS_TRAFFIC_NONE',
    ]),
    'GoogleCloudRunV2Service.launchStage': launchStage,
    'GoogleCloudRunV2RevisionTemplate.executionEnvironment': sequential(
      `${run}.ExecutionEnvironment`,
      [
        'EXECUTION_ENVIRONMENT_UNSPECIFIED',
        'EXECUTION_ENVIRONMENT_GEN1',
        'EXECUTION_ENVIRONMENT_GEN2',
      ],
    ),
    'GoogleCloudRunV2RevisionTemplate.encryptionKeyRevocationAction':
      sequential(`${run}.EncryptionKeyRevocationAction`, [
        'ENCRYPTION_KEY_REVOCATION_ACTION_UNSPECIFIED',
        'PREVENT_NEW',
        'SHUTDOWN',
      ]),
    'GoogleCloudRunV2ServiceScaling.scalingMode': sequential(
      `${run}.ServiceScaling.ScalingMode`,
      ['SCALING_MODE_UNSPECIFIED', 'AUTOMATIC', 'MANUAL'],
    ),
    'GoogleCloudRunV2VpcAccess.egress': sequential(
      `${run}.VpcAccess.VpcEgress`,
      ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'],
    ),
    'GoogleCloudRunV2TrafficTarget.type': trafficType,
    'GoogleCloudRunV2TrafficTargetStatus.type': trafficType,
    'GoogleCloudRunV2Condition.state': sequential(`${run}.Condition.State`, [
      'STATE_UNSPECIFIED',
      'CONDITION_PENDING',
      'CONDITION_RECONCILING',
      'CONDITION_FAILED',
      'CONDITION_SUCCEEDED',
    ]),
    'GoogleCloudRunV2Condition.severity': sequential(
      `${run}.Condition.Severity`,
      ['SEVERITY_UNSPECIFIED', 'ERROR', 'WARNING', 'INFO'],
    ),
    'GoogleCloudRunV2Condition.reason': sequential(
      `${run}.Condition.CommonReason`,
      [
        'COMMON_REASON_UNDEFINED',
        'UNKNOWN',
        'ROUTE_MISSING',
        'REVISION_FAILED',
        'PROGRESS_DEADLINE_EXCEEDED',
        'BUILD_STEP_FAILED',
        'CONTAINER_MISSING',
        'CONTAINER_PERMISSION_DENIED',
        'CONTAINER_IMAGE_UNAUTHORIZED',
        'CONTAINER_IMAGE_AUTHORIZATION_CHECK_FAILED',
        'ENCRYPTION_KEY_PERMISSION_DENIED',
        'ENCRYPTION_KEY_CHECK_FAILED',
        'SECRETS_ACCESS_CHECK_FAILED',
        'WAITING_FOR_OPERATION',
        'IMMEDIATE_RETRY',
        'POSTPONED_RETRY',
      ],
    ),
    'GoogleIamV1AuditLogConfig.logType': logType,
  },
  'iap/v1': {
    'ReauthSettings.method': {
      type: 'google.cloud.iap.v1.ReauthSettings.Method',
      values: {
        METHOD_UNSPECIFIED: 0,
        LOGIN: 1,
        PASSWORD: 2,
        SECURE_KEY: 3,
        ENROLLED_SECOND_FACTORS: 4,
      },
    },
    'ReauthSettings.policyType': sequential(
      'google.cloud.iap.v1.ReauthSettings.PolicyType',
      ['POLICY_TYPE_UNSPECIFIED', 'MINIMUM', 'DEFAULT'],
    ),
    'AccessSettings.identitySources': {
      type: 'google.cloud.iap.v1.AccessSettings.IdentitySource',
      values: {
        IDENTITY_SOURCE_UNSPECIFIED: 0,
        WORKFORCE_IDENTITY_FEDERATION: 3,
      },
    },
    'AttributePropagationSettings.outputCredentials': sequential(
      'google.cloud.iap.v1.AttributePropagationSettings.OutputCredentials',
      ['OUTPUT_CREDENTIALS_UNSPECIFIED', 'HEADER', 'JWT', 'RCTOKEN'],
    ),
    'AuditLogConfig.logType': logType,
  },
  'iam/v1': {
    'Role.stage': {
      type: 'google.iam.admin.v1.Role.RoleLaunchStage',
      values: { ALPHA: 0, BETA: 1, GA: 2, DEPRECATED: 4, DISABLED: 5, EAP: 6 },
    },
    'AuditLogConfig.logType': logType,
  },
  'cloudresourcemanager/v3': {
    'Project.state': resourceState(
      'google.cloud.resourcemanager.v3.Project.State',
    ),
    'Folder.state': resourceState(
      'google.cloud.resourcemanager.v3.Folder.State',
    ),
    'Organization.state': resourceState(
      'google.cloud.resourcemanager.v3.Organization.State',
    ),
    'AuditLogConfig.logType': logType,
  },
  'cloudidentity/v1': {
    'MemberRelation.relationType': sequential(
      'google.apps.cloudidentity.groups.v1.MembershipRelationType',
      [
        'RELATION_TYPE_UNSPECIFIED',
        'DIRECT',
        'INDIRECT',
        'DIRECT_AND_INDIRECT',
      ],
    ),
  },
  'orgpolicy/v2': {},
  'secretmanager/v1': {},
  'serviceusage/v1beta1': {},
  'accesscontextmanager/v1': {},
};

/** `<Schema>.<field>` that hold an int64 (a string in googleapis' types). */
const int64Fields: Partial<Record<ApiId, Set<string>>> = {
  'run/v2': new Set([
    'GoogleCloudRunV2Service.generation',
    'GoogleCloudRunV2Service.observedGeneration',
  ]),
};

/** `<Schema>.<field>` that hold a `google.protobuf.Duration` (`"3.5s"`). */
const durationFields: Partial<Record<ApiId, Set<string>>> = {
  'run/v2': new Set([
    'GoogleCloudRunV2RevisionTemplate.timeout',
    'GoogleLongrunningWaitOperationRequest.timeout',
  ]),
  'iap/v1': new Set(['ReauthSettings.maxAge']),
};

/** `@type` of an `Any` → the message it holds, for answers with integer enums. */
const anyTypes: Record<string, { api: ApiId; schema: string }> = {
  'type.googleapis.com/google.cloud.run.v2.Service': {
    api: 'run/v2',
    schema: 'GoogleCloudRunV2Service',
  },
};

const shapes = new Map<ApiId, Map<string, MessageShape>>();

function typesFile(api: ApiId): string {
  const root = dirname(require.resolve('googleapis/package.json'));
  return join(root, 'build', 'src', 'apis', `${api}.d.ts`);
}

function parseKind(text: string): FieldShape {
  const t = text
    .replace(/\s+/g, ' ')
    .replace(/ \| null$/, '')
    .trim();
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map) {
    return {
      type: { kind: 'map', value: parseKind(map[1]).type },
      repeated: false,
    };
  }
  const repeated = t.endsWith('[]');
  const base = repeated ? t.slice(0, -2) : t;
  let type: FieldKind;
  if (base.startsWith('Schema$')) {
    type = { kind: 'message', schema: base.slice('Schema$'.length) };
  } else if (base === 'string') type = { kind: 'string' };
  else if (base === 'boolean') type = { kind: 'bool' };
  else if (base === 'number') type = { kind: 'number' };
  else type = { kind: 'any' };
  return { type, repeated };
}

/** Reads every `Schema$…` interface of an API's googleapis types. */
function shapesOf(api: ApiId): Map<string, MessageShape> {
  const cached = shapes.get(api);
  if (cached) return cached;
  const out = new Map<string, MessageShape>();
  const lines = readFileSync(typesFile(api), 'utf8').split('\n');
  let current: MessageShape | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const start = /^ {4}export interface Schema\$(\w+) \{(\})?$/.exec(line);
    if (start) {
      current = new Map();
      out.set(start[1], current);
      if (start[2]) current = undefined;
      continue;
    }
    if (!current) continue;
    if (line === '    }') {
      current = undefined;
      continue;
    }
    const field = /^ {8}(\w+)\?: (.*)$/.exec(line);
    if (!field) continue;
    let text = field[2];
    let depth =
      (text.match(/\{/g) ?? []).length - (text.match(/\}/g) ?? []).length;
    while (depth > 0 && i + 1 < lines.length) {
      const next = lines[++i];
      text += ` ${next.trim()}`;
      depth +=
        (next.match(/\{/g) ?? []).length - (next.match(/\}/g) ?? []).length;
    }
    current.set(field[1], parseKind(text.replace(/;$/, '')));
  }
  shapes.set(api, out);
  return out;
}

/** Whether the API's googleapis types declare this message (for tests and route tables). */
export function hasMessage(api: ApiId, schema: string): boolean {
  return shapesOf(api).has(schema);
}

const snake = (name: string) =>
  name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
const camel = (name: string) =>
  name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function render(value: unknown) {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

class Decoder {
  readonly problems: { field?: string; description: string }[] = [];

  constructor(readonly api: ApiId) {}

  private invalid(at: string, type: string, value: unknown) {
    this.problems.push({
      field: at,
      description: `Invalid value at '${at}' (${type}), ${render(value)}`,
    });
  }

  message(schema: string, value: unknown, at: string): unknown {
    const shape = shapesOf(this.api).get(schema);
    if (!shape) return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.invalid(at, `type.googleapis.com/${schema}`, JSON.stringify(value));
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [rawName, fieldValue] of Object.entries(value)) {
      const name = shape.has(rawName) ? rawName : camel(rawName);
      const field = shape.get(name);
      if (!field) {
        const where = at ? ` at '${at}'` : '';
        this.problems.push({
          ...(at ? { field: at } : {}),
          description: `Invalid JSON payload received. Unknown name "${rawName}"${where}: Cannot find field.`,
        });
        continue;
      }
      if (fieldValue === null) continue;
      const path = at ? `${at}.${snake(name)}` : snake(name);
      const key = `${schema}.${name}`;
      if (field.repeated) {
        if (!Array.isArray(fieldValue)) {
          this.invalid(path, 'TYPE_ARRAY', JSON.stringify(fieldValue));
          continue;
        }
        out[name] = fieldValue.map((item, i) =>
          this.field(key, field.type, item, `${path}[${i}]`),
        );
      } else {
        out[name] = this.field(key, field.type, fieldValue, path);
      }
    }
    return out;
  }

  private field(
    key: string,
    type: FieldKind,
    value: unknown,
    at: string,
  ): unknown {
    const enumType = enumFields[this.api][key];
    if (enumType) return this.enumValue(enumType, value, at);
    if (durationFields[this.api]?.has(key)) {
      if (typeof value !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(value)) {
        this.invalid(at, 'type.googleapis.com/google.protobuf.Duration', value);
      }
      return value;
    }
    if (int64Fields[this.api]?.has(key))
      return this.integer(value, at, 'TYPE_INT64', true);
    switch (type.kind) {
      case 'message':
        return this.message(type.schema, value, at);
      case 'map': {
        if (
          typeof value !== 'object' ||
          value === null ||
          Array.isArray(value)
        ) {
          this.invalid(at, 'TYPE_MESSAGE', JSON.stringify(value));
          return value;
        }
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [
            k,
            this.field(
              `${key}[]`,
              type.value,
              v,
              `${at}[${JSON.stringify(k)}]`,
            ),
          ]),
        );
      }
      case 'string':
        if (typeof value !== 'string') this.invalid(at, 'TYPE_STRING', value);
        return value;
      case 'bool':
        if (typeof value === 'boolean') return value;
        if (value === 'true' || value === 'false') return value === 'true';
        this.invalid(at, 'TYPE_BOOL', value);
        return value;
      case 'number':
        return this.integer(value, at, 'TYPE_INT32', false);
      default:
        return value;
    }
  }

  private integer(value: unknown, at: string, type: string, int64: boolean) {
    const text = typeof value === 'number' ? String(value) : value;
    if (
      typeof text !== 'string' ||
      !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)
    ) {
      this.invalid(at, type, value);
      return value;
    }
    if (int64) {
      if (!/^-?\d+$/.test(text)) {
        this.invalid(at, type, value);
        return value;
      }
      return text;
    }
    return Number(text);
  }

  private enumValue(enumType: EnumType, value: unknown, at: string) {
    if (typeof value === 'string' && value in enumType.values) return value;
    let number: number | undefined;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && /^\d+$/.test(value)) {
      number = Number(value);
    }
    const name =
      number === undefined
        ? undefined
        : Object.entries(enumType.values).find(([, n]) => n === number)?.[0];
    if (name) return name;
    this.invalid(at, `type.googleapis.com/${enumType.type}`, value);
    return value;
  }
}

/**
 * Reads a request body as Google does: lowerCamel or proto field names, enums as names or
 * numbers, integers as numbers or strings. Returns it with enums as names, int32 as numbers
 * and int64 as strings; refuses unknown fields and mistyped values with Google's 400.
 * `at` is the request field the body is bound to (`service` for `body: "service"`), or ''.
 */
export function decodeRequest(
  api: ApiId,
  schema: string,
  body: unknown,
  at = '',
): unknown {
  const problems = proto3Problems(api, schema, body, at);
  if (problems.length > 0) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      problems.map(p => p.description).join('\n'),
      [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: problems.map(p => ({
            ...(p.field ? { field: p.field } : {}),
            description: p.description,
          })),
        },
      ],
    );
  }
  return new Decoder(api).message(schema, body, at);
}

/** What Google would refuse in this message ([] when nothing). */
export function proto3Problems(
  api: ApiId,
  schema: string,
  body: unknown,
  at = '',
): { field?: string; description: string }[] {
  const decoder = new Decoder(api);
  decoder.message(schema, body, at);
  return decoder.problems;
}

/** Whether the request asked for integer enums (`$alt=json;enum-encoding=int`). */
export function wantsIntegerEnums(query: URLSearchParams): boolean {
  return ['$alt', 'alt'].some(p =>
    (query.get(p) ?? '')
      .split(';')
      .some(part => part.trim() === 'enum-encoding=int'),
  );
}

/** An answer with every enum the schema knows of written as its number. */
export function encodeIntegerEnums(
  api: ApiId,
  schema: string,
  value: unknown,
): unknown {
  const shape = shapesOf(api).get(schema);
  if (!shape || typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, fieldValue] of Object.entries(value)) {
    const field = shape.get(name);
    const enumType = enumFields[api][`${schema}.${name}`];
    const convert = (item: unknown): unknown => {
      if (enumType && typeof item === 'string' && item in enumType.values) {
        return enumType.values[item];
      }
      if (field?.type.kind === 'message') {
        return encodeIntegerEnums(api, field.type.schema, item);
      }
      if (typeof item === 'object' && item) {
        const held = anyTypes[(item as { '@type'?: string })['@type'] ?? ''];
        return held ? encodeIntegerEnums(held.api, held.schema, item) : item;
      }
      return item;
    };
    out[name] = Array.isArray(fieldValue)
      ? fieldValue.map(convert)
      : convert(fieldValue);
  }
  return out;
}
