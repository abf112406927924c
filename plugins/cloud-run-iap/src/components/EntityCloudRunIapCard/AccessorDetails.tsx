import {
  Badge,
  Box,
  Focusable,
  Text,
  Tooltip,
  TooltipTrigger,
} from '@backstage/ui';
import {
  Accessor,
  Grant,
  ResolvedAccessLevel,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { grantLevelText } from '../shared/labelText';
import { formatTime } from '../shared/time';
import { AccessLevelDetails, describeLevel } from './AccessLevelDetails';

const CODE_STYLE = {
  fontFamily: 'var(--bui-font-monospace)',
  fontSize: '0.85em',
  wordBreak: 'break-all' as const,
};

/** Short names of the levels restricting every grant; empty when some grant is unrestricted. */
export function restrictingLevels(accessor: Accessor): string[] {
  if (!accessor.contextRestricted || accessor.expired) {
    return [];
  }
  const names = accessor.grants
    .filter(g => !g.expired)
    .flatMap(g => g.conditionAnalysis.referencedLevels);
  return [...new Set(names)];
}

/** The levels at which an accessor holds grants, e.g. "Service, Project IAM". */
export function grantLevels(accessor: Accessor): string {
  return [...new Set(accessor.grants.map(g => grantLevelText(g.level)))].join(
    ', ',
  );
}

/** A restricting level by its short name; its conditions in a tooltip. */
export function LevelChip(props: {
  name: string;
  levels: ResolvedAccessLevel[];
}) {
  const level = props.levels.find(l => l.name === props.name);
  const short = level?.shortName ?? props.name.split('/').pop();
  return (
    <TooltipTrigger delay={300}>
      <Focusable>
        <Badge
          tabIndex={0}
          role="button"
          style={{ marginRight: 'var(--bui-space-1)', cursor: 'help' }}
        >
          {short}
        </Badge>
      </Focusable>
      <Tooltip>{describeLevel(level, props.name)}</Tooltip>
    </TooltipTrigger>
  );
}

/** The expiry of a time-bound grant (`request.time < timestamp(…)`), if it has one. */
function GrantTimeBound({ grant }: { grant: Grant }) {
  if (!grant.expiresAt) {
    return null;
  }
  const at = formatTime(grant.expiresAt);
  if (grant.expired) {
    return (
      <Text as="p" variant="body-medium" color="danger">
        Expired {at}: this grant gives no access; remove it.
      </Text>
    );
  }
  return (
    <Text as="p" variant="body-medium">
      {grant.expiresSoon ? `Expires soon: ${at}` : `Expires ${at}`}
    </Text>
  );
}

/** One grant: where, which role, restricted or not, its condition and the levels it names. */
export function GrantDetails(props: {
  grant: Grant;
  levels: ResolvedAccessLevel[];
}) {
  const { grant, levels } = props;
  return (
    <Box mb="2">
      <Text as="p" variant="body-medium">
        <strong>{grantLevelText(grant.level)}</strong> ·{' '}
        <span style={CODE_STYLE}>{grant.resource}</span> · {grant.role}
        {' · '}
        {grant.contextRestricted ? 'context-restricted' : 'not restricted'}
      </Text>
      <GrantTimeBound grant={grant} />
      {grant.levelsRestrictingNothing?.length ? (
        <Text as="p" variant="body-medium" color="danger">
          Relies on{' '}
          {grant.levelsRestrictingNothing
            .map(name => name.split('/').pop())
            .join(', ')}
          , which restricts nothing: not counted as restricted.
        </Text>
      ) : null}
      {grant.condition ? (
        <Text as="p" variant="body-medium">
          Condition{grant.condition.title ? ` "${grant.condition.title}"` : ''}:{' '}
          <code style={CODE_STYLE}>{grant.condition.expression}</code>
        </Text>
      ) : null}
      <Text as="p" variant="body-medium" color="secondary">
        {grant.conditionAnalysis.summary}
      </Text>
      {grant.conditionAnalysis.referencedLevels.map(name => (
        <Box key={name} ml="4">
          <AccessLevelDetails
            name={name}
            level={levels.find(l => l.name === name)}
          />
        </Box>
      ))}
    </Box>
  );
}

/** Size and outside members of an expanded group, or why it could not be expanded. */
export function GroupFacts({ accessor }: { accessor: Accessor }) {
  const group = accessor.group;
  if (!group) {
    return null;
  }
  if (!group.expanded) {
    return (
      <Text as="div" variant="body-small">
        members not readable ({group.error}): counted as one accessor
      </Text>
    );
  }
  const size = `${group.size}${group.truncated ? '+' : ''} ${
    group.size === 1 ? 'person' : 'people'
  }${group.nestedGroups ? `, ${group.nestedGroups} nested groups` : ''}`;
  return (
    <Text as="div" variant="body-small">
      {size}
      {group.externalMembers.length > 0 && (
        <>
          {' · '}
          <strong>
            {group.externalMembers.length} outside the organisation:
          </strong>{' '}
          {group.externalMembers.join(', ')}
        </>
      )}
    </Text>
  );
}
