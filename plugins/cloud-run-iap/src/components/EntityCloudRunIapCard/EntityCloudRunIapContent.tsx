import { Flex, Text } from '@backstage/ui';
import { ManageAccessSections } from '../AccessChanges';
import { SelfServiceAccess } from '../MyAccessCheck';
import { LastChecked } from '../shared/LastChecked';
import { AccessReportView } from './AccessReportView';
import { CARD_TITLE } from './CardStates';
import { EntityReportLoader, ReportFrameProps } from './EntityReportLoader';
import { RefreshButton } from './RefreshButton';

function TabFrame({ children, loaded }: ReportFrameProps) {
  return (
    <Flex direction="column" gap="4">
      <Flex justify="between" align="center">
        <Text as="h2" variant="title-medium" weight="bold">
          {CARD_TITLE}
        </Text>
        {loaded && (
          <Flex align="center" gap="2">
            <Text variant="body-small" color="secondary">
              <LastChecked
                fetchedAt={loaded.report.fetchedAt}
                fromCache={loaded.report.fromCache}
              />
            </Text>
            <RefreshButton
              refreshing={loaded.refreshing}
              onRefresh={loaded.refresh}
            />
          </Flex>
        )}
      </Flex>
      {children}
    </Flex>
  );
}

/**
 * The entity's Access tab: for every annotated service its state, accessors, findings and access
 * levels, each in a card of its own and at full width, then the context check; for owners the
 * access changes and requests, and for everyone "Why can't I get in?".
 *
 * @public
 */
export function EntityCloudRunIapContent() {
  return (
    <Flex direction="column" gap="4">
      <EntityReportLoader frame={TabFrame}>
        {loaded => (
          <>
            <AccessReportView
              entityRef={loaded.entityRef}
              report={loaded.report}
              onChanged={loaded.refresh}
              framed
            />
            {/* Day two: the owners' changes and requests, after the report. */}
            <ManageAccessSections
              entityRef={loaded.entityRef}
              report={loaded.report}
              onChanged={loaded.refresh}
            />
          </>
        )}
      </EntityReportLoader>
      {/* For everyone who can read the entity, even without access to the report. */}
      <SelfServiceAccess />
    </Flex>
  );
}
