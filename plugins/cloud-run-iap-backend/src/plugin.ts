import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { cloudRunIapPermissions } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  cloudRunIapGoogleServiceRef,
  memberPolicyOf,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { registerCloudRunIapActions } from './actions';
import { createRouter } from './router';
import { AccessExpiry } from './services/AccessExpiry';
import { AccessNotifier } from './services/AccessNotifier';
import { AccessRequestService } from './services/AccessRequestService';
import { readAccessRequestsConfig } from './services/accessRequestsConfig';
import { AccessRequestStore } from './services/AccessRequestStore';
import { clockServiceRef } from './services/clock';
import { RequestedGrants } from './services/RequestedGrants';
import { AccessChangeService } from './services/AccessChangeService';
import { AccessLevelsService } from './services/AccessLevelsService';
import { AccessReportService } from './services/AccessReportService';
import { CachedLoader } from './services/CachedLoader';
import { CloudRunIapMetrics } from './services/CloudRunIapMetrics';
import { EntityAccessAuthorizer } from './services/EntityAccessAuthorizer';
import { GoogleAccessData } from './services/GoogleAccessData';
import { canServeStaleReport, describeForUser } from './services/googleErrors';
import { ReviewService } from './services/ReviewService';
import { SelfCheckService } from './services/SelfCheckService';
import { SimulationService } from './services/SimulationService';
import { ServiceLinks } from './services/ServiceLinks';

const DEFAULT_SERVE_STALE_FOR_MS = 24 * 60 * 60 * 1000;
/** A refresh of a report younger than this is answered from the cache (protects Google quota). */
const MIN_REFRESH_INTERVAL_MS = 10_000;
/** Projects, policies, roles, groups and settings kept parsed in memory until they expire. */
const SHARED_DATA_KEPT_IN_MEMORY = 5_000;

/**
 * Who can reach each IAP-protected Cloud Run app, and how well that access is restricted:
 * `/api/cloud-run-iap`.
 */
export const cloudRunIapPlugin = createBackendPlugin({
  pluginId: 'cloud-run-iap',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        google: cloudRunIapGoogleServiceRef,
        auth: coreServices.auth,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
        clock: clockServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        metricsService: metricsServiceRef,
      },
      async init({
        config,
        logger,
        cache,
        httpRouter,
        httpAuth,
        auditor,
        permissions,
        permissionsRegistry,
        catalog,
        google,
        auth,
        database,
        scheduler,
        notifications,
        clock,
        actionsRegistry,
        metricsService,
      }) {
        permissionsRegistry.addPermissions(cloudRunIapPermissions);

        const metrics = CloudRunIapMetrics.create(metricsService);
        const client = google.forLogger(logger, {
          onCall: record => metrics.googleCall(record),
        });
        if (client.config.projects.length === 0) {
          // Without it the plugin would report on every project its Google identity can read.
          throw new Error(
            'cloudRunIap.projects is empty: list the Google Cloud projects the portal reports on (cloudRunIap.projects: [{ id, regions }]). The cloud-run-iap backend plugin does not start without it.',
          );
        }
        const ttlMs = client.config.cacheTtlSeconds * 1000;
        const serveStaleForMs = config.has('cloudRunIap.cache.serveStaleFor')
          ? durationToMilliseconds(
              readDurationFromConfig(config, {
                key: 'cloudRunIap.cache.serveStaleFor',
              }),
            )
          : DEFAULT_SERVE_STALE_FOR_MS;

        const data = GoogleAccessData.create({
          client,
          loader: CachedLoader.create(cache, {
            ttlMs,
            serveStaleForMs: 0,
            canServeStale: () => false,
            describeError: describeForUser,
            // Shared data is only replaced once it expires: a review of many services reads it
            // from memory rather than parsing it from the cache for each one.
            keepInMemory: SHARED_DATA_KEPT_IN_MEMORY,
            onResult: metrics.cacheResult('shared-data'),
          }),
        });
        const reports = AccessReportService.create({
          client,
          data,
          links: ServiceLinks.fromConfig(client.config.links),
          logger,
          reports: CachedLoader.create(cache, {
            ttlMs,
            serveStaleForMs,
            minRefreshIntervalMs: MIN_REFRESH_INTERVAL_MS,
            canServeStale: canServeStaleReport,
            describeError: describeForUser,
            onResult: metrics.cacheResult('reports'),
          }),
        });
        const authorizer = EntityAccessAuthorizer.create({
          catalog,
          permissions,
        });

        const requestsConfig = readAccessRequestsConfig(config);
        const requestStore = await AccessRequestStore.create({ database });
        const notifier = AccessNotifier.create({ notifications, logger });
        const requestedGrants = RequestedGrants.create({
          client,
          links: ServiceLinks.fromConfig(client.config.links),
          reports,
        });
        const accessRequests = AccessRequestService.create({
          store: requestStore,
          catalog,
          auth,
          permissions,
          authorizer,
          grants: requestedGrants,
          notifier,
          config: requestsConfig,
          organizationDomains: client.config.organization.domains,
          clock,
        });
        const expiry = AccessExpiry.create({
          client,
          grants: requestedGrants,
          store: requestStore,
          catalog,
          auth,
          notifier,
          auditor,
          logger,
          clock,
        });
        await scheduler.scheduleTask({
          id: 'cloud-run-iap-expire-grants',
          scope: 'global',
          frequency: { milliseconds: requestsConfig.expiryCheckFrequencyMs },
          // Not at startup: a starting replica has its reports to serve first.
          initialDelay: { minutes: 1 },
          timeout: { minutes: 10 },
          fn: async signal => {
            await expiry.run(signal);
          },
        });

        const deadlineMs = client.config.report.deadlineMs;
        const reviews = ReviewService.create({
          catalog,
          authorizer,
          reports,
          client,
          maxEntities: client.config.review.maxEntities,
        });
        const simulations = SimulationService.create({ authorizer, reports });
        registerCloudRunIapActions(actionsRegistry, {
          auth,
          auditor,
          deadlineMs,
          authorizer,
          reports,
          simulations,
          reviews,
          accessRequests,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            permissions,
            deadlineMs,
            authorizer,
            reports,
            accessRequests,
            accessChanges: AccessChangeService.create({
              client,
              data,
              authorizer,
              reports,
              links: ServiceLinks.fromConfig(client.config.links),
              accessLevels: AccessLevelsService.create({
                config: client.config,
                data,
              }),
              members: memberPolicyOf(client.config),
              history: requestStore,
              clock,
              logger,
            }),
            reviews,
            accessLevels: AccessLevelsService.create({
              config: client.config,
              data,
            }),
            selfChecks: SelfCheckService.create({
              catalog,
              authorizer,
              reports,
              organizationDomains: client.config.organization.domains,
            }),
            simulations,
          }),
        );
      },
    });
  },
});
