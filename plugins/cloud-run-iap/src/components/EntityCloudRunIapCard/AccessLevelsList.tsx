import { Text } from '@backstage/ui';
import { ResolvedAccessLevel } from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessLevelDetails } from './AccessLevelDetails';

/** Every access level the service's grants name, resolved to its conditions. */
export function AccessLevelsList({
  levels,
}: {
  levels: ResolvedAccessLevel[];
}) {
  if (levels.length === 0) {
    return (
      <Text as="p" variant="body-medium">
        No grant names an access level: nothing restricts access by context.
      </Text>
    );
  }
  return (
    <ul
      aria-label="Access levels"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {levels.map(level => (
        <li key={level.name} style={{ marginBottom: 'var(--bui-space-2)' }}>
          <AccessLevelDetails name={level.name} level={level} />
        </li>
      ))}
    </ul>
  );
}
