import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `cloudRunIap` settings, read once and validated. */
export interface CloudRunIapConfig {
  google: { credentials?: object; endpoint?: string };
  organization: { domains: string[]; allowExternalMembers: boolean };
  projects: Array<{ id: string; regions: string[] }>;
  cacheTtlSeconds: number;
  concurrency: number;
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
  const ttl = config?.getOptionalConfig('cache.ttl');
  const concurrency = config?.getOptionalNumber('concurrency') ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      'cloudRunIap.concurrency must be a whole number of at least 1',
    );
  }
  return {
    google: { credentials, endpoint: endpoint?.replace(/\/$/, '') },
    organization: {
      domains: (
        config?.getOptionalStringArray('organization.domains') ?? []
      ).map(d => d.toLowerCase()),
      allowExternalMembers:
        config?.getOptionalBoolean('organization.allowExternalMembers') ??
        false,
    },
    projects: (config?.getOptionalConfigArray('projects') ?? []).map(p => ({
      id: p.getString('id'),
      regions: p.getStringArray('regions'),
    })),
    cacheTtlSeconds: ttl
      ? (ttl.getOptionalNumber('seconds') ?? 0) +
        60 * (ttl.getOptionalNumber('minutes') ?? 0)
      : 60,
    concurrency,
  };
}
