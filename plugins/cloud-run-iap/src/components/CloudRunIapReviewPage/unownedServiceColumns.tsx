import { Cell, CellText, ColumnConfig, Flex, Link, Text } from '@backstage/ui';
import { CommandBlock } from '../shared/CommandBlock';
import { UnownedServiceRow } from './unownedServiceRows';

/** The columns of the "Unowned services" table. */
export const UNOWNED_SERVICE_COLUMNS: readonly ColumnConfig<UnownedServiceRow>[] =
  [
    {
      id: 'service',
      label: 'Service',
      isRowHeader: true,
      cell: r => (
        <Cell>
          <Text as="p" variant="body-medium">
            {r.service.serviceId}
          </Text>
          {r.url && (
            <Link
              href={r.url}
              target="_blank"
              rel="noopener noreferrer"
              variant="body-small"
            >
              {r.url}
            </Link>
          )}
        </Cell>
      ),
    },
    {
      id: 'project',
      label: 'Project',
      cell: r => <CellText title={r.service.projectId} />,
    },
    {
      id: 'region',
      label: 'Region',
      cell: r => <CellText title={r.service.region} />,
    },
    {
      id: 'reason',
      label: 'Why listed',
      cell: r => <CellText title={r.reasonText} />,
    },
    {
      id: 'fix',
      label: 'Fix',
      cell: r => (
        <Cell>
          <Flex direction="column" gap="2">
            {r.fixes.map(fix => (
              <div key={fix.command}>
                <Text as="p" variant="body-small" weight="bold">
                  {fix.title}
                </Text>
                {fix.placeholders && (
                  <Text as="p" variant="body-small" color="secondary">
                    {fix.placeholders}
                  </Text>
                )}
                <CommandBlock
                  command={fix.command}
                  copyLabel={`Copy the command for ${r.service.serviceId}: ${fix.title}`}
                />
              </div>
            ))}
          </Flex>
        </Cell>
      ),
    },
  ];
