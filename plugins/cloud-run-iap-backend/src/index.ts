/**
 * Backend plugin reporting who can reach IAP-protected Cloud Run apps and how well that access
 * is restricted by context-aware access.
 *
 * @packageDocumentation
 */
export { cloudRunIapPlugin as default } from './plugin';
