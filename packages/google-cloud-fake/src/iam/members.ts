import { GoogleApiError } from '../errors';

const email = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const domain = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const workforcePrincipal =
  /^principal(Set)?:\/\/iam\.googleapis\.com\/(locations\/global\/workforcePools|projects\/[0-9]+\/locations\/global\/workloadIdentityPools)\/[^\s]+$/;

/** Throws Google's 400 for a member string IAM would not accept. */
export function validateMember(member: string): void {
  if (typeof member !== 'string') {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      'Policy members must be of the form "<type>:<value>".',
    );
  }
  if (member === 'allUsers' || member === 'allAuthenticatedUsers') return;
  if (
    member.startsWith('principal://') ||
    member.startsWith('principalSet://')
  ) {
    if (workforcePrincipal.test(member)) return;
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid principal identifier: ${member}.`,
    );
  }
  const colon = member.indexOf(':');
  if (colon <= 0) {
    throw new GoogleApiError(
      'INVALID_ARGUMENT',
      'Policy members must be of the form "<type>:<value>".',
    );
  }
  const type = member.slice(0, colon);
  const value = member.slice(colon + 1);
  switch (type) {
    case 'user':
    case 'group':
    case 'serviceAccount':
      if (email.test(value)) return;
      break;
    case 'domain':
      if (domain.test(value)) return;
      break;
    case 'deleted': {
      const inner = value.replace(/\?uid=[0-9]+$/, '');
      if (/^(user|group|serviceAccount):/.test(inner)) return;
      break;
    }
    case 'projectOwner':
    case 'projectEditor':
    case 'projectViewer':
      if (value.length > 0) return;
      break;
    default:
      throw new GoogleApiError(
        'INVALID_ARGUMENT',
        `Invalid member type "${type}" in "${member}". Policy members must be of the form "<type>:<value>".`,
      );
  }
  throw new GoogleApiError('INVALID_ARGUMENT', `Invalid member: ${member}.`);
}

/** The DNS domain a member belongs to, when it has one. */
export function memberDomain(member: string): string | undefined {
  const colon = member.indexOf(':');
  const type = member.slice(0, colon);
  const value = member.slice(colon + 1);
  if (type === 'domain') return value.toLowerCase();
  if (type === 'user' || type === 'group' || type === 'serviceAccount') {
    return value.slice(value.lastIndexOf('@') + 1).toLowerCase();
  }
  return undefined;
}

/**
 * Members a domain restricted sharing policy (`constraints/iam.allowedPolicyMemberDomains`)
 * refuses. Service accounts pass (Google exempts service agents and project service
 * accounts); public members never pass.
 */
export function membersOutsideDomains(
  members: string[],
  allowedDomains: string[],
): string[] {
  const allowed = new Set(allowedDomains.map(d => d.toLowerCase()));
  return members.filter(m => {
    if (m === 'allUsers' || m === 'allAuthenticatedUsers') return true;
    if (m.startsWith('serviceAccount:') || m.startsWith('principal'))
      return false;
    if (m.startsWith('deleted:')) return false;
    const d = memberDomain(m);
    return d !== undefined && !allowed.has(d);
  });
}

/** Google's refusal for domain restricted sharing. Cloud Run's text has two spaces after the comma. */
export function domainRestrictedSharingError(
  outsiders: string[],
  projectId: string,
  variant: 'run' | 'crm',
): GoogleApiError {
  const message =
    variant === 'run'
      ? 'One or more users named in the policy do not belong to a permitted customer,  perhaps due to an organization policy.'
      : 'One or more users named in the policy do not belong to a permitted customer.';
  return new GoogleApiError('FAILED_PRECONDITION', message, [
    {
      '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
      violations: outsiders.map(member => {
        const value = member.slice(member.indexOf(':') + 1);
        return {
          type: 'constraints/iam.allowedPolicyMemberDomains',
          subject: `orgpolicy:projects/${projectId}?configvalue=${value}`,
          description: `User ${value} is not in permitted organization.`,
        };
      }),
    },
  ]);
}
