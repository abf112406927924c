import { ConflictError } from '@backstage/errors';
import {
  describeGoogleError,
  GoogleCloudClient,
  isRetryable,
  retryDelayMs,
  RunService,
  sleep,
} from '@internal-apps/plugin-cloud-run-iap-node';
import {
  CREATED_BY_TASK_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  hasInvoker,
  includesMember,
  OWNER_GROUP_ANNOTATION,
  publicInvokers,
  readManagedAccess,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { googleFailure } from '../lib/googleErrors';
import {
  ownershipProblem,
  waitForServiceOperation,
  waitUntilSettled,
  WaitOptions,
  readBack,
} from '../lib/services';
import type { PropagationRetry } from '../lib/grants';
import { ServiceTarget } from '../lib/validation';

/*
 * What create-iap-service does to the Cloud Run service itself: look at what exists, create or
 * adopt it, validate it in a dry run, and verify the end state.
 */

const RUNTIME_ACCOUNT_NOT_PROPAGATED = /service account .*does not exist/i;

interface Existing {
  service?: RunService;
  agentIsInvoker: boolean;
}

/** Reads the service, if any; refuses one this portal did not create for the same entity. */
export async function inspectExisting(
  client: GoogleCloudClient,
  target: ServiceTarget,
  owner: string,
  agent: string,
  signal?: AbortSignal,
): Promise<Existing> {
  const service = await client
    .getService(target.name, { signal })
    .catch(error => {
      throw googleFailure(`Reading ${target.name}`, error);
    });
  if (!service) return { agentIsInvoker: false };
  refuseForeign(service, target, owner);
  const policy = await client
    .getIamPolicy({ kind: 'run', name: target.name }, { signal })
    .catch(error => {
      throw googleFailure(`Reading the IAM policy of ${target.name}`, error);
    });
  return { service, agentIsInvoker: hasInvoker(policy.bindings ?? [], agent) };
}

function refuseForeign(
  service: RunService,
  target: ServiceTarget,
  owner: string,
) {
  const problem = ownershipProblem(service, owner);
  if (problem) {
    throw new ConflictError(
      `Cloud Run service ${target.name} already exists and was not created by this portal for ${owner}: ${problem}. Choose another serviceId, or label and annotate the service if it really belongs to ${owner}.`,
    );
  }
}

/**
 * Whether `service` is the one this task's create made (a create whose answer was lost, or an
 * earlier run of the task): it carries the task, entity and owner annotations the definition
 * writes.
 */
export function madeByThisTask(
  service: RunService,
  definition: RunService,
): boolean {
  const task = definition.annotations?.[CREATED_BY_TASK_ANNOTATION];
  return (
    task !== undefined &&
    [
      CREATED_BY_TASK_ANNOTATION,
      ENTITY_REF_ANNOTATION,
      OWNER_GROUP_ANNOTATION,
    ].every(key => service.annotations?.[key] === definition.annotations?.[key])
  );
}

/**
 * Creates the service, carries on with it when this task's create made it already (its answer
 * lost), or adopts it when someone else's appeared meanwhile (after `authorizeAdoption` accepts
 * it); turns IAP on if it is off. The create is tried as often as the client retries a call,
 * each time after reading what exists.
 */
export async function createOrAdopt(
  client: GoogleCloudClient,
  target: ServiceTarget,
  definition: RunService,
  owner: string,
  options: WaitOptions & {
    waitForReady: boolean;
    /** How long to wait while Cloud Run does not see a just-created runtime account. */
    propagation: PropagationRetry;
  },
  authorizeAdoption: (service: RunService) => Promise<void>,
): Promise<{ uri: string; adopted: boolean }> {
  const { logger, signal } = options;
  const retry = client.retryTuning;
  let accountWaits = 0;
  const parent = `projects/${target.projectId}/locations/${target.region}`;
  for (let attempt = 1; ; attempt++) {
    const existing = await client
      .getService(target.name, { signal })
      .catch(error => {
        throw googleFailure(`Reading ${target.name}`, error);
      });
    if (existing) {
      refuseForeign(existing, target, owner);
      const own = madeByThisTask(existing, definition);
      if (own) {
        logger.info(
          `${
            target.serviceId
          } exists and carries this task's annotations: this task created it (${
            attempt > 1
              ? 'the answer to the create was lost'
              : 'in an earlier run'
          }); carrying on with it`,
        );
      } else {
        await authorizeAdoption(existing);
      }
      return {
        uri: await adopt(client, target, existing, options),
        adopted: !own,
      };
    }
    let operation;
    try {
      operation = await client.createService(
        parent,
        target.serviceId,
        definition,
        {
          signal,
        },
      );
    } catch (error) {
      // Creates are not retried blindly: the next turn reads first, and adopts a service
      // that a lost answer did create.
      const { httpStatus, message } = describeGoogleError(error);
      if (
        httpStatus === 400 &&
        RUNTIME_ACCOUNT_NOT_PROPAGATED.test(message) &&
        accountWaits < options.propagation.attempts - 1
      ) {
        // A service account created moments ago is not visible to Cloud Run everywhere yet.
        accountWaits += 1;
        logger.warn(
          `Cloud Run does not see the runtime service account yet; trying again in ${Math.round(
            options.propagation.delayMs / 1000,
          )} s (${accountWaits} of ${options.propagation.attempts - 1})`,
        );
        await sleep(options.propagation.delayMs, signal);
        attempt -= 1;
        continue;
      }
      if (
        (isRetryable(error) || httpStatus === 409) &&
        attempt < retry.attempts
      ) {
        logger.warn(
          `Creating ${target.serviceId} answered ${
            httpStatus ?? 'nothing'
          }; checking whether it exists before trying again (${attempt} of ${
            retry.attempts - 1
          })`,
        );
        if (httpStatus !== 409) {
          await sleep(retryDelayMs(attempt, retry), signal);
        }
        continue;
      }
      throw googleFailure(`Creating ${target.name}`, error);
    }
    if (!options.waitForReady) {
      logger.info('Not waiting for the first revision (waitForReady is false)');
      const pending = operation.metadata as RunService | undefined;
      return { uri: pending?.uri ?? '', adopted: false };
    }
    const service = await waitForServiceOperation(
      client,
      operation,
      target,
      'create',
      options,
    );
    logger.info(`${target.serviceId} is ready`);
    return { uri: service.uri ?? '', adopted: false };
  }
}

async function adopt(
  client: GoogleCloudClient,
  target: ServiceTarget,
  existing: RunService,
  options: WaitOptions & { waitForReady: boolean },
): Promise<string> {
  let service = existing;
  if (service.reconciling && options.waitForReady) {
    service = await waitUntilSettled(client, target, options);
  }
  if (!service.iapEnabled) {
    options.logger.info(`IAP is off on ${target.serviceId}: turning it on`);
    const operation = await client
      .patchService(target.name, { iapEnabled: true }, ['iapEnabled'], {
        signal: options.signal,
      })
      .catch(error => {
        throw googleFailure(`Turning IAP on for ${target.name}`, error);
      });
    if (options.waitForReady) {
      service = await waitForServiceOperation(
        client,
        operation,
        target,
        'update',
        options,
      );
    }
  }
  return service.uri ?? '';
}

/** Validates the definition with Cloud Run (`validateOnly`) without creating anything. */
export async function dryRun(
  client: GoogleCloudClient,
  target: ServiceTarget,
  definition: RunService,
  existing: RunService | undefined,
  options: { logger: WaitOptions['logger']; signal?: AbortSignal },
): Promise<string> {
  const { logger, signal } = options;
  if (existing) {
    logger.info(
      `Dry run: would adopt ${target.name}${
        existing.iapEnabled ? '' : ' and turn IAP on'
      }`,
    );
    return existing.uri ?? '';
  }
  const operation = await client
    .createService(
      `projects/${target.projectId}/locations/${target.region}`,
      target.serviceId,
      definition,
      { signal, validateOnly: true },
    )
    .catch(error => {
      throw googleFailure(
        `Cloud Run refused the service definition (validateOnly) for ${target.name}`,
        error,
      );
    });
  logger.info(
    `Dry run: Cloud Run accepted the definition of ${target.name} (validateOnly); nothing was created`,
  );
  return ((operation.response ?? {}) as RunService).uri ?? '';
}

/** Reads everything back and throws when the service is not in the state the action promises. */
export async function verify(
  client: GoogleCloudClient,
  target: ServiceTarget,
  iapResource: string,
  expected: {
    agent: string;
    accessors: readonly string[];
    levels: readonly string[];
    signal?: AbortSignal;
  },
): Promise<string> {
  const { signal } = expected;
  const { service, runPolicy, iapPolicy } = await readBack(
    client,
    target,
    iapResource,
    signal,
  );
  const problems: string[] = [];
  if (!service) {
    problems.push('the service does not exist');
  } else if (!service.iapEnabled) {
    problems.push('IAP is off');
  }
  const runBindings = runPolicy.bindings ?? [];
  if (!hasInvoker(runBindings, expected.agent)) {
    problems.push(`${expected.agent} does not hold roles/run.invoker`);
  }
  const open = publicInvokers(runBindings);
  if (open.length > 0) {
    problems.push(`${open.join(', ')} hold roles/run.invoker`);
  }
  const managed = readManagedAccess(iapPolicy.bindings ?? []);
  const missing = expected.accessors.filter(
    m => !includesMember(managed.members, m),
  );
  if (missing.length > 0) {
    problems.push(`not granted: ${missing.join(', ')}`);
  }
  if (
    expected.levels.length > 0 &&
    managed.levels.join(' ') !== [...expected.levels].sort().join(' ')
  ) {
    problems.push(
      `the accessor condition requires ${
        managed.levels.join(', ') || 'no level'
      }, not ${expected.levels.join(', ')}`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `Verification of ${target.name} failed: ${problems.join('; ')}`,
    );
  }
  return service?.uri ?? '';
}
