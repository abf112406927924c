import { UnavailableService } from '../api/types';
import {
  GrantLevel,
  ServiceAccessReport,
  SimulationRequest,
} from '../report/types';
import { classifyMember } from './members';
import { MemberGrantEvaluation, evaluateMemberAccess } from './simulate';

/*
 * "Why can't I get in?": the simulation of one member (the caller) against each service, told
 * as a verdict, the grant that lets them in, or what is missing. It speaks only about that
 * member: groups they are not in are counted, never named, and no other accessor is listed.
 */

/** The request context of a self-check: `POST .../access/self-check` body. */
export type SelfCheckRequest = Pick<SimulationRequest, 'ip' | 'region'>;

/** Whether the member gets in: `allowed-if-context` when a grant needs context the request does not tell. */
export type SelfCheckVerdict =
  | 'allowed'
  | 'allowed-if-context'
  | 'denied'
  | 'unknown';

/** What keeps the member out. */
export type SelfCheckMissingReason =
  | 'iap-off'
  | 'no-grant'
  | 'not-in-group'
  | 'access-level'
  | 'domain-cannot-sign-in'
  | 'grant-expired'
  | 'unknown';

/** One thing that keeps the member out, in words. */
export interface SelfCheckMissing {
  reason: SelfCheckMissingReason;
  message: string;
}

/** The grant the member gets in through. */
export interface SelfCheckGrant {
  /** The grant in words: level, role, member it names and resource. */
  grant: string;
  level: GrantLevel;
  resource: string;
  /** The group (the member is in it) that the grant names. */
  viaGroup?: string;
  /** The grant gives nothing from this time on. */
  expiresAt?: string;
}

/** The self-check of one service. */
export interface ServiceSelfCheck {
  /** The service's full name, as in the annotation. */
  service: string;
  verdict: SelfCheckVerdict;
  through?: SelfCheckGrant;
  missing: SelfCheckMissing[];
  /** Asking the owners for access could help: IAP is on, the member may sign in and is of the organization. */
  canRequest: boolean;
}

/** The answer of a self-check. */
export interface SelfCheckResult {
  /** The member checked: `user:` and the caller's email. */
  member: string;
  services: ServiceSelfCheck[];
}

const GRANT_LEVEL_WORDS: Record<GrantLevel, string> = {
  service: 'service grant',
  region: 'region-wide grant',
  'project-iap': 'project-wide IAP grant',
  project: 'project IAM grant',
  folder: 'folder IAM grant',
  organization: 'organization IAM grant',
};

function describeGrant(evaluation: MemberGrantEvaluation, member: string) {
  const { grant, accessor } = evaluation;
  const to = evaluation.relation === 'self' ? member : accessor.member;
  return `${GRANT_LEVEL_WORDS[grant.level]} of ${grant.role} to ${to} on ${
    grant.resource
  }`;
}

function through(
  evaluation: MemberGrantEvaluation,
  member: string,
): SelfCheckGrant {
  const { grant, accessor } = evaluation;
  return {
    grant: describeGrant(evaluation, member),
    level: grant.level,
    resource: grant.resource,
    ...(accessor.kind === 'group' ? { viaGroup: accessor.member } : {}),
    ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}),
  };
}

/** Own grants first, then unconditional ones. */
function preferred(a: MemberGrantEvaluation, b: MemberGrantEvaluation) {
  const rank = (e: MemberGrantEvaluation) =>
    (e.relation === 'self' ? 0 : 2) + (e.grant.condition ? 1 : 0);
  return rank(a) - rank(b);
}

/** The grant, and why its condition does not (or may not) hold for this request. */
function conditionMessage(evaluation: MemberGrantEvaluation, member: string) {
  // The first reason repeats the grant; the others are the condition's parts.
  const details = evaluation.reasons.slice(1).map(r => r.trim());
  const holds =
    evaluation.decision === 'deny'
      ? 'does not hold for this request'
      : 'cannot be told from what the request says';
  return `The condition of the ${describeGrant(evaluation, member)} ${holds}${
    details.length > 0 ? `: ${details.join('; ')}` : ''
  }.`;
}

function iapOff(service: ServiceAccessReport): ServiceSelfCheck {
  const open =
    service.invokerIamDisabled || service.runInvoker.publicMembers.length > 0;
  return {
    service: service.resourceName,
    verdict: open ? 'allowed' : 'denied',
    missing: [
      {
        reason: 'iap-off',
        message: open
          ? 'IAP is off on this service and Cloud Run does not check who calls it (the invoker check is disabled or allUsers may invoke it): you get in, and so does anyone who reaches its URL. Ask the owners to turn IAP back on.'
          : 'IAP is off on this service, so nobody signs in through IAP: a browser cannot get in. The owners turn it on with `gcloud run services update SERVICE --region REGION --iap`.',
      },
    ],
    canRequest: false,
  };
}

function checkService(
  service: ServiceAccessReport,
  member: string,
  request: SelfCheckRequest,
  options: { now?: number; organizationDomains: readonly string[] },
): ServiceSelfCheck {
  if (!service.iapEnabled) return iapOff(service);
  const { grants, signInRefusal } = evaluateMemberAccess(
    service,
    { ...request, member },
    { now: options.now },
  );
  const result = (
    verdict: SelfCheckVerdict,
    missing: SelfCheckMissing[],
    grant?: MemberGrantEvaluation,
  ): ServiceSelfCheck => {
    const domain = classifyMember(member).domain;
    return {
      service: service.resourceName,
      verdict,
      ...(grant ? { through: through(grant, member) } : {}),
      missing: missing.filter(
        (m, i) => missing.findIndex(o => o.message === m.message) === i,
      ),
      canRequest:
        verdict !== 'allowed' &&
        !signInRefusal &&
        domain !== undefined &&
        options.organizationDomains.includes(domain),
    };
  };

  if (signInRefusal) {
    return result('denied', [
      { reason: 'domain-cannot-sign-in', message: signInRefusal },
    ]);
  }
  const certain = grants.filter(g => g.relation !== 'maybe').sort(preferred);
  const allowing = certain.find(g => g.decision === 'allow');
  if (allowing) return result('allowed', [], allowing);

  const undecided = certain.filter(g => g.decision === 'unknown');
  if (undecided.length > 0) {
    return result(
      'allowed-if-context',
      undecided.map(g => ({
        reason: 'access-level',
        message: conditionMessage(g, member),
      })),
      undecided[0],
    );
  }
  if (grants.some(g => g.relation === 'maybe' && g.decision !== 'deny')) {
    return result('unknown', [
      {
        reason: 'unknown',
        message:
          'A group that holds access could not be expanded, so whether you are in it cannot be told. Ask the owners, or request access.',
      },
    ]);
  }
  const missing: SelfCheckMissing[] = certain.map(g =>
    g.grant.expired
      ? {
          reason: 'grant-expired',
          message: `Your ${describeGrant(g, member)} expired at ${
            g.grant.expiresAt
          } and gives no access any more.`,
        }
      : { reason: 'access-level', message: conditionMessage(g, member) },
  );
  if (certain.length === 0) {
    const groupsNotIn = service.accessors.filter(
      a => a.kind === 'group' && !a.deleted && !a.expired,
    ).length;
    missing.push(
      groupsNotIn > 0
        ? {
            reason: 'not-in-group',
            message: `You hold no grant of your own, and you are in none of the ${groupsNotIn} group${
              groupsNotIn === 1 ? '' : 's'
            } that hold access to this service.`,
          }
        : {
            reason: 'no-grant',
            message:
              'You hold no grant on this service: none to you, to a group you are in, to your domain or to all users.',
          },
    );
  }
  return result('denied', missing);
}

function unavailable(service: UnavailableService): ServiceSelfCheck {
  return {
    service: service.resourceName,
    verdict: 'unknown',
    missing: [
      {
        reason: 'unknown',
        message: `The access of this service cannot be told: ${service.message}`,
      },
    ],
    canRequest: false,
  };
}

/**
 * Whether `member` gets into each service of a report from the given context, and through which
 * grant; otherwise what is missing. Built on {@link evaluateMemberAccess}, the simulation's
 * grant-by-grant view. Validate the request first with `validateSimulationRequest`.
 */
export function checkOwnAccess(
  report: {
    services: ServiceAccessReport[];
    unavailableServices?: UnavailableService[];
  },
  member: string,
  request: SelfCheckRequest,
  options: {
    now?: number;
    /** Members of these domains may request access (`cloudRunIap.organization.domains`). */
    organizationDomains: readonly string[];
  },
): SelfCheckResult {
  return {
    member,
    services: [
      ...report.services.map(service =>
        checkService(service, member, request, options),
      ),
      ...(report.unavailableServices ?? []).map(unavailable),
    ],
  };
}
