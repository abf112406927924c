import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** `cloudRunIap.requests`, read once and checked. */
export interface AccessRequestsConfig {
  /** Whether a request may ask for permanent access. */
  allowPermanent: boolean;
  /** How long a request waits for a decision before it expires. */
  pendingForMs: number;
  /** How often the expiry task runs. */
  expiryCheckFrequencyMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function readDurationMs(config: Config, key: string, defaultMs: number) {
  if (!config.has(key)) return defaultMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(
      `cloudRunIap.requests.${key} must be a duration such as { days: 7 }, { minutes: 5 } or '5m': ${
        (error as Error).message
      }`,
    );
  }
  if (!(ms > 0)) {
    throw new Error(
      `cloudRunIap.requests.${key} must be longer than zero (got ${ms} ms)`,
    );
  }
  return ms;
}

export function readAccessRequestsConfig(root: Config): AccessRequestsConfig {
  const config = root.getOptionalConfig('cloudRunIap.requests');
  if (!config) {
    return {
      allowPermanent: false,
      pendingForMs: 7 * DAY_MS,
      expiryCheckFrequencyMs: 5 * 60 * 1000,
    };
  }
  return {
    allowPermanent: config.getOptionalBoolean('allowPermanent') ?? false,
    pendingForMs: readDurationMs(config, 'pendingFor', 7 * DAY_MS),
    expiryCheckFrequencyMs: readDurationMs(
      config,
      'expiryCheckFrequency',
      5 * 60 * 1000,
    ),
  };
}

/** How long an approved request of this duration grants access; undefined for permanent. */
export function grantLengthMs(duration: string): number | undefined {
  switch (duration) {
    case 'P1D':
      return DAY_MS;
    case 'P7D':
      return 7 * DAY_MS;
    case 'P30D':
      return 30 * DAY_MS;
    default:
      return undefined;
  }
}
