import {
  AccessLevel,
  AccessPolicy,
  IamPolicy,
  IapSettings,
} from '../google/types';

/** A source the backend could not read, with the reason (e.g. `PERMISSION_DENIED`). */
export interface SourceError {
  error: string;
}

/** Either the data the backend read, or why it could not. */
export type Sourced<T> = T | SourceError;

/** Whether a source failed to read. */
export function isSourceError<T>(
  value: Sourced<T> | undefined,
): value is SourceError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<SourceError>).error === 'string'
  );
}

/** An access policy with all of its access levels. */
export interface AccessPolicyLevels {
  policy: AccessPolicy;
  levels: AccessLevel[];
}

/** An ordinary IAM policy above the service (project, folder, organization). */
export interface ResourcePolicyInput {
  level: 'project' | 'folder' | 'organization';
  /** `projects/{id}`, `folders/{id}` or `organizations/{id}` */
  resource: string;
  policy?: IamPolicy;
  error?: string;
}

/** The IAP IAM policies on the service and above it, read with `requestedPolicyVersion: 3`. */
export interface IapPolicies {
  service?: Sourced<IamPolicy>;
  region?: Sourced<IamPolicy>;
  project?: Sourced<IamPolicy>;
}

/** Where IAP settings are set; IAP merges them from the organization down to the service. */
export type IapSettingsLevel =
  | 'organization'
  | 'folder'
  | 'project'
  | 'iap_web'
  | 'region'
  | 'service';

/** The IAP settings of one level (`iap.getIapSettings` on `resource`). */
export interface IapSettingsAtLevel {
  level: IapSettingsLevel;
  /** e.g. `organizations/42`, `folders/7`, `projects/123`, `projects/123/iap_web`, `projects/123/iap_web/cloud_run-europe-west2`, `…/services/app` */
  resource: string;
  settings: Sourced<IapSettings>;
}
