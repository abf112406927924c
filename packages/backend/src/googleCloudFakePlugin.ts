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
 * true (the development default in app-config.yaml), so `yarn start` needs no Google access.
 * Point `cloudRunIap.google.endpoint` at it.
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
