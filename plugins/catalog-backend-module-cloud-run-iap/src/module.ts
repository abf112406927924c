import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  cloudRunIapGoogleServiceRef,
  googleCallMetrics,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { CloudRunServiceEntityProvider } from './CloudRunServiceEntityProvider';
import { readCloudRunDiscoveryConfig } from './config';
import { discoveryMetrics } from './discoveryMetrics';

/**
 * Discovers the Cloud Run services of the configured projects into the catalog
 * (`catalog.providers.cloudRunIap`): one entity provider per project, each refreshed by a
 * scheduled task that runs once across replicas.
 *
 * @public
 */
export const catalogModuleCloudRunIap = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'cloud-run-iap',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        google: cloudRunIapGoogleServiceRef,
        metrics: metricsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, google, metrics }) {
        const discovery = readCloudRunDiscoveryConfig(
          config,
          google.config.projects.map(project => project.id),
        );
        if (!discovery) {
          logger.info(
            'Cloud Run discovery is off: catalog.providers.cloudRunIap is not configured',
          );
          return;
        }
        const client = google.forLogger(logger, {
          onCall: googleCallMetrics(metrics),
        });
        const onRun = discoveryMetrics(metrics);
        for (const projectId of discovery.projects) {
          catalog.addEntityProvider(
            new CloudRunServiceEntityProvider({
              projectId,
              google: client,
              links: google.config.links,
              unownedOwner: discovery.unownedOwner,
              taskRunner: scheduler.createScheduledTaskRunner(
                discovery.schedule,
              ),
              logger,
              onRun,
            }),
          );
        }
      },
    });
  },
});
