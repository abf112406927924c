import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CloudRunServiceRef,
  normalizedEntityRef,
  parseCloudRunServiceName,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { DiscoveryOutcome } from './discoveryMetrics';
import { cloudRunServiceEntity, DiscoveredService } from './serviceEntity';

/**
 * What a {@link CloudRunServiceEntityProvider} needs.
 *
 * @public
 */
export interface CloudRunServiceEntityProviderOptions {
  /** The project whose services the provider discovers. */
  projectId: string;
  /** The client the listing goes through (`cloudRunIapGoogleServiceRef`'s). */
  google: GoogleCloudClient;
  /** `cloudRunIap.links`: services an operator links to an entity. */
  links: Array<{ service: string; entityRef: string }>;
  /** The full group ref owning services that record no owner group. */
  unownedOwner: string;
  /** Runs the refresh task on the provider's schedule, once across replicas. */
  taskRunner: SchedulerServiceTaskRunner;
  /** Where the provider logs each run. */
  logger: LoggerService;
  /** Told how each scheduled run ended (the discovery metrics). */
  onRun?: (projectId: string, run: DiscoveryOutcome) => void;
}

/**
 * Discovers every Cloud Run service of one project, in every region, with one services.list
 * call (`projects/<project>/locations/-`), and replaces the provider's entities with one
 * Resource per service (a full mutation). A failed listing changes nothing: the entities of the
 * last successful run stay.
 *
 * @public
 */
export class CloudRunServiceEntityProvider implements EntityProvider {
  readonly #options: CloudRunServiceEntityProviderOptions;
  readonly #logger: LoggerService;
  #connection?: EntityProviderConnection;

  constructor(options: CloudRunServiceEntityProviderOptions) {
    this.#options = options;
    this.#logger = options.logger.child({
      target: this.getProviderName(),
    });
  }

  /** `CloudRunServiceEntityProvider:<project-id>`, also the locationKey of its entities. */
  getProviderName(): string {
    return `CloudRunServiceEntityProvider:${this.#options.projectId}`;
  }

  /** The id of the scheduled task that runs {@link CloudRunServiceEntityProvider.refresh}. */
  get taskId(): string {
    return `${this.getProviderName()}:refresh`;
  }

  /** Keeps the connection and schedules the refresh task. */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#options.taskRunner.run({
      id: this.taskId,
      fn: async signal => {
        const { projectId, onRun } = this.#options;
        try {
          const services = await this.refresh(signal);
          onRun?.(projectId, { outcome: 'success', services });
        } catch (error) {
          onRun?.(projectId, { outcome: 'failure' });
          this.#logger.error(
            `Discovery of the Cloud Run services of ${
              this.#options.projectId
            } failed; the catalog keeps the entities of the last run: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  /** Lists the project's services and hands the catalog their entities; returns how many. */
  async refresh(signal?: AbortSignal): Promise<number> {
    if (!this.#connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const { projectId } = this.#options;
    const services = await this.#options.google.listServices(
      `projects/${projectId}/locations/-`,
      { signal },
    );
    const location = `cloud-run-iap:projects/${projectId}`;
    const entities = services.flatMap(service => {
      const ref = this.#refOf(service.name);
      if (!ref) return [];
      const entity = cloudRunServiceEntity(ref, service as DiscoveredService, {
        unownedOwner: this.#options.unownedOwner,
        configuredLinks: this.#configuredLinksOf(ref),
        location,
      });
      return [{ entity, locationKey: this.getProviderName() }];
    });
    await this.#connection.applyMutation({ type: 'full', entities });
    this.#logger.info(
      `Discovered ${entities.length} Cloud Run services in ${projectId}`,
    );
    return entities.length;
  }

  #refOf(name: string | undefined): CloudRunServiceRef | undefined {
    try {
      return parseCloudRunServiceName(name ?? '');
    } catch (error) {
      this.#logger.warn(
        `Skipped a service Google listed with a name discovery cannot read: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }

  #configuredLinksOf(ref: CloudRunServiceRef): string[] {
    return this.#options.links.flatMap(link => {
      const entityRef =
        link.service === ref.name
          ? normalizedEntityRef(link.entityRef)
          : undefined;
      return entityRef ? [entityRef] : [];
    });
  }
}
