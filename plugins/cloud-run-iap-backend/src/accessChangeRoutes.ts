import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import { serializeError } from '@backstage/errors';
import { spec } from './schema/openapi';
import {
  AccessChangedSinceError,
  AccessChangeService,
} from './services/AccessChangeService';
import { RequestDeadline } from './services/RequestDeadline';

type SpecRouter = ApiRouter<typeof spec>;

/**
 * `POST .../access/changes` (issue 12): HTTP to {@link AccessChangeService}, with an audit event
 * for every preview and apply, and the 409 of a change made since the preview carrying the fresh
 * preview in Backstage's error body.
 */
export function addAccessChangeRoutes(
  router: SpecRouter,
  options: {
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    accessChanges: AccessChangeService;
    deadlineMs: number;
  },
) {
  const { httpAuth, auditor, accessChanges, deadlineMs } = options;

  router.post(
    '/entities/by-name/:kind/:namespace/:name/access/changes',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = stringifyEntityRef(req.params);
      const body = req.body;
      const audit = await auditor.createEvent({
        eventId: 'cloud-run-iap-access-change',
        severityLevel: body.dryRun ? 'low' : 'medium',
        request: req,
        meta: {
          entityRef,
          service: body.service,
          dryRun: body.dryRun ?? false,
          add: body.add ?? [],
          remove: body.remove ?? [],
          ...(body.accessLevels === undefined
            ? {}
            : { accessLevels: body.accessLevels ?? [] }),
        },
      });
      try {
        const { signal } = RequestDeadline.start(deadlineMs, { req, res });
        const preview = await accessChanges.change(
          entityRef,
          body,
          credentials,
          {
            signal,
          },
        );
        await audit.success({
          meta: {
            applied: preview.applied,
            membersAdded: preview.added,
            membersRemoved: preview.removed,
            accessLevels: preview.accessLevels,
            etag: preview.etag,
          },
        });
        res.json(preview);
      } catch (error) {
        await audit.fail({ error: error as Error });
        if (error instanceof AccessChangedSinceError) {
          res.status(409).json({
            error: serializeError(error, { includeStack: false }),
            request: { method: req.method, url: req.originalUrl },
            response: { statusCode: 409 },
            preview: error.preview,
          });
          return;
        }
        throw error;
      }
    },
  );
}
