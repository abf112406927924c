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
import { CloudRunIapApi, ReviewOptions } from './CloudRunIapApi';
import {
  AccessChange,
  AccessChangeConflict,
  AccessChangePreview,
  AccessChangeRequest,
  AccessDecision,
  AccessHistory,
  AccessRequest,
  AccessRequestList,
  NewAccessRequest,
  SelfCheckRequest,
  SelfCheckResult,
} from './accessTypes';
import { AccessChangedSinceYouLookedError } from './errors';
import {
  OperationId,
  PathParameters,
  QueryParameters,
  ResponseBody,
  Schema,
} from './openapiTypes';

const PLUGIN_ID = 'cloud-run-iap';

/**
 * Talks to the cloud-run-iap backend through `discoveryApi` and `fetchApi` (which adds the user's
 * Backstage token). Errors become `ResponseError`s built from Backstage's error JSON. Requests and
 * answers are typed by the backend's OpenAPI spec (`./generated/openapi.ts`); each answer must
 * also be the `-common` type the API promises, so a change to either fails to compile.
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
    const query: QueryParameters<'GetEntityAccess'> = options?.refresh
      ? { refresh: true }
      : {};
    return this.#json<'GetEntityAccess'>(
      `${entityPath(entityRef)}/access${queryString(query)}`,
    );
  }

  async simulateAccess(
    entityRef: CompoundEntityRef,
    request: SimulationRequest,
  ): Promise<SimulationResult> {
    const body: Schema<'SimulationRequest'> = request;
    return this.#json<'SimulateEntityAccess'>(
      `${entityPath(entityRef)}/access/simulate`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
  }

  async getReview(
    owner: string,
    options?: ReviewOptions,
  ): Promise<ReviewResponse> {
    const query: QueryParameters<'GetAccessReview'> = {
      owner,
      ...(options?.system ? { system: options.system } : {}),
      ...(options?.expand ? { expand: options.expand } : {}),
    };
    return this.#json<'GetAccessReview'>(`/review${queryString(query)}`);
  }

  async getReviewCsv(owner: string, options?: ReviewOptions): Promise<Blob> {
    const query: QueryParameters<'GetAccessReview'> = {
      owner,
      ...(options?.system ? { system: options.system } : {}),
      ...(options?.expand ? { expand: options.expand } : {}),
      format: 'csv',
    };
    const response = await this.#fetch(`/review${queryString(query)}`, {
      headers: { Accept: 'text/csv' },
    });
    return response.blob();
  }

  async getAccessLevels(projectId: string): Promise<AccessLevelsResponse> {
    const query: QueryParameters<'GetAccessLevels'> = { project: projectId };
    return this.#json<'GetAccessLevels'>(`/access-levels${queryString(query)}`);
  }

  async previewAccessChange(
    entityRef: CompoundEntityRef,
    change: AccessChange,
  ): Promise<AccessChangePreview> {
    const body: AccessChangeRequest = { ...change, dryRun: true };
    return this.#send<AccessChangePreview>(
      `${entityPath(entityRef)}/access/changes`,
      'POST',
      body,
    );
  }

  async applyAccessChange(
    entityRef: CompoundEntityRef,
    change: AccessChange & { etag: string },
  ): Promise<AccessChangePreview> {
    const body: AccessChangeRequest = { ...change, dryRun: false };
    try {
      return await this.#send<AccessChangePreview>(
        `${entityPath(entityRef)}/access/changes`,
        'POST',
        body,
      );
    } catch (error) {
      const preview = ResponseError.is(error)
        ? conflictPreview(error)
        : undefined;
      if (ResponseError.is(error) && preview) {
        throw new AccessChangedSinceYouLookedError(error, preview);
      }
      throw error;
    }
  }

  async requestAccess(
    entityRef: CompoundEntityRef,
    request: NewAccessRequest,
  ): Promise<AccessRequest> {
    return this.#send<AccessRequest>(
      `${entityPath(entityRef)}/access/requests`,
      'POST',
      request,
    );
  }

  async listAccessRequests(
    entityRef: CompoundEntityRef,
  ): Promise<AccessRequestList> {
    return this.#send<AccessRequestList>(
      `${entityPath(entityRef)}/access/requests`,
    );
  }

  async listPendingAccessRequests(): Promise<AccessRequestList> {
    return this.#send<AccessRequestList>(
      `/access/requests${queryString({ status: 'pending' })}`,
    );
  }

  async decideAccessRequest(
    requestId: string,
    decision: AccessDecision,
  ): Promise<AccessRequest> {
    return this.#send<AccessRequest>(
      `/access/requests/${encodeURIComponent(requestId)}/decision`,
      'POST',
      decision,
    );
  }

  async getAccessHistory(entityRef: CompoundEntityRef): Promise<AccessHistory> {
    return this.#send<AccessHistory>(`${entityPath(entityRef)}/access/history`);
  }

  async checkMyAccess(
    entityRef: CompoundEntityRef,
    context: SelfCheckRequest = {},
  ): Promise<SelfCheckResult> {
    return this.#send<SelfCheckResult>(
      `${entityPath(entityRef)}/access/self-check`,
      'POST',
      context,
    );
  }

  async #send<T>(
    path: string,
    method: 'GET' | 'POST' = 'GET',
    body?: object,
  ): Promise<T> {
    const init: RequestInit | undefined =
      method === 'GET'
        ? undefined
        : {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body ?? {}),
          };
    const response = await this.#fetch(path, init);
    return (await response.json()) as T;
  }

  async #fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  async #json<O extends OperationId>(
    path: string,
    init?: RequestInit,
  ): Promise<ResponseBody<O>> {
    const response = await this.#fetch(path, init);
    return (await response.json()) as ResponseBody<O>;
  }
}

/** The fresh preview a 409 of the changes route carries, if it is one. */
function conflictPreview(
  error: ResponseError,
): AccessChangePreview | undefined {
  if (error.statusCode !== 409) return undefined;
  const preview = (error.body as AccessChangeConflict).preview;
  return preview && typeof preview.etag === 'string' ? preview : undefined;
}

function entityPath(ref: CompoundEntityRef): string {
  const params: PathParameters<'GetEntityAccess'> = {
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace,
    name: ref.name,
  };
  const segments = [params.kind, params.namespace, params.name];
  return `/entities/by-name/${segments.map(encodeURIComponent).join('/')}`;
}

function queryString(query: Record<string, string | boolean | undefined>) {
  const entries = Object.entries(query).flatMap(([key, value]) =>
    value === undefined ? [] : [[key, String(value)]],
  );
  if (entries.length === 0) return '';
  return `?${entries
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&')}`;
}
