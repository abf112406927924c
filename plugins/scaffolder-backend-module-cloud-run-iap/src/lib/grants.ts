import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessChange,
  ManagedBindingError,
  publicInvokers,
  withIapAgentInvoker,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  changeAccessors as changeManagedAccessors,
  GoogleApiError,
  GoogleCloudClient,
  sleep,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { googleFailure } from './googleErrors';
import type { ServiceTarget } from './validation';

/** How long to keep trying while Google reports the new IAP agent as unknown. */
export interface PropagationRetry {
  attempts: number;
  delayMs: number;
}

/** gcloud run deploy --iap waits the same way: 10 tries, 15 s apart. */
export const DEFAULT_PROPAGATION_RETRY: PropagationRetry = {
  attempts: 10,
  delayMs: 15_000,
};

/**
 * Grants the IAP service agent `roles/run.invoker` on the service (and drops public
 * invokers). The client already retries a few times on the agent's propagation delay; this
 * keeps going for minutes, as gcloud does, with one log line per wait.
 */
export async function grantAgentInvoker(
  client: GoogleCloudClient,
  target: ServiceTarget,
  agent: string,
  options: {
    logger: LoggerService;
    signal?: AbortSignal;
    propagation: PropagationRetry;
  },
): Promise<{ changed: boolean; removedPublic: string[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      let removedPublic: string[] = [];
      const { changed } = await client.modifyIamPolicy(
        { kind: 'run', name: target.name },
        bindings => {
          removedPublic = publicInvokers(bindings);
          return withIapAgentInvoker(bindings, agent);
        },
        { signal: options.signal },
      );
      return { changed, removedPublic };
    } catch (error) {
      if (
        error instanceof GoogleApiError &&
        error.reason === 'iap-service-agent-missing' &&
        attempt < options.propagation.attempts
      ) {
        options.logger.warn(
          `The IAP service agent has not propagated yet; trying again in ${Math.round(
            options.propagation.delayMs / 1000,
          )} s (${attempt} of ${options.propagation.attempts - 1})`,
        );
        await sleep(options.propagation.delayMs, options.signal);
        continue;
      }
      throw googleFailure(
        `Granting ${agent} roles/run.invoker on ${target.name}`,
        error,
      );
    }
  }
}

/**
 * Applies an accessor change to the service's IAP policy (the etag read-modify-write of
 * `-node`); returns what it now grants. Google's failures are worded for the task log.
 */
export async function changeAccessors(
  client: GoogleCloudClient,
  iapResource: string,
  change: AccessChange,
  options: { signal?: AbortSignal },
): Promise<{ changed: boolean; members: string[]; levels: string[] }> {
  try {
    const { changed, members, levels } = await changeManagedAccessors(
      client,
      iapResource,
      change,
      { signal: options.signal },
    );
    return { changed, members, levels };
  } catch (error) {
    if (error instanceof ManagedBindingError) throw error;
    throw googleFailure(
      `Granting roles/iap.httpsResourceAccessor on ${iapResource}`,
      error,
    );
  }
}
