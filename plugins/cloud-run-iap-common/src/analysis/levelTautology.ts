import ipaddr from 'ipaddr.js';
import { ResolvedAccessLevel } from '../report/types';
import { parseConditionFormula } from './celFormula';
import { evaluateFormula } from './formula';

/** The 249 officially assigned ISO 3166-1 alpha-2 codes. */
const ISO_3166_ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

const ALL_REGIONS = ISO_3166_ALPHA2.split(' ');

/** Whether the ranges include every IPv4 address and every IPv6 address (`0.0.0.0/0` and `::/0`). */
export function coversEveryAddress(ranges: readonly string[]): boolean {
  const everything = (kind: 'ipv4' | 'ipv6') =>
    ranges.some(range => {
      try {
        const [address, bits] = ipaddr.parseCIDR(range);
        return address.kind() === kind && bits === 0;
      } catch {
        return false;
      }
    });
  return everything('ipv4') && everything('ipv6');
}

/** Whether the region codes include every ISO 3166-1 alpha-2 code. */
export function coversEveryRegion(regions: readonly string[]): boolean {
  const listed = new Set(regions.map(region => region.toUpperCase()));
  return ALL_REGIONS.every(code => listed.has(code));
}

type LevelConditions = NonNullable<ResolvedAccessLevel['conditions']>;

/**
 * Why an access level always holds, or undefined when it may not. A basic condition always holds
 * when it is not negated, has at least one field, and each of its fields always holds: IP ranges
 * with `0.0.0.0/0` and `::/0`, every region, required levels that always hold. Members, device
 * policies and VPC sources are never taken as always holding. A custom level always holds when its
 * expression is `true` (or folds to it).
 */
function tautologyReason(
  level: ResolvedAccessLevel,
  byName: ReadonlyMap<string, ResolvedAccessLevel>,
  stack: readonly string[],
): string | undefined {
  if (stack.includes(level.name)) {
    return undefined;
  }
  if (level.kind === 'custom' && level.customExpression !== undefined) {
    const parsed = parseConditionFormula(level.customExpression);
    if (
      parsed.ok &&
      evaluateFormula(parsed.formula, {
        level: () => 'unknown',
        other: () => 'unknown',
      }) === true
    ) {
      return `its custom expression \`${level.customExpression.trim()}\` is always true`;
    }
    return undefined;
  }
  const conditions: LevelConditions = level.conditions ?? [];
  if (level.kind !== 'basic' || conditions.length === 0) {
    return undefined;
  }
  const inner = [...stack, level.name];
  const conditionReason = (
    condition: LevelConditions[number],
  ): string | undefined => {
    if (
      condition.negate ||
      condition.members.length > 0 ||
      condition.devicePolicy ||
      condition.vpcNetworkSources > 0
    ) {
      return undefined;
    }
    const reasons: string[] = [];
    if (condition.ipSubnetworks.length > 0) {
      if (!coversEveryAddress(condition.ipSubnetworks)) {
        return undefined;
      }
      reasons.push('its IP ranges include 0.0.0.0/0 and ::/0');
    }
    if (condition.regions.length > 0) {
      if (!coversEveryRegion(condition.regions)) {
        return undefined;
      }
      reasons.push('it lists every region');
    }
    for (const required of condition.requiredAccessLevels) {
      const requiredLevel = byName.get(required);
      const why = requiredLevel
        ? tautologyReason(requiredLevel, byName, inner)
        : undefined;
      if (!why) {
        return undefined;
      }
      reasons.push(`required level ${requiredLevel!.shortName} always holds`);
    }
    return reasons.length > 0 ? reasons.join(', ') : undefined;
  };
  const reasons = conditions.map(conditionReason);
  if (level.combiningFunction === 'OR') {
    return reasons.find(reason => reason !== undefined);
  }
  return reasons.every(reason => reason !== undefined)
    ? [...new Set(reasons)].join('; ')
    : undefined;
}

/** Marks the resolved levels whose conditions always hold (`restrictsNothing` with the reason). */
export function markLevelsRestrictingNothing(
  levels: ResolvedAccessLevel[],
): ResolvedAccessLevel[] {
  const byName = new Map(levels.map(level => [level.name, level]));
  return levels.map(level => {
    const reason = tautologyReason(level, byName, []);
    return reason
      ? { ...level, restrictsNothing: true, restrictsNothingReason: reason }
      : level;
  });
}
