import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  demoSeedPath,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';

/**
 * Runs the local Google Cloud fake inside the backend when `googleCloudFake.enabled` is
 * true (app-config.local-fake.yaml, which `./portal start` loads), so the portal needs no
 * Google access. Point `cloudRunIap.google.endpoint` at it. Refuses to run with
 * NODE_ENV=production (the Dockerfile's), so a production backend never serves fake answers.
 */
export const googleCloudFakePlugin = createBackendPlugin({
  pluginId: 'google-cloud-fake',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const fakeConfig = config.getOptionalConfig('googleCloudFake');
        if (!fakeConfig?.getOptionalBoolean('enabled')) {
          return;
        }
        if (process.env.NODE_ENV === 'production') {
          throw new Error(
            'googleCloudFake.enabled is set with NODE_ENV=production: the local Google Cloud fake is for development only. Load app-config.local-fake.yaml only in development (production uses app-config.yaml and app-config.production.yaml)',
          );
        }
        const seed = fakeConfig.getOptionalString('seed') ?? demoSeedPath;
        const fake = await startGoogleCloudFake({
          port: fakeConfig.getOptionalNumber('port') ?? 8085,
          host: '127.0.0.1',
          seed,
          latencyMs: fakeConfig.getOptionalNumber('latencyMs') ?? 0,
        });
        logger.info(`Google Cloud fake serving ${fake.url} (seed ${seed})`);
        lifecycle.addShutdownHook(() => fake.stop());
      },
    });
  },
});
