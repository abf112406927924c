import { CopyTextButton } from '@backstage/core-components';
import { Box } from '@backstage/ui';

/** A shell command, wrapped in full, with a button that copies it. */
export function CommandBlock(props: {
  command: string;
  /** The copy button's accessible name, e.g. "Copy the fix command for …". */
  copyLabel: string;
}) {
  return (
    <Box
      mt="1"
      bg="neutral"
      style={{
        display: 'flex',
        alignItems: 'flex-start',
        gap: 'var(--bui-space-2)',
        borderRadius: 4,
        padding: 'var(--bui-space-1) var(--bui-space-2)',
      }}
    >
      <pre
        style={{
          margin: 0,
          flex: 1,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          fontSize: '0.8rem',
        }}
      >
        {props.command}
      </pre>
      <CopyTextButton
        text={props.command}
        aria-label={props.copyLabel}
        tooltipText="Command copied"
      />
    </Box>
  );
}
