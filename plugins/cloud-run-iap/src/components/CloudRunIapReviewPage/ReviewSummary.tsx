import { Card, CardBody, Text } from '@backstage/ui';
import { ReviewResponse } from '@internal-apps/plugin-cloud-run-iap-common';

/** The counts at the top of the review: apps, accessors, coverage and critical findings. */
export function ReviewSummary({ review }: { review: ReviewResponse }) {
  const s = review.summary;
  const items: Array<[string, string, string]> = [
    [
      'Apps',
      String(s.apps),
      `${s.services} service${s.services === 1 ? '' : 's'}`,
    ],
    ['Accessors', String(s.accessors), 'distinct per service'],
    [
      'Coverage',
      `${Math.round(s.coverageRatio * 100)}%`,
      `${s.coveredAccessors} of ${s.accessors} behind context-aware access`,
    ],
    [
      'Critical findings',
      String(s.findingsBySeverity.critical),
      `${s.findingsBySeverity.high} high, ${s.findingsBySeverity.medium} medium`,
    ],
  ];
  return (
    <ul
      aria-label="Review summary"
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
        gap: 'var(--bui-space-4)',
        margin: '0 0 var(--bui-space-4)',
        padding: 0,
        listStyle: 'none',
      }}
    >
      {items.map(([label, value, detail]) => (
        <li key={label}>
          <Card>
            <CardBody>
              <Text as="p" variant="body-small" color="secondary">
                {label}
              </Text>
              <Text
                as="p"
                variant="title-large"
                weight="bold"
                aria-label={`${label}: ${value}`}
              >
                {value}
              </Text>
              <Text as="p" variant="body-x-small" color="secondary">
                {detail}
              </Text>
            </CardBody>
          </Card>
        </li>
      ))}
    </ul>
  );
}
