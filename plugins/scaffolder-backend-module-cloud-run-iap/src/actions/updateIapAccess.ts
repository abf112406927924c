import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { IamBinding } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  GoogleCloudClient,
  iapResourceName,
  iapServiceAgent,
  RunService,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { resolveAccessLevels } from '../lib/accessLevels';
import { AccessChangeAudit, AccessChangeAuditor } from '../lib/audit';
import { exposureWithoutIap, INVOKER_ROLES } from '../lib/exposure';
import { AccessAuthorizer } from '../lib/ownership';
import { withTaskLogScrubbing } from '../lib/taskLog';
import {
  AccessChange,
  applyAccessChange,
  hasInvoker,
  includesMember,
  readManagedAccess,
  unmanagedAccessorGrants,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { googleFailure } from '../lib/googleErrors';
import { changeAccessors, grantAgentInvoker } from '../lib/grants';
import * as inputs from '../lib/inputSchemas';
import { parseActionInput, z } from '../lib/inputSchemas';
import { CloudRunIapActionOptions, resolveActionOptions } from '../lib/options';
import {
  ownershipProblem,
  readBack,
  waitForServiceOperation,
} from '../lib/services';
import { changeDigest, StepRunner } from '../lib/steps';
import {
  memberPolicyFrom,
  normalizeEntityRef,
  ServiceTarget,
} from '../lib/validation';
import { ENTITY_REF_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import { examples } from './updateIapAccess.examples';
import {
  ParsedUpdateIapAccessInput,
  updateIapAccessInputSchema,
  updateIapAccessInputWithConfig,
  updateTarget,
} from './updateIapAccessInput';

/** The update action's id, in Backstage's namespace:resource:verb order. */
export const UPDATE_IAP_ACCESS_ACTION_ID = 'gcp:cloud-run-iap-access:update';
/** The id the update action had before 0.2; registered as a deprecated alias until 0.3. */
export const DEPRECATED_UPDATE_IAP_ACCESS_ACTION_ID =
  'gcp:cloud-run:update-iap-access';

/** What the update action outputs. */
const updateIapAccessOutputSchema = z.object({
  serviceName: inputs.serviceName,
  iapResource: inputs.iapResource,
  accessors: z
    .array(z.string())
    .describe('Members of the managed accessor binding after the change.'),
  accessLevels: z
    .array(z.string())
    .describe(
      'Access levels the managed accessors need after the change (full names).',
    ),
  iapEnabled: z.boolean().describe('Whether IAP is on after the change.'),
  changed: z
    .boolean()
    .describe(
      'Whether this run changed anything (false when already in that state).',
    ),
});

/** The update action's outputs. */
export type UpdateIapAccessOutput = z.output<
  typeof updateIapAccessOutputSchema
>;

/** Factory options of {@link createUpdateIapAccessAction}. */
export type UpdateIapAccessActionOptions = CloudRunIapActionOptions;

/**
 * `gcp:cloud-run-iap-access:update`: adds and removes accessors, sets or clears the access
 * levels they need, and turns IAP on or off, on a service this portal manages. Only the
 * managed accessor binding (and, when IAP is turned on, the agent's invoker grant) changes.
 */
export function createUpdateIapAccessAction(
  options: UpdateIapAccessActionOptions,
): TemplateAction<ParsedUpdateIapAccessInput, UpdateIapAccessOutput, 'v2'> {
  const { progressEveryMs, timeoutMs, propagation } =
    resolveActionOptions(options);
  const authorizer = new AccessAuthorizer(options);
  const auditor = new AccessChangeAuditor(options.auditor);

  return withTaskLogScrubbing(
    createTemplateAction({
      id: UPDATE_IAP_ACCESS_ACTION_ID,
      description:
        'Changes who may reach a Cloud Run service behind IAP: adds or removes accessors, sets or clears the access levels they need, and turns IAP on or off. Touches only the bindings it manages; every other binding and condition is kept as it is.',
      examples,
      supportsDryRun: true,
      schema: {
        input: () => updateIapAccessInputSchema,
        output: () => updateIapAccessOutputSchema,
      },
      async handler(ctx) {
        const { logger, signal } = ctx;
        const client = options.clientFor(logger);
        const config = client.config;

        const steps = new StepRunner(ctx, 6);
        steps.begin('Validating the input');
        const input = parseActionInput(
          UPDATE_IAP_ACCESS_ACTION_ID,
          updateIapAccessInputWithConfig(config, memberPolicyFrom(config)),
          ctx.input,
        );
        const target = updateTarget(input);
        const { add, remove } = input;
        steps.target(
          target,
          `update-${changeDigest({
            add,
            remove,
            accessLevels: input.accessLevels ?? null,
            iapEnabled: input.iapEnabled ?? null,
          })}`,
        );

        steps.begin(
          `Resolving project ${target.projectId}, the access levels and ${target.serviceId}`,
        );
        const project = await client
          .resolveProject(target.projectId, { signal })
          .catch(error => {
            throw googleFailure(`Resolving project ${target.projectId}`, error);
          });
        const iapResource = iapResourceName(
          project.projectNumber,
          target.region,
          target.serviceId,
        );
        const [levels, service] = await Promise.all([
          input.accessLevels === undefined
            ? Promise.resolve(undefined)
            : resolveAccessLevels(
                client,
                project.organizationId,
                input.accessLevels,
                'accessLevels',
                { signal },
              ),
          client.getService(target.name, { signal }).catch(error => {
            throw googleFailure(`Reading ${target.name}`, error);
          }),
        ]);
        if (!service) {
          throw new NotFoundError(
            `Cloud Run service ${target.name} does not exist`,
          );
        }
        const owner =
          input.entityRef === undefined
            ? undefined
            : normalizeEntityRef(input.entityRef);
        const notOurs = ownershipProblem(service, owner);
        if (notOurs) {
          throw new ConflictError(
            `Cloud Run service ${target.name} is not managed by this portal${
              owner ? ` for ${owner}` : ''
            }: ${notOurs}`,
          );
        }
        const initiator = await authorizer.initiator(ctx);
        const audit: AccessChangeAudit = {
          action: 'update-iap-access',
          actor: initiator.userEntityRef,
          entity: service.annotations?.[ENTITY_REF_ANNOTATION] ?? 'none',
          service: target.name,
          members: { add, remove },
          ...(input.accessLevels !== undefined
            ? { accessLevels: input.accessLevels }
            : {}),
          ...(input.iapEnabled !== undefined
            ? { iapEnabled: input.iapEnabled }
            : {}),
          taskId: ctx.task.id,
        };
        const change = ctx.isDryRun
          ? (fn: () => Promise<{ changed: boolean }>) => fn()
          : (fn: () => Promise<{ changed: boolean }>) =>
              auditor.record(audit, fn);
        await change(async () => {
          const { entityRef: appEntity, ownerGroup } =
            await authorizer.authorizeChange(ctx, service, target);
          audit.ownerGroup = ownerGroup;
          if (input.iapEnabled === false && service.iapEnabled) {
            await refuseExposure(client, service, target, signal);
          }
          logger.info(
            `${initiator.userEntityRef} may manage ${appEntity}, which ${ownerGroup} owns as recorded on the service`,
          );
          const iapPolicy = await client
            .getIamPolicy({ kind: 'iap', resource: iapResource }, { signal })
            .catch(error => {
              throw googleFailure(
                `Reading the IAP policy of ${iapResource}`,
                error,
              );
            });
          const accessChange: AccessChange = { add, remove, levels };
          const bindings = iapPolicy.bindings ?? [];
          const after = readManagedAccess(
            applyAccessChange(bindings, accessChange),
          );
          if (levels && levels.length > 0 && after.members.length === 0) {
            throw new InputError(
              `Invalid input for ${UPDATE_IAP_ACCESS_ACTION_ID}: accessLevels cannot be set on ${target.name}: after this change no accessor is granted by the portal there, so no grant would carry the levels. Add accessors in the same run (add), or grant them first.`,
            );
          }
          warnAboutUnmanagedGrants(
            bindings,
            accessChange,
            after.levels,
            logger,
          );
          const agent = iapServiceAgent(project.projectNumber);
          const turnOn = input.iapEnabled === true;
          const toggle =
            input.iapEnabled !== undefined &&
            input.iapEnabled !== Boolean(service.iapEnabled);
          const accessChanges =
            add.length > 0 || remove.length > 0 || levels !== undefined;

          const outputs = (result: {
            members: string[];
            levels: string[];
            iapEnabled: boolean;
            changed: boolean;
          }) => {
            ctx.output('serviceName', target.name);
            ctx.output('iapResource', iapResource);
            ctx.output('accessors', result.members);
            ctx.output('accessLevels', result.levels);
            ctx.output('iapEnabled', result.iapEnabled);
            ctx.output('changed', result.changed);
          };

          if (ctx.isDryRun) {
            if (toggle) {
              await client
                .patchService(
                  target.name,
                  { iapEnabled: input.iapEnabled },
                  ['iapEnabled'],
                  {
                    signal,
                    validateOnly: true,
                  },
                )
                .catch(error => {
                  throw googleFailure(
                    `Cloud Run refused turning IAP ${
                      turnOn ? 'on' : 'off'
                    } (validateOnly) for ${target.name}`,
                    error,
                  );
                });
            }
            steps.skip('Making the IAP service agent the invoker', 'dry run');
            steps.skip(`Turning IAP ${turnOn ? 'on' : 'off'}`, 'dry run');
            steps.skip('Changing the accessors', 'dry run');
            steps.skip('Verifying the result', 'dry run');
            logger.info(
              `Dry run: nothing was changed; accessors would be ${
                after.members.join(', ') || 'none'
              }${
                after.levels.length > 0
                  ? `, each needing one of ${after.levels.join(', ')}`
                  : ', with no access level required'
              }${
                toggle
                  ? `, and IAP would be turned ${turnOn ? 'on' : 'off'}`
                  : ''
              }`,
            );
            const wouldChange =
              toggle ||
              JSON.stringify(applyAccessChange(bindings, accessChange)) !==
                JSON.stringify(bindings);
            outputs({
              ...after,
              iapEnabled: input.iapEnabled ?? Boolean(service.iapEnabled),
              changed: wouldChange,
            });
            return { changed: wouldChange };
          }

          let changed = false;
          if (turnOn) {
            const result = await steps.run(
              'Making the IAP service agent the invoker',
              'agent-invoker',
              async () => {
                const runPolicy = await client
                  .getIamPolicy({ kind: 'run', name: target.name }, { signal })
                  .catch(error => {
                    throw googleFailure(
                      `Reading the IAM policy of ${target.name}`,
                      error,
                    );
                  });
                if (hasInvoker(runPolicy.bindings ?? [], agent)) {
                  logger.info(`${agent} already holds roles/run.invoker`);
                  return { changed: false };
                }
                const member = await client
                  .ensureIapServiceAgent(project.projectNumber, { signal })
                  .catch(error => {
                    throw googleFailure(
                      `Provisioning the IAP service agent of project ${target.projectId}`,
                      error,
                    );
                  });
                const granted = await grantAgentInvoker(
                  client,
                  target,
                  member,
                  {
                    logger,
                    signal,
                    propagation,
                  },
                );
                logger.info(`Granted ${member} roles/run.invoker`);
                return { changed: granted.changed };
              },
            );
            changed = changed || result.changed;
          } else {
            steps.skip(
              'Making the IAP service agent the invoker',
              'IAP is not being turned on',
            );
          }

          if (input.iapEnabled !== undefined) {
            const result = await steps.run(
              `Turning IAP ${turnOn ? 'on' : 'off'}`,
              'iap-enabled',
              async () => {
                const current = await client.getService(target.name, {
                  signal,
                });
                if (Boolean(current?.iapEnabled) === input.iapEnabled) {
                  logger.info(`IAP is already ${turnOn ? 'on' : 'off'}`);
                  return { changed: false };
                }
                if (!turnOn && current) {
                  // Read again right before the write: a public grant may have appeared since.
                  await refuseExposure(client, current, target, signal);
                }
                const operation = await client
                  .patchService(
                    target.name,
                    { iapEnabled: input.iapEnabled },
                    ['iapEnabled'],
                    {
                      signal,
                    },
                  )
                  .catch(error => {
                    throw googleFailure(
                      `Turning IAP ${turnOn ? 'on' : 'off'} for ${target.name}`,
                      error,
                    );
                  });
                await waitForServiceOperation(
                  client,
                  operation,
                  target,
                  'update',
                  {
                    logger,
                    signal,
                    progressEveryMs,
                    timeoutMs,
                  },
                );
                if (!turnOn) {
                  logger.warn(
                    `IAP is now off on ${
                      target.serviceId
                    }: only principals holding roles/run.invoker or another role with run.routes.invoke (${INVOKER_ROLES.slice(
                      1,
                    ).join(
                      ', ',
                    )}, on the service or above it) can reach it; the invoker check is on and no public member holds such a role`,
                  );
                }
                return { changed: true };
              },
            );
            changed = changed || result.changed;
          } else {
            steps.skip('Turning IAP on or off', 'iapEnabled not given');
          }

          if (accessChanges) {
            const result = await steps.run(
              'Changing the accessors on the IAP resource',
              'accessors',
              async () => {
                const applied = await changeAccessors(
                  client,
                  iapResource,
                  accessChange,
                  { signal },
                );
                logger.info(
                  applied.changed
                    ? `IAP policy updated: ${
                        applied.members.length
                      } managed accessor(s)${
                        applied.levels.length > 0
                          ? `, each needing one of ${applied.levels.join(', ')}`
                          : ', no access level required'
                      }`
                    : 'The accessors were already as requested',
                );
                return { changed: applied.changed };
              },
            );
            changed = changed || result.changed;
          } else {
            steps.skip('Changing the accessors', 'no accessor change given');
          }

          steps.begin('Verifying the result');
          const final = await verify(client, target, iapResource, {
            agent,
            add,
            remove,
            levels,
            iapEnabled: input.iapEnabled,
            signal,
          });
          outputs({ ...final, changed });
          logger.info(
            `${target.name}: IAP ${final.iapEnabled ? 'on' : 'off'}, ${
              final.members.length
            } managed accessor(s)${
              final.levels.length > 0
                ? ` behind ${final.levels.join(', ')}`
                : ''
            }${service.uri ? `; URL ${service.uri}` : ''}`,
          );
          return { changed };
        });
      },
    }),
  );
}

/** Reads the service's Run IAM and refuses turning IAP off when that would make it public. */
async function refuseExposure(
  client: GoogleCloudClient,
  service: RunService,
  target: ServiceTarget,
  signal?: AbortSignal,
) {
  const runPolicy = await client
    .getIamPolicy({ kind: 'run', name: target.name }, { signal })
    .catch(error => {
      throw googleFailure(`Reading the IAM policy of ${target.name}`, error);
    });
  const exposure = exposureWithoutIap(
    service,
    runPolicy.bindings ?? [],
    target,
  );
  if (exposure) throw new InputError(exposure);
}

function warnAboutUnmanagedGrants(
  bindings: readonly IamBinding[],
  change: AccessChange,
  levelsAfter: readonly string[],
  logger: { warn(message: string): void },
) {
  const stillGranted = unmanagedAccessorGrants(bindings, change.remove);
  if (stillGranted.length > 0) {
    logger.warn(
      `These keep access through bindings this action does not manage: ${stillGranted.join(
        ', ',
      )}`,
    );
  }
  if (levelsAfter.length > 0) {
    const unrestricted = unmanagedAccessorGrants(bindings, change.add).filter(
      grant => grant.endsWith('(unconditional)'),
    );
    if (unrestricted.length > 0) {
      logger.warn(
        `The access levels do not restrict these, who also hold an unconditional grant this action does not manage: ${unrestricted.join(
          ', ',
        )}`,
      );
    }
  }
}

async function verify(
  client: GoogleCloudClient,
  target: ServiceTarget,
  iapResource: string,
  expected: {
    agent: string;
    add: readonly string[];
    remove: readonly string[];
    levels?: readonly string[];
    iapEnabled?: boolean;
    signal?: AbortSignal;
  },
) {
  const { signal } = expected;
  const { service, runPolicy, iapPolicy } = await readBack(
    client,
    target,
    iapResource,
    signal,
  );
  const managed = readManagedAccess(iapPolicy.bindings ?? []);
  const iapEnabled = Boolean(service?.iapEnabled);
  const problems: string[] = [];
  if (expected.iapEnabled !== undefined && iapEnabled !== expected.iapEnabled) {
    problems.push(`IAP is ${iapEnabled ? 'on' : 'off'}`);
  }
  if (
    expected.iapEnabled === true &&
    !hasInvoker(runPolicy.bindings ?? [], expected.agent)
  ) {
    problems.push(`${expected.agent} does not hold roles/run.invoker`);
  }
  const missing = expected.add.filter(m => !includesMember(managed.members, m));
  if (missing.length > 0) problems.push(`not granted: ${missing.join(', ')}`);
  const left = expected.remove.filter(m => includesMember(managed.members, m));
  if (left.length > 0) problems.push(`still granted: ${left.join(', ')}`);
  if (
    expected.levels !== undefined &&
    managed.levels.join(' ') !== [...expected.levels].sort().join(' ')
  ) {
    problems.push(
      `the accessor condition requires ${
        managed.levels.join(', ') || 'no level'
      }, not ${expected.levels.join(', ') || 'no level'}`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `Verification of ${target.name} failed: ${problems.join('; ')}`,
    );
  }
  return { ...managed, iapEnabled };
}
