import { createHash } from 'node:crypto';
import { GoogleApiError, permissionDenied } from '../errors';
import { path, Route } from '../http/routes';

/** The `gcp-sa-*` suffix of a Google service's primary agent. */
function agentDomain(service: string): string {
  return `gcp-sa-${service.split('.')[0]}`;
}

function uniqueId(email: string): string {
  const digits = BigInt(
    `0x${createHash('sha256').update(email).digest('hex').slice(0, 16)}`,
  )
    .toString()
    .padStart(20, '0');
  return `1${digits}`.slice(0, 21);
}

/** Service Usage API v1beta1: service identities (service agents). */
export const serviceUsageRoutes: Route[] = [
  {
    httpMethod: 'POST',
    pattern: path('/v1beta1/projects/{}/services/{}:generateServiceIdentity'),
    methodId: 'serviceusage.services.generateServiceIdentity',
    write: true,
    handle(ctx) {
      const [projectSegment, service] = ctx.params;
      const project = ctx.world.findProject(projectSegment);
      if (!project) {
        throw permissionDenied(
          'serviceusage.services.use',
          `//serviceusage.googleapis.com/projects/${projectSegment}/services/${service}`,
          'serviceusage.googleapis.com',
        );
      }
      const email = `service-${project.number}@${agentDomain(
        service,
      )}.iam.gserviceaccount.com`;
      if (service === 'iap.googleapis.com') {
        project.iapAgent.generated = true;
      }
      return {
        name: 'operations/finished.DONE_OPERATION',
        done: true,
        response: {
          '@type':
            'type.googleapis.com/google.api.serviceusage.v1beta1.ServiceIdentity',
          email,
          uniqueId: uniqueId(email),
        },
      };
    },
  },
  {
    httpMethod: 'GET',
    pattern: path('/v1beta1/operations/{}'),
    methodId: 'serviceusage.operations.get',
    handle(ctx) {
      // Google answers polls of its pre-finished operations with 400; clients skip polling when done.
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Operation operations/${ctx.params[0]} cannot be polled: it finished when it was returned.`,
      );
    },
  },
];
