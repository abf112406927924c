import { Header } from '@backstage/core-components';
import { ReviewPageContent } from './ReviewPageContent';

/**
 * The access review page for the legacy frontend system (with its own header).
 *
 * @public
 */
export function CloudRunIapReviewPage() {
  return (
    <>
      <Header
        title="IAP access review"
        subtitle="Cloud Run apps behind Identity-Aware Proxy"
      />
      <ReviewPageContent />
    </>
  );
}
