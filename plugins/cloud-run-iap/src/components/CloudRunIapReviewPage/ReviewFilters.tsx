import { SEVERITIES } from '@internal-apps/plugin-cloud-run-iap-common';
import { Checkbox, Flex, SearchField, Select } from '@backstage/ui';
import { severityText } from '../shared/labelText';
import {
  EXPIRING_WITHIN_DAYS,
  ReviewFilter,
  TopFindingFilter,
} from './reviewRows';

const TOP_FINDING_OPTIONS: Array<{ id: TopFindingFilter; label: string }> = [
  { id: 'all', label: 'Any or none' },
  { id: 'any', label: 'With a finding' },
  ...SEVERITIES.map(s => ({ id: s, label: severityText(s) })),
];

/** The review table's filters: text, external only, unrestricted only, expiring soon, top finding. */
export function ReviewFilters(props: {
  search: string;
  onSearchChange: (text: string) => void;
  filter: ReviewFilter;
  onFilterChange: (filter: ReviewFilter) => void;
}) {
  const { filter, onFilterChange } = props;
  const set = (change: Partial<ReviewFilter>) =>
    onFilterChange({ ...filter, ...change });
  return (
    <Flex gap="4" align="end" my="2" style={{ flexWrap: 'wrap' }}>
      <SearchField
        label="Filter rows"
        placeholder="app, service or accessor"
        size="small"
        value={props.search}
        onChange={props.onSearchChange}
      />
      <Checkbox
        isSelected={filter.externalOnly}
        onChange={externalOnly => set({ externalOnly })}
      >
        External only
      </Checkbox>
      <Checkbox
        isSelected={filter.unrestrictedOnly}
        onChange={unrestrictedOnly => set({ unrestrictedOnly })}
      >
        Unrestricted only
      </Checkbox>
      <Checkbox
        isSelected={filter.expiringOnly}
        onChange={expiringOnly => set({ expiringOnly })}
      >
        Expiring within {EXPIRING_WITHIN_DAYS} days
      </Checkbox>
      <Select
        label="Top finding"
        size="small"
        options={TOP_FINDING_OPTIONS}
        value={filter.topFinding}
        onChange={key =>
          set({ topFinding: (key ?? 'all') as TopFindingFilter })
        }
        style={{ minWidth: 180 }}
      />
    </Flex>
  );
}
