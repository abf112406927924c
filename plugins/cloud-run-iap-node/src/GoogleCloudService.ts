import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { createGoogleAuth } from './auth';
import { ConcurrencyLimiter } from './concurrency';
import { CloudRunIapConfig, readCloudRunIapConfig } from './config';
import {
  GoogleCallPools,
  GoogleCloudClient,
  GoogleCloudClientOptions,
  RetryTuning,
} from './GoogleCloudClient';

/**
 * The portal's access to Google, one per backend process: the validated `cloudRunIap`
 * config, one auth client (tokens cached once), and one read pool (`cloudRunIap.concurrency`)
 * and one write pool (`cloudRunIap.writeConcurrency`) that every client it hands out shares.
 */
export class GoogleCloudService {
  readonly config: CloudRunIapConfig;
  readonly pools: GoogleCallPools;
  readonly #auth: OAuth2Client | GoogleAuth;
  readonly #retry?: Partial<RetryTuning>;

  /** Reads and validates `cloudRunIap`; throws an InputError naming the key at fault. */
  static fromConfig(
    config: Config,
    options: { retry?: Partial<RetryTuning> } = {},
  ): GoogleCloudService {
    return new GoogleCloudService(readCloudRunIapConfig(config), options);
  }

  private constructor(
    config: CloudRunIapConfig,
    options: { retry?: Partial<RetryTuning> },
  ) {
    this.config = config;
    this.pools = {
      read: new ConcurrencyLimiter(config.concurrency),
      write: new ConcurrencyLimiter(config.writeConcurrency),
    };
    this.#auth = createGoogleAuth(config.google);
    this.#retry = options.retry;
  }

  /**
   * A client that logs retries to `logger` (a plugin's logger, a task's log) and shares the
   * pools; `onCall` is told of each of its calls' attempts (a plugin's metrics).
   */
  forLogger(
    logger: LoggerService,
    options: Pick<GoogleCloudClientOptions, 'onCall'> = {},
  ): GoogleCloudClient {
    return new GoogleCloudClient({
      config: this.config,
      logger,
      pools: this.pools,
      auth: this.#auth,
      retry: this.#retry,
      onCall: options.onCall,
    });
  }
}

/**
 * The one {@link GoogleCloudService} of a backend, shared by the Cloud Run IAP backend plugin
 * and the scaffolder actions. Replace it with `createServiceFactory({ service:
 * cloudRunIapGoogleServiceRef, ... })`, e.g. in tests.
 */
export const cloudRunIapGoogleServiceRef = createServiceRef<GoogleCloudService>(
  {
    id: 'cloud-run-iap.google',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory({ config, logger }) {
          const google = GoogleCloudService.fromConfig(config);
          const { endpoint, privateEndpoint, timeoutMs } = google.config.google;
          logger.info(
            `Cloud Run IAP: Google APIs at ${
              endpoint
                ? `${endpoint} (${
                    privateEndpoint
                      ? 'a Google private endpoint, real credentials'
                      : 'placeholder token, no credentials'
                  })`
                : 'Google'
            }; ${google.config.concurrency} parallel reads, ${
              google.config.writeConcurrency
            } parallel writes, ${timeoutMs} ms per call`,
          );
          return google;
        },
      }),
  },
);
