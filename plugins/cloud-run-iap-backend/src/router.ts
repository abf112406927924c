import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  SimulationRequest,
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
import { ReviewService } from './services/ReviewService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
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

function ownerRefFromQuery(owner: unknown): string {
  if (typeof owner !== 'string' || owner.length === 0) {
    throw new InputError(
      'owner is required: an entity reference such as group:default/team-a',
    );
  }
  let ref;
  try {
    ref = parseEntityRef(owner, { defaultKind: 'group' });
  } catch (error) {
    throw new InputError(`owner: ${(error as Error).message}`);
  }
  return validEntityRef(ref.kind, ref.namespace, ref.name, 'owner');
}

/** Translates HTTP to the services: validation, the caller's credentials, status codes. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, authorizer, reports, reviews, accessLevels } =
    options;
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
        const report = await reports.reportForEntity(entity, {
          refresh: req.query.refresh === 'true',
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
      const entity = await authorizer.loadAuthorizedEntity(
        entityRef,
        cloudRunIapAccessReadPermission,
        credentials,
      );
      const report = await reports.reportForEntity(entity);
      res.json(simulateAccess(report, request));
    },
  );

  router.get('/review', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const owner = ownerRefFromQuery(req.query.owner);
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new InputError('format must be json or csv');
    }
    const audit = await auditor.createEvent({
      eventId: 'access-review',
      request: req,
      meta: { owner, format },
    });
    try {
      const review = await reviews.review(owner, credentials);
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
    await httpAuth.credentials(req, { allow: ['user'] });
    const project = req.query.project;
    if (typeof project !== 'string' || project.length === 0) {
      throw new InputError('project is required: a Google Cloud project id');
    }
    res.json(await accessLevels.accessLevels(project));
  });

  return router;
}
