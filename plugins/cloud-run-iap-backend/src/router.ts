import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  cloudRunIapAccessLevelsReadPermission,
  cloudRunIapAccessReadPermission,
  reviewRowsToCsv,
} from '@internal-apps/plugin-cloud-run-iap-common';
import express, { ErrorRequestHandler } from 'express';
import { addAccessChangeRoutes } from './accessChangeRoutes';
import { addAccessRequestRoutes } from './accessRequestRoutes';
import { createOpenApiRouter, spec } from './schema/openapi';
import { AccessChangeService } from './services/AccessChangeService';
import { AccessLevelsService } from './services/AccessLevelsService';
import { AccessReportService } from './services/AccessReportService';
import { AccessRequestService } from './services/AccessRequestService';
import { EntityAccessAuthorizer } from './services/EntityAccessAuthorizer';
import { entityRefField } from './services/entityRefField';
import { InFlight, callerKeyOf } from './services/InFlight';
import { RequestDeadline } from './services/RequestDeadline';
import { ReviewService } from './services/ReviewService';
import { SelfCheckService } from './services/SelfCheckService';
import {
  SimulationService,
  checkedSimulationRequest,
} from './services/SimulationService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  /** The overall deadline of one report or review (`cloudRunIap.report.deadline`). */
  deadlineMs: number;
  authorizer: EntityAccessAuthorizer;
  reports: AccessReportService;
  accessRequests: AccessRequestService;
  accessChanges: AccessChangeService;
  reviews: ReviewService;
  accessLevels: AccessLevelsService;
  selfChecks: SelfCheckService;
  simulations: SimulationService;
}

/**
 * The validator refuses a body with fields the spec does not list, without saying which: this
 * names them.
 */
function nameUnknownFields(fields: readonly string[]): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const body: unknown = req.body;
    if (
      error instanceof InputError &&
      error.message.includes(
        'request/body must NOT have additional properties',
      ) &&
      typeof body === 'object' &&
      body !== null
    ) {
      const unknown = Object.keys(body).filter(key => !fields.includes(key));
      next(
        new InputError(
          `${error.message}: ${unknown
            .map(key => `${key}: unknown field`)
            .join('; ')} (the fields are ${fields.join(', ')})`,
        ),
      );
      return;
    }
    next(error);
  };
}

/**
 * Translates HTTP to the services: the caller's credentials, the checks the spec cannot state,
 * status codes. The spec (`src/schema/openapi.yaml`) validates every request before a handler runs.
 */
const MAX_BODY = '16kb';
const parseJson = express.json({ limit: MAX_BODY });

/** express.json, with its refusals worded as input errors that name the body and the rule. */
function readJsonBody(
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
) {
  parseJson(req, res, (error?: unknown) => {
    if (!error) {
      next();
      return;
    }
    const { type, length } = error as { type?: string; length?: number };
    if (type === 'entity.too.large') {
      next(
        new InputError(
          `body: must be at most ${MAX_BODY} of JSON (got ${
            length ?? 'more'
          } bytes)`,
        ),
      );
    } else if (type === 'entity.parse.failed') {
      next(
        new InputError(
          `body: must be a JSON object such as {"ip": "198.51.100.7"} (${
            (error as Error).message
          })`,
        ),
      );
    } else {
      next(error);
    }
  });
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    auditor,
    permissions,
    deadlineMs,
    authorizer,
    reports,
    accessRequests,
    accessChanges,
    reviews,
    accessLevels,
    selfChecks,
    simulations,
  } = options;
  const router = await createOpenApiRouter({
    middleware: [readJsonBody],
  });
  // Many identical report requests of one caller at once share one catalog read and one
  // permission decision, made with that caller's credentials while they wait.
  const entityReads = new InFlight<Entity>();

  router.get(
    '/entities/by-name/:kind/:namespace/:name/access',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = stringifyEntityRef(req.params);
      const audit = await auditor.createEvent({
        eventId: 'access-report-read',
        request: req,
        meta: { entityRef },
      });
      try {
        const load = () =>
          authorizer.loadAuthorizedEntity(
            entityRef,
            cloudRunIapAccessReadPermission,
            credentials,
          );
        // httpAuth read the credentials from this header (user tokens only, no cookie).
        const token = req.headers.authorization;
        const entity = await (token
          ? entityReads.run(`${callerKeyOf(token)} ${entityRef}`, load)
          : load());
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const report = await reports.reportForEntity(entity, {
          refresh: String(req.query.refresh) === 'true',
          signal,
        });
        await audit.success({ meta: { stale: Boolean(report.stale) } });
        res.json(report);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.post(
    '/entities/by-name/:kind/:namespace/:name/access/simulate',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = stringifyEntityRef(req.params);
      const request = checkedSimulationRequest(req.body);
      const audit = await auditor.createEvent({
        eventId: 'access-simulate',
        request: req,
        meta: {
          entityRef,
          request: Object.fromEntries(
            Object.entries(request).filter(([, v]) => typeof v === 'string'),
          ),
        },
      });
      try {
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const result = await simulations.simulate(
          entityRef,
          request,
          credentials,
          { signal },
        );
        await audit.success({
          meta: { services: result.services.map(s => s.resourceName) },
        });
        res.json(result);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.post(
    '/entities/by-name/:kind/:namespace/:name/access/self-check',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = stringifyEntityRef(req.params);
      const request = checkedSimulationRequest(req.body, 'self-check request');
      const audit = await auditor.createEvent({
        eventId: 'access-self-check',
        request: req,
        meta: { entityRef },
      });
      try {
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const result = await selfChecks.check(entityRef, request, credentials, {
          signal,
        });
        await audit.success({
          meta: {
            verdicts: result.services.map(s => `${s.service} ${s.verdict}`),
          },
        });
        res.json(result);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get('/review', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const owner = entityRefField(req.query.owner, 'owner', 'group');
    const system =
      req.query.system === undefined
        ? undefined
        : entityRefField(req.query.system, 'system', 'system');
    const format = req.query.format ?? 'json';
    const expand = req.query.expand;
    const audit = await auditor.createEvent({
      eventId: 'access-review',
      request: req,
      meta: {
        owner,
        format,
        ...(system ? { system } : {}),
        ...(expand ? { expand } : {}),
      },
    });
    try {
      const { signal } = RequestDeadline.start(deadlineMs, { req, res });
      const review = await reviews.review(
        { owner, system, expand },
        credentials,
        {
          signal,
        },
      );
      await audit.success({ meta: { rows: review.rows.length } });
      if (format === 'csv') {
        const file = `access-review-${owner.replace(/[^a-z0-9-]+/gi, '-')}.csv`;
        res
          .type('text/csv; charset=utf-8')
          .attachment(file)
          // The router's typings map only the application/json body of a response.
          .send(reviewRowsToCsv(review.rows, { expand }) as never);
        return;
      }
      res.json(review);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/access-levels', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: cloudRunIapAccessLevelsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not list access levels (${cloudRunIapAccessLevelsReadPermission.name})`,
      );
    }
    const { project } = req.query;
    const { signal } = RequestDeadline.start(deadlineMs, { req, res });
    res.json(await accessLevels.accessLevels(project, { signal }));
  });

  addAccessRequestRoutes(router, { httpAuth, auditor, accessRequests });
  addAccessChangeRoutes(router, {
    httpAuth,
    auditor,
    accessChanges,
    deadlineMs,
  });

  // Error handlers: they reword the validator's 'additional properties' error of each body.
  const bodySchemas = {
    '/entities/by-name/:kind/:namespace/:name/access/changes':
      spec.components.schemas.AccessChangeRequest,
    '/entities/by-name/:kind/:namespace/:name/access/requests':
      spec.components.schemas.NewAccessRequest,
    '/access/requests/:id/decision': spec.components.schemas.AccessDecision,
    '/entities/by-name/:kind/:namespace/:name/access/simulate':
      spec.components.schemas.SimulationRequest,
    '/entities/by-name/:kind/:namespace/:name/access/self-check':
      spec.components.schemas.SelfCheckRequest,
  };
  for (const [path, schema] of Object.entries(bodySchemas)) {
    router.use(path, nameUnknownFields(Object.keys(schema.properties)));
  }

  return router;
}
