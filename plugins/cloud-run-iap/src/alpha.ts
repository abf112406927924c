/**
 * The Cloud Run IAP plugin for the new frontend system: the API, the compact entity card, the
 * entity's Access tab, the review page at /cloud-run-iap/review and the two scaffolder form
 * fields.
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
  entityCloudRunIapContent,
  reviewPageRouteRef,
} from './alpha/plugin';
