import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  sleep,
  type GoogleCloudClient,
  type Operation,
  type RunService,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { googleFailure } from './googleErrors';
import { withProgress } from './steps';
import { normalizeEntityRef, ServiceTarget } from './validation';
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** Whether an existing service is one this portal created for `owner`, and why not. */
export function ownershipProblem(
  service: RunService,
  owner: string | undefined,
): string | undefined {
  const label = service.labels?.[MANAGED_BY_LABEL];
  if (label !== MANAGED_BY_VALUE) {
    return `it does not carry the label ${MANAGED_BY_LABEL}: ${MANAGED_BY_VALUE} (found ${
      label === undefined ? 'no such label' : JSON.stringify(label)
    })`;
  }
  if (owner === undefined) return undefined;
  const annotated = service.annotations?.[ENTITY_REF_ANNOTATION];
  if (!annotated || normalizeEntityRef(annotated) !== owner) {
    return `its ${ENTITY_REF_ANNOTATION} annotation is ${
      annotated ? JSON.stringify(annotated) : 'missing'
    }, not ${owner}`;
  }
  return undefined;
}

export function consoleUrl(target: ServiceTarget): string {
  return `https://console.cloud.google.com/run/detail/${target.region}/${target.serviceId}/security?project=${target.projectId}`;
}

function failureOf(service: RunService): string | undefined {
  const condition = service.terminalCondition;
  return condition?.state === 'CONDITION_FAILED'
    ? condition.message ?? condition.reason ?? 'the rollout failed'
    : undefined;
}

/** Throws when the service's latest rollout failed. */
export function assertNotFailed(service: RunService, name: string) {
  const failure = failureOf(service);
  if (failure) {
    throw new Error(`Cloud Run service ${name} is not ready: ${failure}`);
  }
}

export interface WaitOptions {
  logger: LoggerService;
  signal?: AbortSignal;
  progressEveryMs: number;
  timeoutMs: number;
}

/** Waits for an operation on the service, logging progress, and returns the service it left. */
export async function waitForServiceOperation(
  client: GoogleCloudClient,
  operation: Operation,
  target: ServiceTarget,
  verb: string,
  options: WaitOptions,
): Promise<RunService> {
  const done = await withProgress(
    client
      .waitForOperation(operation, {
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      })
      .catch(error => {
        throw error instanceof Error &&
          /^Operation .* failed: /.test(error.message)
          ? new Error(
              `Cloud Run could not ${verb} ${target.name}: ${error.message}`,
            )
          : googleFailure(
              `Waiting for Cloud Run to ${verb} ${target.name}`,
              error,
            );
      }),
    options.progressEveryMs,
    seconds =>
      options.logger.info(
        `Still waiting for Cloud Run to ${verb} ${target.serviceId} (${seconds} s)`,
      ),
  );
  const service =
    (done.response as RunService | undefined) ??
    (await client.getService(target.name, { signal: options.signal }));
  if (!service) throw new Error(`Cloud Run service ${target.name} disappeared`);
  assertNotFailed(service, target.name);
  return service;
}

/** Polls a service that is still reconciling (e.g. created by a run that was interrupted). */
export async function waitUntilSettled(
  client: GoogleCloudClient,
  target: ServiceTarget,
  options: WaitOptions,
): Promise<RunService> {
  const started = Date.now();
  let delay = 250;
  const poll = async () => {
    for (;;) {
      const service = await client.getService(target.name, {
        signal: options.signal,
      });
      if (!service) {
        throw new Error(`Cloud Run service ${target.name} disappeared`);
      }
      if (!service.reconciling) return service;
      if (Date.now() - started > options.timeoutMs) {
        throw new Error(
          `Cloud Run service ${
            target.name
          } did not become ready within ${Math.round(
            options.timeoutMs / 1000,
          )} s`,
        );
      }
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, 5_000);
    }
  };
  const service = await withProgress(poll(), options.progressEveryMs, seconds =>
    options.logger.info(
      `Still waiting for ${target.serviceId} to become ready (${seconds} s)`,
    ),
  );
  assertNotFailed(service, target.name);
  return service;
}

/** The service and its Run and IAP policies as they are now, read in parallel (for verification). */
export async function readBack(
  client: GoogleCloudClient,
  target: ServiceTarget,
  iapResource: string,
  signal?: AbortSignal,
) {
  const [service, runPolicy, iapPolicy] = await Promise.all([
    client.getService(target.name, { signal }),
    client.getIamPolicy({ kind: 'run', name: target.name }, { signal }),
    client.getIamPolicy({ kind: 'iap', resource: iapResource }, { signal }),
  ]).catch(error => {
    throw googleFailure(`Reading ${target.name} back`, error);
  });
  return { service, runPolicy, iapPolicy };
}
