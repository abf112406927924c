import {
  Accessor,
  Grant,
  IAP_ACCESSOR_ROLE,
  MANAGED_CONDITION_TITLE,
  ServiceAccessReport,
  TIME_BOUND_CONDITION_TITLE,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** How the portal may change one accessor of a service. */
export interface AccessorControl {
  member: string;
  /** In the managed grant: the portal can remove it. */
  removable: boolean;
  /** Ends of the member's time-bound grants (approved requests), which expire by themselves. */
  expiresAt: string[];
  /** The grants the portal does not edit, each with where to change it. */
  unmanaged: Array<{ grant: string; howToChange: string }>;
}

const isServiceAccessorGrant = (grant: Grant) =>
  grant.level === 'service' && grant.role === IAP_ACCESSOR_ROLE;

/**
 * The managed grant is the accessor binding on the service titled {@link MANAGED_CONDITION_TITLE}
 * or, when the service has none, its unconditional accessor binding (the actions' rule, in
 * `-common`'s managedBindings); time-bound grants of approved requests are managed too.
 */
export function accessorControls(
  service: ServiceAccessReport,
): AccessorControl[] {
  const hasTitled = service.accessors.some(a =>
    a.grants.some(
      g =>
        isServiceAccessorGrant(g) &&
        g.condition?.title === MANAGED_CONDITION_TITLE,
    ),
  );
  const isManaged = (grant: Grant) =>
    isServiceAccessorGrant(grant) &&
    (hasTitled
      ? grant.condition?.title === MANAGED_CONDITION_TITLE
      : !grant.condition);
  const isTimeBound = (grant: Grant) =>
    isServiceAccessorGrant(grant) &&
    grant.condition?.title === TIME_BOUND_CONDITION_TITLE;
  return service.accessors.map((accessor: Accessor) => ({
    member: accessor.member,
    removable: accessor.grants.some(isManaged),
    expiresAt: accessor.grants
      .filter(isTimeBound)
      .flatMap(g => (g.expiresAt ? [g.expiresAt] : [])),
    unmanaged: accessor.grants
      .filter(g => !isManaged(g) && !isTimeBound(g))
      .map(g => ({
        grant: grantText(g),
        howToChange: howToChange(g),
      })),
  }));
}

function grantText(grant: Grant): string {
  const condition = grant.condition
    ? ` with condition "${grant.condition.title ?? grant.condition.expression}"`
    : '';
  return `${grant.role} on ${grant.resource}${condition}`;
}

function howToChange(grant: Grant): string {
  switch (grant.level) {
    case 'service':
      return 'Made outside the portal on this service: change it in the Google Cloud console (Security, Identity-Aware Proxy) or with gcloud iap web remove-iam-policy-binding.';
    case 'region':
    case 'project-iap':
      return `Inherited from ${grant.resource}, which reaches every app there: change it on that resource (gcloud iap web remove-iam-policy-binding).`;
    default:
      return `Inherited from the IAM policy of ${grant.resource}: change it there (gcloud projects|folders|organizations remove-iam-policy-binding).`;
  }
}
