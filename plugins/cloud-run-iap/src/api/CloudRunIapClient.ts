import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationRequest,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { CloudRunIapApi } from './CloudRunIapApi';

const PLUGIN_ID = 'cloud-run-iap';

/**
 * Talks to the cloud-run-iap backend through `discoveryApi` and `fetchApi` (which adds the user's
 * Backstage token). Errors become `ResponseError`s built from Backstage's error JSON.
 *
 * @public
 */
export class CloudRunIapClient implements CloudRunIapApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getAccessReport(
    entityRef: CompoundEntityRef,
    options?: { refresh?: boolean },
  ): Promise<AccessReportResponse> {
    const query = options?.refresh ? '?refresh=true' : '';
    return this.#json(`${entityPath(entityRef)}/access${query}`);
  }

  async simulateAccess(
    entityRef: CompoundEntityRef,
    request: SimulationRequest,
  ): Promise<SimulationResult> {
    return this.#json(`${entityPath(entityRef)}/access/simulate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getReview(owner: string): Promise<ReviewResponse> {
    return this.#json(`/review?owner=${encodeURIComponent(owner)}`);
  }

  async getReviewCsv(owner: string): Promise<Blob> {
    const response = await this.#fetch(
      `/review?owner=${encodeURIComponent(owner)}&format=csv`,
      { headers: { Accept: 'text/csv' } },
    );
    return response.blob();
  }

  async getAccessLevels(projectId: string): Promise<AccessLevelsResponse> {
    return this.#json(
      `/access-levels?project=${encodeURIComponent(projectId)}`,
    );
  }

  async #fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  async #json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.#fetch(path, init);
    return (await response.json()) as T;
  }
}

function entityPath(ref: CompoundEntityRef): string {
  const segments = [
    ref.kind.toLocaleLowerCase('en-US'),
    ref.namespace,
    ref.name,
  ].map(encodeURIComponent);
  return `/entities/by-name/${segments.join('/')}`;
}
