import { Box, Flex, Grid, Text } from '@backstage/ui';
import {
  CoverageSummary,
  IamBinding,
} from '@internal-apps/plugin-cloud-run-iap-common';
import { AccessChangePreview } from '../../api';

/** "1 of 2 accessors covered (50%)". */
export function coverageText(coverage: CoverageSummary): string {
  return `${coverage.covered} of ${
    coverage.total
  } accessors covered (${Math.round(coverage.ratio * 100)}%)`;
}

function BindingList(props: { label: string; bindings: IamBinding[] }) {
  const { label, bindings } = props;
  return (
    <Box>
      <Text as="h5" variant="body-medium" weight="bold">
        {label}
      </Text>
      {bindings.length === 0 ? (
        <Text as="p" variant="body-medium">
          No binding
        </Text>
      ) : (
        <ul aria-label={`Bindings ${label.toLowerCase()}`}>
          {bindings.map((binding, index) => (
            <li key={index}>
              <Text variant="body-small">
                {binding.role}
                {binding.condition
                  ? ` if ${binding.condition.title ?? ''} (${
                      binding.condition.expression
                    })`
                  : ''}
                : {binding.members.join(', ')}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}

/** What a change does: bindings and coverage before and after, and the grants left alone. */
export function AccessChangePreviewView(props: {
  preview: AccessChangePreview;
}) {
  const { preview } = props;
  const levelsChanged =
    preview.accessLevels.before.join() !== preview.accessLevels.after.join();
  return (
    <Flex direction="column" gap="2" aria-label="Preview of the change">
      <Text as="p" variant="body-medium">
        {[
          preview.added.length ? `Adds ${preview.added.join(', ')}.` : '',
          preview.removed.length
            ? `Removes ${preview.removed.join(', ')}.`
            : '',
          levelsChanged
            ? `Access levels: ${
                preview.accessLevels.before.join(', ') || 'none'
              } → ${preview.accessLevels.after.join(', ') || 'none'}.`
            : '',
        ]
          .filter(Boolean)
          .join(' ') || 'Changes nothing.'}
      </Text>
      <Text as="p" variant="body-medium" aria-label="Coverage before and after">
        Coverage: {coverageText(preview.before.coverage)} →{' '}
        {coverageText(preview.after.coverage)}
      </Text>
      <Grid.Root columns={{ initial: '1', md: '2' }} gap="3">
        <BindingList label="Before" bindings={preview.before.bindings} />
        <BindingList label="After" bindings={preview.after.bindings} />
      </Grid.Root>
      {preview.unmanaged.length > 0 && (
        <Box>
          <Text as="h5" variant="body-medium" weight="bold">
            Grants the portal leaves alone
          </Text>
          <ul aria-label="Grants the portal leaves alone">
            {preview.unmanaged.map(u => (
              <li key={`${u.member}:${u.grant}`}>
                <Text variant="body-small">
                  {u.member} ({u.grant}): {u.howToChange}
                </Text>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Flex>
  );
}
