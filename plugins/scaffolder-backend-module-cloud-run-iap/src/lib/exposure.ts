import {
  IamBinding,
  isPublicMember,
  RUN_INVOKER_ROLE,
} from '@internal-apps/plugin-cloud-run-iap-common';
import type { RunService } from '@internal-apps/plugin-cloud-run-iap-node';
import type { ServiceTarget } from './validation';

/** Predefined and basic roles that carry `run.routes.invoke`: each lets its holders call the service. */
export const INVOKER_ROLES = [
  RUN_INVOKER_ROLE,
  'roles/run.servicesInvoker',
  'roles/run.developer',
  'roles/run.admin',
  'roles/editor',
  'roles/owner',
] as const;

/** `allUsers (roles/run.invoker)` for every public member holding an invoker role. */
export function publicInvokerGrants(bindings: readonly IamBinding[]): string[] {
  return bindings
    .filter(b => (INVOKER_ROLES as readonly string[]).includes(b.role ?? ''))
    .flatMap(b =>
      (b.members ?? []).filter(isPublicMember).map(m => `${m} (${b.role})`),
    );
}

/**
 * Why turning IAP off would make the service public, or undefined: with the invoker check
 * disabled anyone on the internet reaches it, and so they do when a public member holds an
 * invoker role.
 */
export function exposureWithoutIap(
  service: RunService,
  runBindings: readonly IamBinding[],
  target: ServiceTarget,
): string | undefined {
  const problems: string[] = [];
  const fixes: string[] = [];
  if (service.invokerIamDisabled) {
    problems.push(
      'the invoker IAM check is disabled (invokerIamDisabled), so Cloud Run would let every request through',
    );
    fixes.push(
      `gcloud run services update ${target.serviceId} --project=${target.projectId} --region=${target.region} --invoker-iam-check`,
    );
  }
  const grants = publicInvokerGrants(runBindings);
  if (grants.length > 0) {
    problems.push(
      `${grants.join(', ')} may invoke it, so anyone${
        grants.every(g => g.startsWith('allAuthenticatedUsers'))
          ? ' with a Google account'
          : ' on the internet'
      } could reach it`,
    );
    fixes.push(
      `remove those members from the service's IAM policy (gcloud run services remove-iam-policy-binding ${target.serviceId} --project=${target.projectId} --region=${target.region} --member=<member> --role=<role>)`,
    );
  }
  if (problems.length === 0) return undefined;
  return `iapEnabled: false would make ${target.name} public: ${problems.join(
    '; and ',
  )}. Fix that first (${fixes.join('; ')}), then turn IAP off; or keep IAP on.`;
}
