import { Text } from '@backstage/ui';
import { Finding } from '@internal-apps/plugin-cloud-run-iap-common';
import { SeverityChip } from '../shared/chips';
import { CommandBlock } from '../shared/CommandBlock';
import { severityRank } from '../shared/labelText';

/** Findings, most severe first. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity),
  );
}

/** Findings, most severe first; each with what, why and the fix (copyable command). */
export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return (
      <Text as="p" variant="body-medium">
        No findings: nothing to fix.
      </Text>
    );
  }
  return (
    <ul
      aria-label="Findings"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {sortFindings(findings).map((f, i) => (
        <li
          key={`${f.id}-${i}`}
          style={{
            borderLeft: '4px solid var(--bui-border-2)',
            padding: 'var(--bui-space-2) var(--bui-space-4)',
            marginBottom: 'var(--bui-space-3)',
          }}
        >
          <Text as="h5" variant="body-medium" weight="bold">
            <span
              style={{
                display: 'inline-flex',
                alignItems: 'center',
                gap: 'var(--bui-space-2)',
              }}
            >
              <SeverityChip severity={f.severity} />
              {f.title}
            </span>
          </Text>
          <Text as="p" variant="body-medium">
            <strong>What:</strong> {f.what}
          </Text>
          <Text as="p" variant="body-medium">
            <strong>Why it matters:</strong> {f.why}
          </Text>
          <Text as="p" variant="body-medium">
            <strong>Fix:</strong> {f.fix.text}
          </Text>
          {f.fix.command && (
            <CommandBlock
              command={f.fix.command}
              copyLabel={`Copy the fix command for ${f.title}`}
            />
          )}
          <Text as="span" variant="body-small" color="secondary">
            Rule {f.id}
          </Text>
        </li>
      ))}
    </ul>
  );
}
