import signalsBackend from '@backstage/plugin-signals-backend';
import { backendFeatures } from '../features';

/**
 * The backend's features for `startTestBackend`. Its root router has no HTTP server to route the
 * signals WebSocket through (backend-defaults' has), so signals alone is left out.
 */
export const testBackendFeatures = backendFeatures.filter(
  feature => feature !== signalsBackend,
);
