import { NotAllowedError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  iapResourceName,
  iapServiceAgent,
  RunService,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { resolveAccessLevels } from '../lib/accessLevels';
import { AccessChangeAudit, AccessChangeAuditor } from '../lib/audit';
import { AccessAuthorizer, normalizeGroupRef } from '../lib/ownership';
import {
  ensureRuntimeAccount,
  inspectRuntimeAccount,
  runtimeAccountDefinition,
  runtimeAccountEmail,
  runtimeAccountId,
} from '../lib/runtimeIdentity';
import { checkSecrets } from '../lib/secrets';
import { withTaskLogScrubbing } from '../lib/taskLog';
import { googleFailure } from '../lib/googleErrors';
import { changeAccessors, grantAgentInvoker } from '../lib/grants';
import * as inputs from '../lib/inputSchemas';
import { parseActionInput, z } from '../lib/inputSchemas';
import { CloudRunIapActionOptions, resolveActionOptions } from '../lib/options';
import { consoleUrl, WaitOptions } from '../lib/services';
import { StepRunner } from '../lib/steps';
import {
  memberPolicyFrom,
  normalizeEntityRef,
  serviceTarget,
  ServiceTarget,
} from '../lib/validation';
import { CREATED_BY_TASK_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import { examples } from './createIapService.examples';
import {
  directIapAudience,
  IAP_AUDIENCE_ENV,
  iapAudienceFor,
} from './iapAudience';
import { serviceDefinition } from './createIapServiceDefinition';
import {
  createIapServiceInputSchema,
  createIapServiceInputWithContext,
  ParsedCreateIapServiceInput,
} from './createIapServiceInput';
import {
  createOrAdopt,
  dryRun,
  inspectExisting,
  verify,
} from './createIapServiceLifecycle';

/** The create action's id, in Backstage's namespace:resource:verb order. */
export const CREATE_IAP_SERVICE_ACTION_ID = 'gcp:cloud-run-iap-service:create';
/** The id the create action had before 0.2; registered as a deprecated alias until 0.3. */
export const DEPRECATED_CREATE_IAP_SERVICE_ACTION_ID =
  'gcp:cloud-run:create-iap-service';

/** What the create action outputs. */
const createIapServiceOutputSchema = z.object({
  serviceName: inputs.serviceName,
  uri: z.string().describe('The service URL (run.app).'),
  iapResource: inputs.iapResource,
  annotation: z
    .string()
    .describe(
      'Value for the google.com/cloud-run-service annotation of the entity.',
    ),
  consoleUrl: z
    .string()
    .describe("The service's security page in the Google Cloud console."),
  iapAudience: z
    .string()
    .describe(
      'The audience the app must expect in x-goog-iap-jwt-assertion, also set on the service as IAP_AUDIENCE: /projects/NUMBER/locations/REGION/services/SERVICE, or the env input IAP_AUDIENCE when given.',
    ),
});

/** The create action's outputs. */
export type CreateIapServiceOutput = z.output<
  typeof createIapServiceOutputSchema
>;

/** Factory options of {@link createCreateIapServiceAction}. */
export type CreateIapServiceActionOptions = CloudRunIapActionOptions;

/**
 * `gcp:cloud-run-iap-service:create`: creates (or adopts, when it is ours) a Cloud Run
 * service with IAP on, makes the IAP agent its invoker and grants the accessors on the IAP
 * resource, optionally behind access levels.
 */
export function createCreateIapServiceAction(
  options: CreateIapServiceActionOptions,
): TemplateAction<ParsedCreateIapServiceInput, CreateIapServiceOutput, 'v2'> {
  const { progressEveryMs, timeoutMs, propagation } =
    resolveActionOptions(options);
  const authorizer = new AccessAuthorizer(options);
  const auditor = new AccessChangeAuditor(options.auditor);
  /** Adoption is authorized as an update is, and the caller must name the recorded owner. */
  const authorizeAdoption = async (
    ctx: Parameters<AccessAuthorizer['authorizeChange']>[0] &
      Pick<ActionContext<any, any>, 'logger'>,
    service: RunService,
    target: ServiceTarget,
    ownerGroup: string,
    entityRef: string,
  ) => {
    if (
      await authorizer.mayAdoptUnregistered(ctx, service, entityRef, ownerGroup)
    ) {
      ctx.logger.info(
        `${entityRef} is not in the catalog yet and ${target.name} records ${ownerGroup}, one of your groups, as its owner: adopting it (an earlier task stopped before registering the entity)`,
      );
      return;
    }
    const { ownerGroup: recorded } = await authorizer.authorizeChange(
      ctx,
      service,
      target,
    );
    if (recorded !== ownerGroup) {
      throw new NotAllowedError(
        `owner ${ownerGroup} is not the owner recorded on ${target.name} (${recorded}): adopting an existing service keeps its owner`,
      );
    }
  };

  return withTaskLogScrubbing(
    createTemplateAction({
      id: CREATE_IAP_SERVICE_ACTION_ID,
      description:
        'Creates a Cloud Run service with Identity-Aware Proxy on (or adopts one this portal created for the same entity), provisions the IAP service agent and makes it the invoker, and grants accessors roles/iap.httpsResourceAccessor on the IAP resource, optionally behind access levels.',
      examples,
      supportsDryRun: true,
      schema: {
        input: () => createIapServiceInputSchema,
        output: () => createIapServiceOutputSchema,
      },
      async handler(ctx) {
        const { logger, signal } = ctx;
        const client = options.clientFor(logger);
        const config = client.config;
        const waitOptions: WaitOptions = {
          logger,
          signal,
          progressEveryMs,
          timeoutMs,
        };
        const steps = new StepRunner(ctx, 8);

        steps.begin('Validating the input');
        const initiator = await authorizer.initiator(ctx);
        const input = parseActionInput(
          CREATE_IAP_SERVICE_ACTION_ID,
          createIapServiceInputWithContext({
            config,
            members: memberPolicyFrom(config),
            templateEntityRef: ctx.templateInfo?.entityRef,
            ownerProblem: owner =>
              authorizer.ownerProblem(owner, initiator.claims),
          }),
          ctx.input,
        );
        const { waitForReady } = input;
        const entityRef = normalizeEntityRef(
          input.entityRef ?? ctx.templateInfo!.entityRef,
        )!;
        const ownerGroup = normalizeGroupRef(input.owner)!;
        const target = serviceTarget(
          input.projectId,
          input.region,
          input.serviceId,
        );
        steps.target(target, 'create');
        const runtimeAccount = runtimeAccountDefinition(
          target,
          entityRef,
          ownerGroup,
        );

        steps.begin(
          `Resolving project ${target.projectId}, the access levels, the secrets, the runtime account and any existing ${target.serviceId}`,
        );
        const project = await client
          .resolveProject(target.projectId, { signal })
          .catch(error => {
            throw googleFailure(`Resolving project ${target.projectId}`, error);
          });
        const [levels, existing] = await Promise.all([
          resolveAccessLevels(
            client,
            project.organizationId,
            input.accessLevels,
            'accessLevels',
            { signal },
          ),
          inspectExisting(
            client,
            target,
            entityRef,
            iapServiceAgent(project.projectNumber),
            signal,
          ),
          checkSecrets(client, target, project.projectNumber, input.env, {
            requireAppLabel: config.secrets.requireAppLabel,
            signal,
          }),
        ]);
        // An adopted service keeps its runtime identity; a new one gets its own account.
        const existingAccount =
          input.serviceAccount || existing.service
            ? undefined
            : await inspectRuntimeAccount(
                client,
                target,
                runtimeAccount,
                signal,
              );
        const iapResource = iapResourceName(
          project.projectNumber,
          target.region,
          target.serviceId,
        );
        logger.info(
          `Project ${target.projectId} is number ${project.projectNumber}${
            project.organizationId
              ? ` in organizations/${project.organizationId}`
              : ''
          }; ${
            existing.service
              ? `${target.serviceId} exists and was created by this portal for ${entityRef}: adopting it`
              : `${target.serviceId} does not exist yet`
          }`,
        );
        if (levels.length > 0) {
          logger.info(`Accessors will need one of: ${levels.join(', ')}`);
        }
        const { accessors } = input;
        const audit: AccessChangeAudit = {
          action: 'create-iap-service',
          actor: initiator.userEntityRef,
          entity: entityRef,
          ownerGroup,
          service: target.name,
          members: { add: accessors, remove: [] },
          accessLevels: levels,
          taskId: ctx.task.id,
        };
        const adoptingAnother =
          existing.service !== undefined &&
          existing.service.annotations?.[CREATED_BY_TASK_ANNOTATION] !==
            ctx.task.id;
        if (adoptingAnother) {
          // Adopting a service another task created changes an existing app's access: it is
          // authorized exactly as update-iap-access is; a refusal is audited.
          await authorizeAdoption(
            ctx,
            existing.service!,
            target,
            ownerGroup,
            entityRef,
          ).catch(async error => {
            if (!ctx.isDryRun) await auditor.refused(audit, error);
            throw error;
          });
        }
        const serviceAccount =
          input.serviceAccount ??
          existing.service?.template?.serviceAccount ??
          runtimeAccountEmail(target);
        const iapAudience = iapAudienceFor(
          input.env,
          directIapAudience(
            project.projectNumber,
            target.region,
            target.serviceId,
          ),
        );
        const definition = serviceDefinition(
          { ...input, env: { ...input.env, [IAP_AUDIENCE_ENV]: iapAudience } },
          { entityRef, ownerGroup, taskId: ctx.task.id, serviceAccount },
        );
        const outputs = (uri: string) => {
          ctx.output('serviceName', target.name);
          ctx.output('uri', uri);
          ctx.output('iapResource', iapResource);
          ctx.output('annotation', target.name);
          ctx.output('consoleUrl', consoleUrl(target));
          ctx.output('iapAudience', iapAudience);
        };
        const accountLabel = `Creating the app's runtime service account ${runtimeAccountId(
          target.serviceId,
        )}`;
        let accountSkipped: string | undefined;
        if (input.serviceAccount) accountSkipped = 'serviceAccount given';
        else if (existing.service) {
          accountSkipped = 'the service exists and keeps its runtime identity';
        }

        if (ctx.isDryRun) {
          steps.skip(accountLabel, accountSkipped ?? 'dry run');
          if (!accountSkipped) {
            logger.info(
              existingAccount
                ? `Dry run: the runtime account ${runtimeAccountId(
                    target.serviceId,
                  )} exists and was made for this app`
                : `Dry run: would create the runtime account ${runtimeAccountId(
                    target.serviceId,
                  )}`,
            );
          }
          steps.skip('Making sure the IAP service agent exists', 'dry run');
          steps.begin(
            existing.service
              ? `Adopting ${target.name} (dry run)`
              : `Having Cloud Run validate ${target.name} (dry run, validateOnly)`,
          );
          const uri = await dryRun(
            client,
            target,
            definition,
            existing.service,
            {
              logger,
              signal,
            },
          );
          steps.skip(
            `Granting the IAP service agent roles/run.invoker on ${target.serviceId}`,
            'dry run',
          );
          steps.skip(
            `Granting ${accessors.length} accessor(s) roles/iap.httpsResourceAccessor`,
            'dry run',
          );
          steps.skip('Verifying the result', 'dry run');
          outputs(uri);
          logger.info(
            `Dry run: nothing was changed; the service would be ${target.name}`,
          );
          return;
        }

        await auditor.record(audit, async () => {
          if (accountSkipped) {
            steps.skip(accountLabel, accountSkipped);
          } else {
            await steps.run(accountLabel, 'runtime-account', async () => {
              const { created } = await ensureRuntimeAccount(
                client,
                target,
                runtimeAccount,
                signal,
              );
              logger.info(
                created
                  ? `Created the runtime account ${runtimeAccountId(
                      target.serviceId,
                    )} for ${entityRef}`
                  : `The runtime account ${runtimeAccountId(
                      target.serviceId,
                    )} already exists and was made for this app`,
              );
              return { created };
            });
          }

          const agent = await steps.run(
            'Making sure the IAP service agent exists',
            'iap-agent',
            async () => {
              const known = iapServiceAgent(project.projectNumber);
              if (existing.agentIsInvoker) {
                logger.info(
                  'The IAP service agent already holds roles/run.invoker: it exists',
                );
                return known;
              }
              const member = await client
                .ensureIapServiceAgent(project.projectNumber, { signal })
                .catch(error => {
                  throw googleFailure(
                    `Provisioning the IAP service agent of project ${target.projectId}`,
                    error,
                  );
                });
              logger.info(
                `The IAP service agent of project number ${project.projectNumber} exists`,
              );
              return member;
            },
          );

          const created = await steps.run(
            existing.service
              ? `Adopting ${target.name}`
              : `Creating ${target.name} with IAP on`,
            'service',
            () =>
              createOrAdopt(
                client,
                target,
                definition,
                entityRef,
                { ...waitOptions, waitForReady, propagation },
                // Another task's service that appeared meanwhile (a 409) is adopted only as a
                // re-run is; one this task made (a lost answer) needs no adoption.
                service =>
                  authorizeAdoption(
                    ctx,
                    service,
                    target,
                    ownerGroup,
                    entityRef,
                  ),
              ),
          );

          await steps.run(
            `Granting the IAP service agent roles/run.invoker on ${target.serviceId}`,
            'agent-invoker',
            async () => {
              const { changed, removedPublic } = await grantAgentInvoker(
                client,
                target,
                agent,
                { logger, signal, propagation },
              );
              if (removedPublic.length > 0) {
                logger.warn(
                  `Removed public invoker(s) ${removedPublic.join(
                    ', ',
                  )}: with IAP on, only the IAP agent may invoke the service`,
                );
              }
              logger.info(
                changed
                  ? 'Granted the IAP service agent roles/run.invoker'
                  : 'The IAP service agent already held roles/run.invoker',
              );
              return { changed };
            },
          );

          await steps.run(
            `Granting ${accessors.length} accessor(s) roles/iap.httpsResourceAccessor on ${iapResource}`,
            'accessors',
            async () => {
              const result = await changeAccessors(
                client,
                iapResource,
                {
                  add: accessors,
                  remove: [],
                  levels: levels.length > 0 ? levels : undefined,
                },
                { signal },
              );
              logger.info(
                result.changed
                  ? `IAP policy updated: ${result.members.length} accessor(s)${
                      result.levels.length > 0
                        ? `, each needing one of ${result.levels.length} access level(s)`
                        : ', no access level required'
                    }`
                  : 'Every accessor already held roles/iap.httpsResourceAccessor',
              );
              return { changed: result.changed };
            },
          );

          steps.begin(
            'Verifying: IAP on, the agent is the invoker, no public invoker, every accessor granted',
          );
          const uri = await verify(client, target, iapResource, {
            agent,
            accessors,
            levels,
            signal,
          });
          outputs(uri || created.uri);
          logger.info(
            `Service URL: ${uri || created.uri || '(not assigned yet)'}`,
          );
          return { adopted: created.adopted };
        });
      },
    }),
  );
}
