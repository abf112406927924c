import { PluginHeader } from '@backstage/ui';
import { ReviewPageContent } from './ReviewPageContent';

/**
 * The access review page for the legacy frontend system, with the header the new frontend
 * system's page layout gives it there.
 *
 * @public
 */
export function CloudRunIapReviewPage() {
  return (
    <>
      <PluginHeader title="IAP access review" />
      <ReviewPageContent />
    </>
  );
}
