import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SimulationRequest,
  cloudRunIapAccessLevelsReadPermission,
  cloudRunIapAccessReadPermission,
  reviewRowsToCsv,
  simulateAccess,
  validateSimulationRequest,
} from '@internal-apps/plugin-cloud-run-iap-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { AccessLevelsService } from './services/AccessLevelsService';
import { AccessReportService } from './services/AccessReportService';
import { EntityAccessAuthorizer } from './services/EntityAccessAuthorizer';
import { RequestDeadline } from './services/RequestDeadline';
import { ReviewService } from './services/ReviewService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  permissions: PermissionsService;
  /** The overall deadline of one report or review (`cloudRunIap.report.deadline`). */
  deadlineMs: number;
  authorizer: EntityAccessAuthorizer;
  reports: AccessReportService;
  reviews: ReviewService;
  accessLevels: AccessLevelsService;
}

const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

function validEntityRef(
  kind: string,
  namespace: string,
  name: string,
  field: string,
): string {
  if (!KIND.test(kind) || !NAME.test(namespace) || !NAME.test(name)) {
    throw new InputError(
      `${field}: malformed entity reference ${kind}:${namespace}/${name}; kind must be letters and digits, namespace and name letters, digits, '.', '_' or '-'`,
    );
  }
  return stringifyEntityRef({ kind, namespace, name });
}

function entityRefFromPath(req: Request): string {
  const { kind, namespace, name } = req.params;
  return validEntityRef(kind, namespace, name, 'entity');
}

function parseSimulationRequest(body: unknown): SimulationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      'The body must be a JSON object { ip?, region?, member? }',
    );
  }
  const allowed = ['ip', 'region', 'member'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.includes(key)) problems.push(`${key}: unknown field`);
    else if (typeof value !== 'string')
      problems.push(`${key}: must be a string`);
  }
  const request = body as SimulationRequest;
  if (problems.length === 0)
    problems.push(...validateSimulationRequest(request));
  if (problems.length > 0) {
    throw new InputError(`Invalid simulation request: ${problems.join('; ')}`);
  }
  return request;
}

function entityRefFromQuery(
  value: unknown,
  field: string,
  defaultKind: string,
): string {
  let ref;
  try {
    ref = parseEntityRef(value as string, { defaultKind });
  } catch (error) {
    throw new InputError(`${field}: ${(error as Error).message}`);
  }
  return validEntityRef(ref.kind, ref.namespace, ref.name, field);
}

function ownerRefFromQuery(owner: unknown): string {
  if (typeof owner !== 'string' || owner.length === 0) {
    throw new InputError(
      'owner is required: an entity reference such as group:default/team-a',
    );
  }
  return entityRefFromQuery(owner, 'owner', 'group');
}

function systemRefFromQuery(system: unknown): string | undefined {
  if (system === undefined) return undefined;
  if (typeof system !== 'string' || system.length === 0) {
    throw new InputError(
      'system, when given, must be an entity reference such as system:default/internal-apps',
    );
  }
  return entityRefFromQuery(system, 'system', 'system');
}

/** Translates HTTP to the services: validation, the caller's credentials, status codes. */
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
    reviews,
    accessLevels,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get(
    '/entities/by-name/:kind/:namespace/:name/access',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = entityRefFromPath(req);
      const audit = await auditor.createEvent({
        eventId: 'access-report-read',
        request: req,
        meta: { entityRef },
      });
      try {
        const entity = await authorizer.loadAuthorizedEntity(
          entityRef,
          cloudRunIapAccessReadPermission,
          credentials,
        );
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const report = await reports.reportForEntity(entity, {
          refresh: req.query.refresh === 'true',
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
      const entityRef = entityRefFromPath(req);
      const request = parseSimulationRequest(req.body);
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
        const entity = await authorizer.loadAuthorizedEntity(
          entityRef,
          cloudRunIapAccessReadPermission,
          credentials,
        );
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const report = await reports.reportForEntity(entity, { signal });
        const result = simulateAccess(report, request);
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

  router.get('/review', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const owner = ownerRefFromQuery(req.query.owner);
    const system = systemRefFromQuery(req.query.system);
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new InputError('format must be json or csv');
    }
    const audit = await auditor.createEvent({
      eventId: 'access-review',
      request: req,
      meta: { owner, format, ...(system ? { system } : {}) },
    });
    try {
      const { signal } = RequestDeadline.start(deadlineMs, { req, res });
      const review = await reviews.review({ owner, system }, credentials, {
        signal,
      });
      await audit.success({ meta: { rows: review.rows.length } });
      if (format === 'csv') {
        const file = `access-review-${owner.replace(/[^a-z0-9-]+/gi, '-')}.csv`;
        res
          .type('text/csv; charset=utf-8')
          .attachment(file)
          .send(reviewRowsToCsv(review.rows));
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
    const project = req.query.project;
    if (typeof project !== 'string' || project.length === 0) {
      throw new InputError('project is required: a Google Cloud project id');
    }
    const { signal } = RequestDeadline.start(deadlineMs, { req, res });
    res.json(await accessLevels.accessLevels(project, { signal }));
  });

  return router;
}
