import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  SimulationRequest,
  SimulationResult,
  cloudRunIapAccessReadPermission,
  simulateAccess,
  validateSimulationRequest,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessReportService } from './AccessReportService';
import { EntityAccessAuthorizer } from './EntityAccessAuthorizer';

/** The request, once it holds only valid fields; an input error naming each bad one otherwise. */
export function checkedSimulationRequest<T extends SimulationRequest>(
  request: T,
  what = 'simulation request',
): T {
  const problems = validateSimulationRequest(request);
  if (problems.length > 0) {
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return request;
}

/**
 * What IAP would decide for a request context (IP, region, member) on each service of an app,
 * from the app's report: for callers holding `cloud-run-iap.access.read` on it.
 */
export class SimulationService {
  readonly #authorizer: EntityAccessAuthorizer;
  readonly #reports: AccessReportService;

  static create(options: {
    authorizer: EntityAccessAuthorizer;
    reports: AccessReportService;
  }) {
    return new SimulationService(options.authorizer, options.reports);
  }

  private constructor(
    authorizer: EntityAccessAuthorizer,
    reports: AccessReportService,
  ) {
    this.#authorizer = authorizer;
    this.#reports = reports;
  }

  async simulate(
    entityRef: string,
    request: SimulationRequest,
    credentials: BackstageCredentials,
    options: { signal?: AbortSignal } = {},
  ): Promise<SimulationResult> {
    const checked = checkedSimulationRequest(request);
    const entity = await this.#authorizer.loadAuthorizedEntity(
      entityRef,
      cloudRunIapAccessReadPermission,
      credentials,
    );
    const report = await this.#reports.reportForEntity(entity, {
      signal: options.signal,
    });
    return simulateAccess(report, checked);
  }
}
