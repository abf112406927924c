import { Box, Text } from '@backstage/ui';
import { CoverageSummary } from '@internal-apps/plugin-cloud-run-iap-common';
import { useId } from 'react';

const TONE_COLOR = {
  full: 'var(--bui-fg-positive)',
  partial: 'var(--bui-fg-warning)',
  none: 'var(--bui-fg-negative)',
};

export type CoverageTone = keyof typeof TONE_COLOR;

/** Whether every, some or no accessor is covered by context-aware access. */
export function coverageTone(coverage: CoverageSummary): CoverageTone {
  if (coverage.covered === coverage.total) {
    return 'full';
  }
  return coverage.covered === 0 ? 'none' : 'partial';
}

/** "accessors" or "people (groups expanded)": what the coverage counts. */
export function coverageUnitText(coverage: CoverageSummary): string {
  return coverage.unit === 'person' ? 'people (groups expanded)' : 'accessors';
}

/** A bar of accessors covered by context-aware access, with the count in words. */
export function CoverageMeter({ coverage }: { coverage: CoverageSummary }) {
  const labelId = useId();
  const percent = Math.round(coverage.ratio * 100);
  const tone = coverageTone(coverage);
  const people = coverage.unit === 'person';
  const verdict = (
    people
      ? {
          full: 'every person is restricted',
          partial: 'some people are unrestricted',
          none: 'nobody is restricted',
        }
      : {
          full: 'every accessor is restricted',
          partial: 'some accessors are unrestricted',
          none: 'no accessor is restricted',
        }
  )[tone];
  const counted = coverageUnitText(coverage);
  const value = coverage.total === 0 ? 100 : percent;
  return (
    <Box my="3">
      <Text id={labelId} as="h4" variant="title-x-small" weight="bold">
        Context-aware access coverage
      </Text>
      <Text as="p" variant="body-medium">
        <strong>
          {coverage.covered} of {coverage.total}
        </strong>{' '}
        {counted} covered ({percent}%): {verdict}
        {coverage.total === 0 && ' (nobody has access)'}
      </Text>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={`${coverage.covered} of ${coverage.total} ${counted} covered`}
        style={{
          height: 10,
          borderRadius: 5,
          marginTop: 'var(--bui-space-1)',
          backgroundColor: 'var(--bui-bg-neutral-2)',
          overflow: 'hidden',
        }}
      >
        <div
          style={{
            width: `${value}%`,
            height: '100%',
            backgroundColor: TONE_COLOR[tone],
          }}
        />
      </div>
    </Box>
  );
}
