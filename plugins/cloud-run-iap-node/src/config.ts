import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** `cloudRunIap` settings, read once and validated. */
export interface CloudRunIapConfig {
  google: {
    credentials?: object;
    endpoint?: string;
    /** The endpoint is a Google private endpoint (https), so real credentials go to it. */
    privateEndpoint: boolean;
    /** How long one attempt of one Google call may take. */
    timeoutMs: number;
  };
  organization: {
    domains: string[];
    allowExternalMembers: boolean;
    /** Workforce pools whose principals count as inside the organisation. */
    workforcePools: string[];
  };
  /**
   * `serviceAccounts`: existing runtime accounts (lower-case emails) a new app in that project
   * may run as instead of the account the create action makes for it.
   */
  projects: Array<{ id: string; regions: string[]; serviceAccounts: string[] }>;
  /** Registry prefixes images must come from; empty: any registry. */
  images: { allowedRegistries: string[] };
  /** Whether a secret an app mounts must carry the label `backstage-app: <service id>`. */
  secrets: { requireAppLabel: boolean };
  cacheTtlSeconds: number;
  /**
   * `cloudRunIap.links`: services (`projects/P/locations/R/services/S`) an operator links to an
   * entity (a full, lower-case entity ref), for services that do not name their entity.
   */
  links: Array<{ service: string; entityRef: string }>;
  /** `cloudRunIap.review.maxEntities`: at most this many entities in one access review. */
  review: { maxEntities: number };
  /** `cloudRunIap.report.deadline`: the overall deadline of one access report or review. */
  report: { deadlineMs: number };
  concurrency: number;
  /** Parallel Google writes (the actions' creates, patches and IAM sets). */
  writeConcurrency: number;
}

export function readCloudRunIapConfig(root: Config): CloudRunIapConfig {
  const config = root.getOptionalConfig('cloudRunIap');
  const rawCredentials = config?.getOptionalString('google.credentials');
  let credentials: object | undefined;
  if (rawCredentials) {
    try {
      credentials = JSON.parse(rawCredentials);
    } catch {
      // Never echo the value: it is a secret.
      throw new InputError(
        'cloudRunIap.google.credentials is not valid JSON (expected a service-account key)',
      );
    }
  }
  const endpoint = config?.getOptionalString('google.endpoint');
  if (endpoint && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
    throw new InputError(
      `cloudRunIap.google.endpoint must be a scheme, host and port such as http://127.0.0.1:8085, got ${endpoint}`,
    );
  }
  const google = readGoogleAccess(config);
  const concurrency = readPoolSize(config, 'concurrency', 16);
  const writeConcurrency = readPoolSize(config, 'writeConcurrency', 4);
  return {
    google: { ...google, credentials, endpoint: endpoint?.replace(/\/$/, '') },
    organization: {
      domains: (
        config?.getOptionalStringArray('organization.domains') ?? []
      ).map(d => d.toLowerCase()),
      allowExternalMembers:
        config?.getOptionalBoolean('organization.allowExternalMembers') ??
        false,
      workforcePools: readWorkforcePools(config),
    },
    projects: (config?.getOptionalConfigArray('projects') ?? []).map(p => ({
      id: p.getString('id'),
      regions: p.getStringArray('regions'),
      serviceAccounts: (p.getOptionalStringArray('serviceAccounts') ?? []).map(
        email => email.toLowerCase(),
      ),
    })),
    images: {
      allowedRegistries: (
        config?.getOptionalStringArray('images.allowedRegistries') ?? []
      ).map(prefix => prefix.replace(/\/+$/, '')),
    },
    secrets: {
      requireAppLabel:
        config?.getOptionalBoolean('secrets.requireAppLabel') ?? false,
    },
    cacheTtlSeconds: readCacheTtlMs(config) / 1000,
    concurrency,
    writeConcurrency,
    links: readLinks(config),
    review: { maxEntities: readMaxReviewEntities(config) },
    report: { deadlineMs: readReportDeadlineMs(config) },
  };
}

/**
 * Every duration key is a HumanDuration ({ seconds: 30 }, { minutes: 5 }, ...) or a duration
 * string ('5m', 'PT5M'), read by Backstage's readDurationFromConfig.
 */
function readDurationMs(
  config: Config | undefined,
  key: string,
  defaultMs: number,
): number {
  if (!config?.has(key)) {
    return defaultMs;
  }
  try {
    return durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `cloudRunIap.${key} must be a duration such as { seconds: 30 }, { minutes: 5 } or '5m': ${
        (error as Error).message
      }`,
    );
  }
}

function readCacheTtlMs(config: Config | undefined): number {
  const ttlMs = readDurationMs(config, 'cache.ttl', 60_000);
  if (!(ttlMs >= 0)) {
    throw new InputError(
      'cloudRunIap.cache.ttl must be a duration of zero or more, such as { seconds: 60 } or { minutes: 5 }',
    );
  }
  return ttlMs;
}

function readPoolSize(
  config: Config | undefined,
  key: string,
  defaultSize: number,
): number {
  const size = config?.getOptionalNumber(key) ?? defaultSize;
  if (!Number.isInteger(size) || size < 1) {
    throw new InputError(
      `cloudRunIap.${key} must be a whole number of at least 1, got ${size}`,
    );
  }
  return size;
}

/**
 * Credentials go to Google only: with an endpoint, the client sends a fixed placeholder token,
 * so configured credentials would have nowhere safe to go, except to an https Google private
 * endpoint that config vouches for.
 */
function readGoogleAccess(config: Config | undefined) {
  const endpoint = config?.getOptionalString('google.endpoint');
  const privateEndpoint =
    config?.getOptionalBoolean('google.privateEndpoint') ?? false;
  if (privateEndpoint && !endpoint?.startsWith('https://')) {
    throw new InputError(
      `cloudRunIap.google.privateEndpoint needs cloudRunIap.google.endpoint to be an https:// URL of a Google private endpoint, got ${
        endpoint ?? 'no endpoint'
      }`,
    );
  }
  if (
    endpoint &&
    !privateEndpoint &&
    config?.getOptionalString('google.credentials')
  ) {
    throw new InputError(
      'cloudRunIap.google.credentials must not be set together with cloudRunIap.google.endpoint: credentials are only sent to Google, and an endpoint gets a fixed placeholder token. Remove the credentials (a fake or emulator needs none), or, for a Google private endpoint over https, set cloudRunIap.google.privateEndpoint: true',
    );
  }
  const timeoutMs = readDurationMs(config, 'google.timeout', 30_000);
  if (!(timeoutMs > 0)) {
    throw new InputError(
      'cloudRunIap.google.timeout must be a duration longer than zero, such as { seconds: 30 }',
    );
  }
  return { privateEndpoint, timeoutMs };
}

function readWorkforcePools(config: Config | undefined): string[] {
  const pools =
    config?.getOptionalStringArray('organization.workforcePools') ?? [];
  pools.forEach((pool, i) => {
    if (!/^[a-z0-9-]+$/.test(pool)) {
      throw new InputError(
        `cloudRunIap.organization.workforcePools[${i}] must be a workforce pool ID (lower-case letters, digits and hyphens, as in principalSet://iam.googleapis.com/locations/global/workforcePools/POOL/*), got ${JSON.stringify(
          pool,
        )}`,
      );
    }
  });
  return pools;
}

const LINKED_SERVICE =
  /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/[a-z]+-[a-z]+[0-9]+\/services\/[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
const FULL_ENTITY_REF =
  /^[a-z][a-z0-9]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;

function readLinks(config: Config | undefined): CloudRunIapConfig['links'] {
  const projects = new Set(
    (config?.getOptionalConfigArray('projects') ?? []).map(p =>
      p.getString('id'),
    ),
  );
  return (config?.getOptionalConfigArray('links') ?? []).map((link, i) => {
    const field = `cloudRunIap.links[${i}]`;
    const service = link.getString('service');
    const entityRef = link.getString('entityRef');
    const match = LINKED_SERVICE.exec(service);
    if (!match) {
      throw new InputError(
        `${field}.service must be projects/<project-id>/locations/<region>/services/<service-id>, got ${JSON.stringify(
          service,
        )}`,
      );
    }
    if (!projects.has(match[1])) {
      throw new InputError(
        `${field}.service is in project ${match[1]}, which is not one of cloudRunIap.projects`,
      );
    }
    if (!FULL_ENTITY_REF.test(entityRef)) {
      throw new InputError(
        `${field}.entityRef must be a full entity reference kind:namespace/name such as component:default/my-app, got ${JSON.stringify(
          entityRef,
        )}`,
      );
    }
    return { service, entityRef: entityRef.toLowerCase() };
  });
}

function readMaxReviewEntities(config: Config | undefined): number {
  const max = config?.getOptionalNumber('review.maxEntities') ?? 500;
  if (!Number.isInteger(max) || max < 1) {
    throw new InputError(
      `cloudRunIap.review.maxEntities must be a whole number of at least 1, got ${max}`,
    );
  }
  return max;
}

function readReportDeadlineMs(config: Config | undefined): number {
  const deadlineMs = readDurationMs(config, 'report.deadline', 60_000);
  if (!(deadlineMs > 0)) {
    throw new InputError(
      'cloudRunIap.report.deadline must be a duration longer than zero, such as { seconds: 60 }',
    );
  }
  return deadlineMs;
}
