import { LastChecked } from '../shared/LastChecked';
import { AccessReportView } from './AccessReportView';
import { CardShell } from './CardStates';
import { EntityReportLoader, ReportFrameProps } from './EntityReportLoader';
import { RefreshButton } from './RefreshButton';

function FullCardFrame({ children, loaded }: ReportFrameProps) {
  return (
    <CardShell
      subheader={
        loaded && (
          <LastChecked
            fetchedAt={loaded.report.fetchedAt}
            fromCache={loaded.report.fromCache}
          />
        )
      }
      action={
        loaded && (
          <RefreshButton
            refreshing={loaded.refreshing}
            onRefresh={loaded.refresh}
          />
        )
      }
    >
      {children}
    </CardShell>
  );
}

/**
 * Who can reach the entity's Cloud Run services through IAP, all in one card: state, accessors,
 * coverage, findings, access levels and a context check. The legacy frontend system's card; the
 * new frontend system shows {@link EntityCloudRunIapOverviewCard} and the Access tab instead.
 *
 * @public
 */
export function EntityCloudRunIapCard() {
  return (
    <EntityReportLoader frame={FullCardFrame}>
      {loaded => (
        <AccessReportView
          entityRef={loaded.entityRef}
          report={loaded.report}
          onChanged={loaded.refresh}
        />
      )}
    </EntityReportLoader>
  );
}
