import { CloudRunServiceRef } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  CallOptions,
  GoogleCloudClient,
} from '@internal-apps/plugin-cloud-run-iap-node';

/** A service as `services.get` answers it; undefined when there is none. */
type ReadService = Awaited<ReturnType<GoogleCloudClient['getService']>>;
type ListedServices = Map<string, NonNullable<ReadService>>;

function unlessAborted<T>(read: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return read;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    read.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The Cloud Run services of each (project, region) one review touches, listed once (every page
 * of `services.list`) when a report first needs one of them: a review then reads its services
 * with a call per region instead of a call per service. The list holds the same Service objects
 * `services.get` answers. It lives as long as the review and is not cached: whether a listed
 * service may be shown to an entity is still decided per entity (`ServiceLinks`).
 */
export class ServiceListing {
  readonly #client: GoogleCloudClient;
  readonly #signal?: AbortSignal;
  readonly #regions = new Map<string, Promise<ListedServices | undefined>>();

  /** `signal`: the review's; it bounds every list. */
  static create(client: GoogleCloudClient, options: { signal?: AbortSignal }) {
    return new ServiceListing(client, options.signal);
  }

  private constructor(client: GoogleCloudClient, signal?: AbortSignal) {
    this.#client = client;
    this.#signal = signal;
  }

  /**
   * The service as `services.get` would answer it: the listed object, or undefined when its
   * region's list does not have it. A region whose list could not be read (refused, Google
   * down, the review's deadline) leaves each of its services to `services.get`, which answers
   * for that service as a report on its own would.
   */
  async service(
    ref: CloudRunServiceRef,
    options: CallOptions = {},
  ): Promise<ReadService> {
    const listed = await unlessAborted(this.#region(ref), options.signal);
    if (!listed) return this.#client.getService(ref.name, options);
    return listed.get(ref.serviceId);
  }

  #region(ref: CloudRunServiceRef): Promise<ListedServices | undefined> {
    const parent = `projects/${ref.projectId}/locations/${ref.region}`;
    let region = this.#regions.get(parent);
    if (!region) {
      region = this.#client.listServices(parent, { signal: this.#signal }).then(
        services =>
          new Map(
            services.map(service => [
              (service.name ?? '').split('/').pop() ?? '',
              service,
            ]),
          ),
        () => undefined,
      );
      this.#regions.set(parent, region);
    }
    return region;
  }
}
