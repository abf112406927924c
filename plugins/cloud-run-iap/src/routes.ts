import { createRouteRef } from '@backstage/core-plugin-api';

/** The access review page (legacy frontend system). */
export const reviewRouteRef = createRouteRef({ id: 'cloud-run-iap:review' });
