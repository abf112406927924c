/**
 * The Cloud Run IAP plugin for the new frontend system: the API, the entity card, the review
 * page at /cloud-run-iap/review and the two scaffolder form fields.
 *
 * @packageDocumentation
 */
export { default } from './alpha/plugin';
export {
  accessLevelPickerField,
  accessorsPickerField,
  cloudRunIapApi,
  cloudRunIapReviewPage,
  entityCloudRunIapCard,
  reviewPageRouteRef,
} from './alpha/plugin';
