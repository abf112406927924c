import {
  AccessLevelConditionSummary,
  ResolvedAccessLevel,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { Text } from '@backstage/ui';

const STATUS_TEXT: Record<ResolvedAccessLevel['status'], string> = {
  valid: 'valid organization level',
  missing: 'does not exist: never matches',
  'scoped-policy': 'from a scoped policy: IAP ignores it',
  unresolved: 'could not be checked',
};

/** One line per condition part: IP ranges, regions, device rules, members, required levels. */
export function conditionLines(c: AccessLevelConditionSummary): string[] {
  const lines: string[] = [];
  if (c.ipSubnetworks.length) {
    lines.push(`IP ranges: ${c.ipSubnetworks.join(', ')}`);
  }
  if (c.regions.length) {
    lines.push(`Regions: ${c.regions.join(', ')}`);
  }
  if (c.devicePolicy?.length) {
    lines.push(`Device: ${c.devicePolicy.join('; ')}`);
  }
  if (c.members.length) {
    lines.push(`Members: ${c.members.join(', ')}`);
  }
  if (c.requiredAccessLevels.length) {
    lines.push(
      `Requires levels: ${c.requiredAccessLevels
        .map(l => l.split('/').pop())
        .join(', ')}`,
    );
  }
  if (c.vpcNetworkSources) {
    lines.push(`VPC network sources: ${c.vpcNetworkSources}`);
  }
  if (lines.length === 0) {
    lines.push('No attributes');
  }
  return c.negate ? lines.map(l => `NOT ${l}`) : lines;
}

/** A plain-text description of a level, for tooltips and screen readers. */
export function describeLevel(
  level: ResolvedAccessLevel | undefined,
  name: string,
) {
  if (!level) {
    return `${name.split('/').pop()}: not resolved`;
  }
  const parts = [
    `${level.title ?? level.shortName} (${STATUS_TEXT[level.status]})`,
  ];
  if (level.restrictsNothing) {
    parts.push(`restricts nothing: ${level.restrictsNothingReason}`);
  }
  if (level.kind === 'custom') {
    parts.push(`custom CEL: ${level.customExpression ?? 'not shown'}`);
  }
  level.conditions?.forEach(c => parts.push(conditionLines(c).join('; ')));
  return parts.join(' — ');
}

/** The resolved level with its conditions, as a small block of text. */
export function AccessLevelDetails(props: {
  name: string;
  level?: ResolvedAccessLevel;
}) {
  const { name, level } = props;
  const short = level?.shortName ?? name.split('/').pop();
  if (!level) {
    return (
      <Text as="p" variant="body-medium">
        <strong>{short}</strong>: not resolved
      </Text>
    );
  }
  const joiner = level.combiningFunction === 'OR' ? 'any of' : 'all of';
  return (
    <div>
      <Text as="p" variant="body-medium">
        <strong>{level.title ?? short}</strong> ({short}):{' '}
        {STATUS_TEXT[level.status]}
        {level.conditions && level.conditions.length > 1 && `, ${joiner}:`}
      </Text>
      {level.restrictsNothing && (
        <Text as="p" variant="body-medium" color="danger">
          Restricts nothing: {level.restrictsNothingReason}. Grants relying on
          it are not counted as restricted.
        </Text>
      )}
      {level.kind === 'custom' && (
        <Text as="p" variant="body-medium">
          Custom CEL: <code>{level.customExpression}</code>
        </Text>
      )}
      <ul style={{ margin: 0 }}>
        {level.conditions?.map((c, i) => (
          <li key={i}>
            <Text as="p" variant="body-medium">
              {conditionLines(c).join('; ')}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  );
}
