export { CloudRunIapReviewPage } from './CloudRunIapReviewPage';
export { ReviewPageContent } from './ReviewPageContent';
