import { lastSegment } from '../google/resourceNames';
import {
  Accessor,
  AccessorSimulation,
  AccessLevelConditionSummary,
  Grant,
  PersonAccess,
  ResolvedAccessLevel,
  ServiceAccessReport,
  ServiceSimulation,
  SimulationDecision,
  SimulationRequest,
  SimulationResult,
} from '../report/types';
import { parseConditionFormula } from './celFormula';
import {
  evaluateAtTime,
  evaluateFormula,
  Formula,
  TimeBound,
  Tri,
  triAnd,
  triNot,
  triOr,
} from './formula';
import { classifyMember, memberKey } from './members';
import { domainMaySignIn } from './iapSettings';
import { ipInCidr, isValidIp } from './network';
import { isNonPublicIp } from './reachability';

/*
 * What IAP would decide for a request context, per accessor. Basic access
 * levels are evaluated (IP ranges, regions, members, negate, combining
 * function, required levels); device policies, VPC sources and custom CEL
 * levels cannot be decided from the request fields and give `unknown`, as
 * does any attribute the request does not provide. Three-valued (Kleene)
 * logic keeps a definite answer whenever the known parts settle it.
 */

interface Context {
  ip?: string;
  region?: string;
  /** The identity making the request, when known. */
  member?: string;
  levels: ReadonlyMap<string, ResolvedAccessLevel>;
  /** The request time (ms since the epoch), for `request.time` bounds. */
  now: number;
}

interface Evaluation {
  value: Tri;
  reasons: string[];
}

function word(value: Tri): string {
  return value === 'unknown' ? 'unknown' : String(value);
}

function anyOf(values: Array<boolean | undefined>): Tri {
  if (values.includes(true)) {
    return true;
  }
  return values.includes(undefined) ? 'unknown' : false;
}

function evaluateCondition(
  condition: AccessLevelConditionSummary,
  context: Context,
  stack: string[],
): Evaluation {
  const parts: Tri[] = [];
  const reasons: string[] = [];
  const { ip, region, member } = context;
  if (condition.ipSubnetworks.length > 0) {
    const subnets = condition.ipSubnetworks.join(', ');
    if (ip === undefined) {
      parts.push('unknown');
      reasons.push(`needs an IP (in ${subnets}); none given`);
    } else {
      const value = anyOf(condition.ipSubnetworks.map(c => ipInCidr(ip, c)));
      parts.push(value);
      reasons.push(
        value === 'unknown'
          ? `IP ${ip} or one of ${subnets} could not be parsed`
          : `IP ${ip} ${value ? 'is' : 'is not'} in ${subnets}`,
      );
    }
  }
  if (condition.regions.length > 0) {
    const regions = condition.regions.join(', ');
    if (region === undefined) {
      parts.push('unknown');
      reasons.push(`needs a region (one of ${regions}); none given`);
    } else {
      const value = condition.regions.some(
        r => r.toUpperCase() === region.toUpperCase(),
      );
      parts.push(value);
      reasons.push(`region ${region} ${value ? 'is' : 'is not'} in ${regions}`);
    }
  }
  if (condition.members.length > 0) {
    if (member === undefined) {
      parts.push('unknown');
      reasons.push('needs the requesting member; not known');
    } else {
      const value = condition.members.some(
        m => memberKey(m) === memberKey(member),
      );
      parts.push(value);
      reasons.push(
        `${member} ${value ? 'is' : 'is not'} among the level's members`,
      );
    }
  }
  for (const required of condition.requiredAccessLevels) {
    const evaluation = evaluateLevel(required, context, stack);
    parts.push(evaluation.value);
    reasons.push(...evaluation.reasons);
  }
  if (condition.devicePolicy) {
    parts.push('unknown');
    reasons.push(
      `device policy (${condition.devicePolicy.join(
        ', ',
      )}) cannot be simulated`,
    );
  }
  if (condition.vpcNetworkSources > 0) {
    parts.push('unknown');
    reasons.push('VPC network sources cannot be simulated');
  }
  const met = triAnd(parts);
  return {
    value: condition.negate ? triNot(met) : met,
    reasons: condition.negate
      ? [...reasons, `negate: condition is ${word(triNot(met))}`]
      : reasons,
  };
}

function evaluateLevel(
  name: string,
  context: Context,
  stack: string[],
): Evaluation {
  const shortName = lastSegment(name);
  const level = context.levels.get(name);
  const result = (value: Tri, why: string): Evaluation => ({
    value,
    reasons: [`access level ${shortName} is ${word(value)}: ${why}`],
  });
  if (stack.includes(name)) {
    return result(
      'unknown',
      `required levels form a cycle (${[...stack, name]
        .map(lastSegment)
        .join(' -> ')})`,
    );
  }
  if (!level || level.status === 'unresolved') {
    return result('unknown', 'the level could not be read');
  }
  if (level.status === 'missing') {
    return result(false, 'the level does not exist, so it never matches');
  }
  if (level.status === 'scoped-policy') {
    return result(
      'unknown',
      'it belongs to a scoped access policy, which IAP does not support',
    );
  }
  if (level.kind === 'custom') {
    return result('unknown', 'custom (CEL) levels cannot be simulated');
  }
  if (!level.conditions || level.conditions.length === 0) {
    return result('unknown', 'the level has no basic conditions');
  }
  const inner = [...stack, name];
  const conditions = level.conditions.map(c =>
    evaluateCondition(c, context, inner),
  );
  const values = conditions.map(c => c.value);
  const value =
    level.combiningFunction === 'OR' ? triOr(values) : triAnd(values);
  return {
    value,
    reasons: [
      `access level ${shortName} is ${word(value)} (${
        level.combiningFunction ?? 'AND'
      } of ${conditions.length} condition${
        conditions.length === 1 ? '' : 's'
      }): ${conditions.flatMap(c => c.reasons).join('; ')}`,
    ],
  };
}

const GRANT_LABELS: Record<Grant['level'], string> = {
  service: 'service grant',
  region: 'region-wide grant',
  'project-iap': 'project-wide IAP grant',
  project: 'project IAM grant',
  folder: 'folder IAM grant',
  organization: 'organization IAM grant',
};

function evaluateGrant(grant: Grant, context: Context): Evaluation {
  const label = `${GRANT_LABELS[grant.level]} (${grant.resource})`;
  if (grant.expired) {
    return {
      value: false,
      reasons: [`${label}: expired at ${grant.expiresAt}, gives no access`],
    };
  }
  if (!grant.condition) {
    return { value: true, reasons: [`${label}: unconditional`] };
  }
  const parsed = parseConditionFormula(grant.condition.expression);
  if (!parsed.ok) {
    return {
      value: 'unknown',
      reasons: [`${label}: condition not understood (${parsed.reason})`],
    };
  }
  const details: string[] = [];
  const bounds = timeBoundsByText(parsed.formula);
  const value = evaluateFormula(parsed.formula, {
    level: name => {
      const evaluation = evaluateLevel(name, context, []);
      details.push(...evaluation.reasons);
      return evaluation.value;
    },
    other: text => {
      const bound = bounds.get(text);
      if (bound) {
        const holds = evaluateAtTime(
          {
            kind: 'other',
            text,
            attributes: [],
            negated: false,
            timeBound: bound,
          },
          context.now,
        );
        details.push(
          `\`${text}\` is ${word(holds)} at ${new Date(
            context.now,
          ).toISOString()}`,
        );
        return holds;
      }
      details.push(`\`${text}\` cannot be simulated`);
      return 'unknown';
    },
  });
  return {
    value,
    reasons: [
      `${label}: condition is ${word(value)}`,
      ...[...new Set(details)].map(detail => `  ${detail}`),
    ],
  };
}

function timeBoundsByText(formula: Formula): Map<string, TimeBound> {
  const bounds = new Map<string, TimeBound>();
  const walk = (f: Formula) => {
    if (f.kind === 'other' && f.timeBound) {
      bounds.set(f.text, f.timeBound);
    } else if (f.kind === 'and' || f.kind === 'or') {
      f.args.forEach(walk);
    }
  };
  walk(formula);
  return bounds;
}

function decision(value: Tri): SimulationDecision {
  if (value === 'unknown') {
    return 'unknown';
  }
  return value ? 'allow' : 'deny';
}

/** How an accessor relates to the requesting member: itself, a group, domain or public member that contains it, or a group it may be in. */
export type MemberRelation = 'self' | 'contains' | 'maybe';
type Relation = MemberRelation;

function relation(
  accessor: Accessor,
  member: string,
  person: PersonAccess | undefined,
): Relation | undefined {
  if (memberKey(accessor.member) === memberKey(member)) {
    return 'self';
  }
  if (accessor.kind === 'group' && accessor.group?.expanded) {
    if (
      person?.paths.some(
        path => memberKey(path.through) === memberKey(accessor.member),
      )
    ) {
      return 'contains';
    }
    return accessor.group.truncated ? 'maybe' : undefined;
  }
  const requester = classifyMember(member);
  switch (accessor.kind) {
    case 'public':
      return 'contains';
    case 'domain':
      return requester.kind === 'user' &&
        requester.domain === classifyMember(accessor.member).domain
        ? 'contains'
        : undefined;
    case 'group':
      return 'maybe';
    default:
      return undefined;
  }
}

function simulateAccessor(
  accessor: Accessor,
  request: SimulationRequest,
  levels: ReadonlyMap<string, ResolvedAccessLevel>,
  person: PersonAccess | undefined,
  now: number,
): AccessorSimulation | undefined {
  const related = request.member
    ? relation(accessor, request.member, person)
    : undefined;
  if (accessor.deleted || (request.member && !related)) {
    return undefined;
  }
  const identity =
    request.member ??
    (accessor.kind === 'user' || accessor.kind === 'serviceAccount'
      ? accessor.member
      : undefined);
  const context: Context = {
    ip: request.ip,
    region: request.region,
    member: identity,
    levels,
    now,
  };
  const grants = accessor.grants.map(grant => evaluateGrant(grant, context));
  let value = triOr(grants.map(grant => grant.value));
  const reasons = grants.flatMap(grant => grant.reasons);
  if (related === 'maybe' && value === true) {
    value = 'unknown';
    reasons.push(
      `whether ${request.member} is a member of ${accessor.member} is not known`,
    );
  }
  return {
    member: accessor.member,
    kind: accessor.kind,
    decision: decision(value),
    reasons,
  };
}

function simulateService(
  service: ServiceAccessReport,
  request: SimulationRequest,
  now: number,
): ServiceSimulation {
  const levels = new Map(service.accessLevels.map(l => [l.name, l]));
  const person = request.member
    ? service.people?.find(
        p => memberKey(p.member) === memberKey(request.member!),
      )
    : undefined;
  const signInBlock = request.member
    ? signInRefusal(service, request.member, person)
    : undefined;
  const accessors = service.accessors
    .map(accessor => simulateAccessor(accessor, request, levels, person, now))
    .filter((a): a is AccessorSimulation => a !== undefined)
    .map(simulation =>
      signInBlock && simulation.decision !== 'deny'
        ? {
            ...simulation,
            decision: 'deny' as const,
            reasons: [...simulation.reasons, signInBlock],
          }
        : simulation,
    );
  const notes: string[] = [];
  const reachability = reachabilityFor(service, request);
  if (!service.iapEnabled) {
    notes.push(
      'IAP is off on this service: these are the decisions IAP would make if it were on.',
    );
  }
  if (request.member && accessors.length === 0) {
    notes.push(
      `${request.member} holds no grant on this service: IAP denies it.`,
    );
  }
  if (signInBlock) {
    notes.push(signInBlock);
  }
  if (request.ip && isNonPublicIp(request.ip)) {
    notes.push(
      `${request.ip} is a private (or otherwise non-public) address: Access Context Manager refuses private ranges in access levels, so such a request never matches an IP condition. IAP sees the public address the request comes from (for example a NAT gateway).`,
    );
  }
  if (reachability && reachability.reachable !== true) {
    notes.push(reachability.reason);
  }
  return {
    resourceName: service.resourceName,
    iapEnabled: service.iapEnabled,
    accessors,
    notes,
    ...(reachability ? { reachability } : {}),
  };
}

/** One grant that can apply to a member, simulated for a request context. */
export interface MemberGrantEvaluation {
  accessor: Accessor;
  relation: MemberRelation;
  grant: Grant;
  decision: SimulationDecision;
  reasons: string[];
}

/** What IAP would make of one member's request to one service, grant by grant. */
export interface MemberEvaluation {
  /** Every grant of every accessor that can match the member, deleted accessors left out. */
  grants: MemberGrantEvaluation[];
  /** Why IAP would refuse the member at sign-in, if it would. */
  signInRefusal?: string;
}

/**
 * The grant-by-grant view of {@link simulateAccess} for one member (the self-check): the same
 * relations, condition evaluation and sign-in rules.
 */
export function evaluateMemberAccess(
  service: ServiceAccessReport,
  request: SimulationRequest & { member: string },
  options: { now?: number } = {},
): MemberEvaluation {
  const now = options.now ?? Date.now();
  const levels = new Map(service.accessLevels.map(l => [l.name, l]));
  const person = service.people?.find(
    p => memberKey(p.member) === memberKey(request.member),
  );
  const context: Context = {
    ip: request.ip,
    region: request.region,
    member: request.member,
    levels,
    now,
  };
  const grants: MemberGrantEvaluation[] = [];
  for (const accessor of service.accessors) {
    const related = relation(accessor, request.member, person);
    if (accessor.deleted || !related) continue;
    for (const grant of accessor.grants) {
      const evaluation = evaluateGrant(grant, context);
      grants.push({
        accessor,
        relation: related,
        grant,
        decision: decision(evaluation.value),
        reasons: evaluation.reasons,
      });
    }
  }
  const refusal = signInRefusal(service, request.member, person);
  return { grants, ...(refusal ? { signInRefusal: refusal } : {}) };
}

/** Why IAP would refuse the member at sign-in (allowed domains, Google-managed OAuth client), if it would. */
function signInRefusal(
  service: ServiceAccessReport,
  member: string,
  person: PersonAccess | undefined,
): string | undefined {
  const info = classifyMember(member);
  if (info.kind !== 'user' || !info.email) {
    return undefined;
  }
  const settings = service.iapSettings;
  if (
    settings.allowedDomains?.enabled &&
    !domainMaySignIn(settings, info.email)
  ) {
    return `IAP's allowed domains (${settings.allowedDomains.domains.join(
      ', ',
    )}) do not include ${info.domain}: ${member} cannot sign in.`;
  }
  const inOrganization =
    person?.inOrganization ??
    service.accessors.find(a => memberKey(a.member) === memberKey(member))
      ?.inOrganization;
  if (inOrganization === false && settings.externalSignIn === 'blocked') {
    return `${member} is outside the organization and IAP uses the Google-managed OAuth client, which admits only identities of the organization: it cannot sign in.`;
  }
  return undefined;
}

function reachabilityFor(
  service: ServiceAccessReport,
  request: SimulationRequest,
): ServiceSimulation['reachability'] {
  const reach = service.reachability;
  if (!reach || !request.ip || !isValidIp(request.ip)) {
    return undefined;
  }
  if (isNonPublicIp(request.ip)) {
    return reach.fromInternet === 'direct'
      ? { reachable: true, reason: reach.reason }
      : {
          reachable: 'unknown',
          reason: `${request.ip} is not a public address: whether it reaches the service depends on the VPC network it comes from. ${reach.reason}`,
        };
  }
  if (reach.fromInternet === 'direct') {
    return { reachable: true, reason: reach.reason };
  }
  return {
    reachable: false,
    reason: `Not reachable from the internet at ${request.ip}${
      reach.fromInternet === 'load-balancer-only'
        ? ' (only through a load balancer or custom domain)'
        : ''
    }: ${reach.reason}`,
  };
}

/**
 * Simulates, for each accessor of each service, whether IAP would admit a request from the given
 * IP, region and member at `options.now` (default: the current time; `request.time` bounds are
 * evaluated against it): `allow` when some grant certainly admits it, `deny` when every grant
 * certainly rejects it, `unknown` otherwise, with the reasons. With a member, only accessors that
 * can match it are simulated (itself, groups, its domain, public members). Validate the request
 * first with {@link validateSimulationRequest}; invalid fields only make results unknown.
 */
export function simulateAccess(
  report: { services: ServiceAccessReport[] },
  request: SimulationRequest,
  options: { now?: number } = {},
): SimulationResult {
  const now = options.now ?? Date.now();
  return {
    request,
    services: report.services.map(service =>
      simulateService(service, request, now),
    ),
  };
}
