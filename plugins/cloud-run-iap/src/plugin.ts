import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { CloudRunIapClient, cloudRunIapApiRef } from './api';
import {
  ACCESS_LEVEL_PICKER,
  ACCESSORS_PICKER,
  AccessLevelPicker,
  AccessorsPicker,
  accessorsPickerValidation,
} from './components/fields';
import {
  accessLevelPickerSchema,
  accessorsPickerSchema,
} from './components/fields/schemas';
import { reviewRouteRef } from './routes';

/**
 * The Cloud Run IAP plugin for the legacy frontend system.
 *
 * @public
 */
export const cloudRunIapPlugin = createPlugin({
  id: 'cloud-run-iap',
  apis: [
    createApiFactory({
      api: cloudRunIapApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CloudRunIapClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { review: reviewRouteRef },
});

/**
 * The entity card with everything in it: IAP state, accessors, coverage, findings, access
 * levels and a context check for every service in the entity's `google.com/cloud-run-service`
 * annotation.
 *
 * @public
 */
export const EntityCloudRunIapCard = cloudRunIapPlugin.provide(
  createComponentExtension({
    name: 'EntityCloudRunIapCard',
    component: {
      lazy: () =>
        import('./components/EntityCloudRunIapCard').then(
          m => m.EntityCloudRunIapCard,
        ),
    },
  }),
);

/**
 * The compact entity card for the overview: IAP state, coverage, accessors and critical
 * findings of every annotated service, with a link to the entity's `access` tab.
 *
 * @public
 */
export const EntityCloudRunIapOverviewCard = cloudRunIapPlugin.provide(
  createComponentExtension({
    name: 'EntityCloudRunIapOverviewCard',
    component: {
      lazy: () =>
        import('./components/EntityCloudRunIapCard').then(
          m => m.EntityCloudRunIapOverviewCard,
        ),
    },
  }),
);

/**
 * The entity's Access tab content: the whole report at full width. Mount it at the path
 * `access` of the entity page (`<EntityLayout.Route path="/access" title="Access">`) so the
 * overview card's link finds it.
 *
 * @public
 */
export const EntityCloudRunIapContent = cloudRunIapPlugin.provide(
  createComponentExtension({
    name: 'EntityCloudRunIapContent',
    component: {
      lazy: () =>
        import('./components/EntityCloudRunIapCard').then(
          m => m.EntityCloudRunIapContent,
        ),
    },
  }),
);

/**
 * The access review page of every app an owner owns.
 *
 * @public
 */
export const CloudRunIapReviewPage = cloudRunIapPlugin.provide(
  createRoutableExtension({
    name: 'CloudRunIapReviewPage',
    component: () =>
      import('./components/CloudRunIapReviewPage').then(
        m => m.CloudRunIapReviewPage,
      ),
    mountPoint: reviewRouteRef,
  }),
);

/**
 * Scaffolder field `CloudRunIapAccessLevelPicker` (legacy frontend system).
 *
 * @public
 */
export const CloudRunIapAccessLevelPickerFieldExtension =
  cloudRunIapPlugin.provide(
    createScaffolderFieldExtension({
      name: ACCESS_LEVEL_PICKER,
      component: AccessLevelPicker,
      schema: accessLevelPickerSchema.schema,
    }),
  );

/**
 * Scaffolder field `CloudRunIapAccessorsPicker` (legacy frontend system).
 *
 * @public
 */
export const CloudRunIapAccessorsPickerFieldExtension =
  cloudRunIapPlugin.provide(
    createScaffolderFieldExtension({
      name: ACCESSORS_PICKER,
      component: AccessorsPicker,
      validation: accessorsPickerValidation,
      schema: accessorsPickerSchema.schema,
    }),
  );
