import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { CLOUD_RUN_SERVICE_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import SecurityIcon from '@material-ui/icons/Security';
import { CloudRunIapClient, cloudRunIapApiRef } from '../api';

/** The API client, talking to the cloud-run-iap backend. */
export const cloudRunIapApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: cloudRunIapApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudRunIapClient({ discoveryApi, fetchApi }),
    }),
});

/** The IAP card, on the overview of entities carrying the annotation. */
export const entityCloudRunIapCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    type: 'content',
    filter: {
      [`metadata.annotations.${CLOUD_RUN_SERVICE_ANNOTATION}`]: {
        $exists: true,
      },
    },
    loader: () =>
      import('../components/EntityCloudRunIapCard').then(m => (
        <m.EntityCloudRunIapCard />
      )),
  },
});

/** The route of the review page (new frontend system). */
export const reviewPageRouteRef = createRouteRef();

/** The access review page at /cloud-run-iap/review, with a sidebar item. */
export const cloudRunIapReviewPage = PageBlueprint.make({
  params: {
    path: '/cloud-run-iap/review',
    routeRef: reviewPageRouteRef,
    title: 'IAP access review',
    icon: <SecurityIcon fontSize="inherit" />,
    loader: () =>
      import('../components/CloudRunIapReviewPage').then(m => (
        <m.ReviewPageContent />
      )),
  },
});

/** Scaffolder field `CloudRunIapAccessLevelPicker`. */
export const accessLevelPickerField = FormFieldBlueprint.make({
  name: 'access-level-picker',
  params: {
    field: () =>
      import('../components/fields/formFields').then(
        m => m.accessLevelPickerFormField,
      ),
  },
});

/** Scaffolder field `CloudRunIapAccessorsPicker`. */
export const accessorsPickerField = FormFieldBlueprint.make({
  name: 'accessors-picker',
  params: {
    field: () =>
      import('../components/fields/formFields').then(
        m => m.accessorsPickerFormField,
      ),
  },
});

/**
 * The Cloud Run IAP plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'cloud-run-iap',
  title: 'Cloud Run IAP',
  icon: <SecurityIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: { review: reviewPageRouteRef },
  extensions: [
    cloudRunIapApi,
    entityCloudRunIapCard,
    cloudRunIapReviewPage,
    accessLevelPickerField,
    accessorsPickerField,
  ],
});
