import { CloudRunServiceRef } from '../annotation';
import {
  IAP_ACCESSOR_ROLE,
  iapServiceAgentMember,
  lastSegment,
  RUN_INVOKER_ROLE,
} from '../google/resourceNames';
import { Grant, InvokerGrant } from '../report/types';

/*
 * gcloud commands with the real resource names, for the `fix` of findings.
 * Values are single-quoted for POSIX shells when they contain anything but
 * characters that are safe unquoted.
 */

const SAFE_UNQUOTED = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** Quotes a value for a POSIX shell when needed. */
export function shellQuote(value: string): string {
  return SAFE_UNQUOTED.test(value)
    ? value
    : `'${value.replace(/'/g, `'\\''`)}'`;
}

function flag(name: string, value: string): string {
  return `--${name}=${shellQuote(value)}`;
}

function runService(ref: CloudRunServiceRef): string {
  return `${shellQuote(ref.serviceId)} ${flag('region', ref.region)} ${flag(
    'project',
    ref.projectId,
  )}`;
}

/** Turns IAP on for the service. */
export function enableIapCommand(ref: CloudRunServiceRef): string {
  return `gcloud run services update ${runService(ref)} --iap`;
}

/** Turns the Cloud Run invoker IAM check back on. */
export function enableInvokerCheckCommand(ref: CloudRunServiceRef): string {
  return `gcloud run services update ${runService(ref)} --invoker-iam-check`;
}

/** Removes a member's `roles/run.invoker` on the service. */
export function removeRunInvokerCommand(
  ref: CloudRunServiceRef,
  member: string,
): string {
  return `gcloud run services remove-iam-policy-binding ${runService(
    ref,
  )} ${flag('member', member)} ${flag('role', RUN_INVOKER_ROLE)}`;
}

/** Removes a member's invoker binding (any role) where it lives: the service, project, folder or organization. */
export function removeInvokerGrantCommand(
  ref: CloudRunServiceRef,
  grant: InvokerGrant,
): string {
  const binding = `${flag('member', grant.member)} ${flag('role', grant.role)}${
    grant.conditional ? ' --all' : ''
  }`;
  switch (grant.level) {
    case 'service':
      return `gcloud run services remove-iam-policy-binding ${runService(
        ref,
      )} ${binding}`;
    case 'project':
      return `gcloud projects remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource) || ref.projectId,
      )} ${binding}`;
    case 'folder':
      return `gcloud resource-manager folders remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource),
      )} ${binding}`;
    case 'organization':
    default:
      return `gcloud organizations remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource),
      )} ${binding}`;
  }
}

/** Provisions the IAP service agent of the project. */
export function createIapServiceAgentCommand(ref: CloudRunServiceRef): string {
  return `gcloud beta services identity create --service=iap.googleapis.com ${flag(
    'project',
    ref.projectId,
  )}`;
}

/** Grants the IAP service agent `roles/run.invoker` on the service. */
export function grantIapAgentInvokerCommand(
  ref: CloudRunServiceRef,
  projectNumber: string,
): string {
  return `gcloud run services add-iam-policy-binding ${runService(ref)} ${flag(
    'member',
    iapServiceAgentMember(projectNumber),
  )} ${flag('role', RUN_INVOKER_ROLE)}`;
}

function conditionFlag(grant: Grant): string {
  // With a condition, `--all` removes the member's bindings of that role whatever their condition.
  return grant.condition ? '--all' : '--condition=None';
}

/** Removes a member's binding that gave it the grant, at the level where it lives. */
export function removeGrantCommand(
  ref: CloudRunServiceRef,
  grant: Grant,
  member: string,
): string {
  const binding = `${flag('member', member)} ${flag(
    'role',
    grant.role,
  )} ${conditionFlag(grant)}`;
  const project = flag('project', ref.projectId);
  switch (grant.level) {
    case 'service':
      return `gcloud iap web remove-iam-policy-binding --resource-type=cloud-run ${flag(
        'region',
        ref.region,
      )} ${flag('service', ref.serviceId)} ${binding} ${project}`;
    case 'region':
      return `gcloud iap web remove-iam-policy-binding --resource-type=cloud-run ${flag(
        'region',
        ref.region,
      )} ${binding} ${project}`;
    case 'project-iap':
      return `gcloud iap web remove-iam-policy-binding ${binding} ${project}`;
    case 'project':
      return `gcloud projects remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource),
      )} ${binding}`;
    case 'folder':
      return `gcloud resource-manager folders remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource),
      )} ${binding}`;
    case 'organization':
    default:
      return `gcloud organizations remove-iam-policy-binding ${shellQuote(
        lastSegment(grant.resource),
      )} ${binding}`;
  }
}

/** Grants a member access on the service's IAP resource, restricted by an access level. */
export function grantWithAccessLevelCommand(
  ref: CloudRunServiceRef,
  member: string,
  levelName: string,
): string {
  const condition = `expression="${levelName}" in request.auth.access_levels,title=Requires ${lastSegment(
    levelName,
  )}`;
  return `gcloud iap web add-iam-policy-binding --resource-type=cloud-run ${flag(
    'region',
    ref.region,
  )} ${flag('service', ref.serviceId)} ${flag('member', member)} ${flag(
    'role',
    IAP_ACCESSOR_ROLE,
  )} ${flag('condition', condition)} ${flag('project', ref.projectId)}`;
}

/** Sets the runtime service account of the service. */
export function setServiceAccountCommand(
  ref: CloudRunServiceRef,
  email: string,
): string {
  return `gcloud run services update ${runService(ref)} ${flag(
    'service-account',
    email,
  )}`;
}

/** Shows the service's IAP settings. */
export function showIapSettingsCommand(ref: CloudRunServiceRef): string {
  return `gcloud iap settings get --resource-type=cloud-run ${flag(
    'region',
    ref.region,
  )} ${flag('service', ref.serviceId)} ${flag('project', ref.projectId)}`;
}

/** Adds the project to a perimeter and restricts Cloud Run in it. */
export function addToPerimeterCommand(
  perimeterName: string,
  projectNumber: string,
): string {
  const [, policy] = perimeterName.split('/');
  return `gcloud access-context-manager perimeters update ${shellQuote(
    lastSegment(perimeterName),
  )} ${flag('policy', policy ?? 'POLICY_NUMBER')} ${flag(
    'add-resources',
    `projects/${projectNumber}`,
  )} --add-restricted-services=run.googleapis.com`;
}

/** Enforces a perimeter's dry-run configuration. */
export function enforceDryRunPerimeterCommand(perimeterName: string): string {
  const [, policy] = perimeterName.split('/');
  return `gcloud access-context-manager perimeters dry-run enforce ${shellQuote(
    lastSegment(perimeterName),
  )} ${flag('policy', policy ?? 'POLICY_NUMBER')}`;
}
