import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { CLOUD_RUN_SERVICE_ANNOTATION } from '@internal-apps/plugin-cloud-run-iap-common';
import { RiShieldKeyholeLine } from '@remixicon/react';
import { CloudRunIapClient, cloudRunIapApiRef } from '../api';
import { reviewRouteRef } from '../routes';

/** Entities carrying the annotation: where the card and the Access tab appear. */
const annotatedEntities = {
  [`metadata.annotations.${CLOUD_RUN_SERVICE_ANNOTATION}`]: { $exists: true },
};

/** The API client, talking to the cloud-run-iap backend. */
export const cloudRunIapApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: cloudRunIapApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudRunIapClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The compact IAP card on the overview of entities carrying the annotation: IAP state,
 * coverage, accessors, critical findings and a link to the Access tab.
 */
export const entityCloudRunIapCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    type: 'info',
    filter: annotatedEntities,
    loader: () =>
      import('../components/EntityCloudRunIapCard').then(m => (
        <m.EntityCloudRunIapOverviewCard />
      )),
  },
});

/** The Access tab of entities carrying the annotation: the whole report at full width. */
export const entityCloudRunIapContent = EntityContentBlueprint.make({
  name: 'access',
  params: {
    path: 'access',
    title: 'Access',
    filter: annotatedEntities,
    loader: () =>
      import('../components/EntityCloudRunIapCard').then(m => (
        <m.EntityCloudRunIapContent />
      )),
  },
});

/** The plugin's routes, shared with the legacy frontend system. */
const routes = convertLegacyRouteRefs({ review: reviewRouteRef });

/** The route of the review page (the legacy `reviewRouteRef`, converted). */
export const reviewPageRouteRef = routes.review;

/** The access review page at /cloud-run-iap/review, with a sidebar item. */
export const cloudRunIapReviewPage = PageBlueprint.make({
  params: {
    path: '/cloud-run-iap/review',
    routeRef: reviewPageRouteRef,
    title: 'IAP access review',
    icon: <RiShieldKeyholeLine size={24} />,
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
  icon: <RiShieldKeyholeLine size={24} />,
  info: { packageJson: () => import('../../package.json') },
  routes,
  extensions: [
    cloudRunIapApi,
    entityCloudRunIapCard,
    entityCloudRunIapContent,
    cloudRunIapReviewPage,
    accessLevelPickerField,
    accessorsPickerField,
  ],
});
