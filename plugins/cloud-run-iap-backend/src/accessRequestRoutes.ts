import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter as SpecApiRouter } from '@backstage/backend-openapi-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { spec } from './schema/openapi';
import { AccessRequestService } from './services/AccessRequestService';

// Named from the spec directly: Awaited<ReturnType<typeof createOpenApiRouter>> is too deep for tsc.
type ApiRouter = SpecApiRouter<typeof spec>;

/**
 * The access request routes (issue 12): HTTP to {@link AccessRequestService}, with an audit
 * event for each request and decision.
 */
export function addAccessRequestRoutes(
  router: ApiRouter,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    accessRequests: AccessRequestService;
  },
) {
  const { httpAuth, auditor, accessRequests } = options;

  router.post(
    '/entities/by-name/:kind/:namespace/:name/access/requests',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = stringifyEntityRef(req.params);
      const audit = await auditor.createEvent({
        eventId: 'cloud-run-iap-access-request',
        severityLevel: 'medium',
        request: req,
        meta: {
          entityRef,
          service: req.body.service,
          duration: req.body.duration,
        },
      });
      try {
        const created = await accessRequests.create(
          entityRef,
          req.body,
          credentials,
        );
        await audit.success({
          meta: { requestId: created.id, members: [created.member] },
        });
        res.status(201).json(created);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get(
    '/entities/by-name/:kind/:namespace/:name/access/requests',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const items = await accessRequests.listForEntity(
        stringifyEntityRef(req.params),
        credentials,
      );
      res.json({ items });
    },
  );

  router.get(
    '/entities/by-name/:kind/:namespace/:name/access/history',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const items = await accessRequests.history(
        stringifyEntityRef(req.params),
        credentials,
      );
      res.json({ items });
    },
  );

  router.get('/access/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const items = await accessRequests.listManageable(
      req.query.status ?? 'pending',
      credentials,
    );
    res.json({ items });
  });

  router.post('/access/requests/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const audit = await auditor.createEvent({
      eventId: 'cloud-run-iap-access-decision',
      severityLevel: 'high',
      request: req,
      meta: { requestId: req.params.id, decision: req.body.decision },
    });
    try {
      const decided = await accessRequests.decide(
        req.params.id,
        req.body,
        credentials,
      );
      await audit.success({
        meta: {
          entityRef: decided.entityRef,
          service: decided.service,
          members: [decided.member],
          status: decided.status,
          ...(decided.expiresAt ? { expiresAt: decided.expiresAt } : {}),
        },
      });
      res.json(decided);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });
}
