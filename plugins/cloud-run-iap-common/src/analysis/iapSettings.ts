import { IapSettings } from '../google/types';
import { IapSettingsSummary } from '../report/types';
import { isSourceError, Sourced } from './sources';

/** The IAP settings a reviewer should see; `read: false` when they could not be read. */
export function summarizeIapSettings(
  settings: Sourced<IapSettings> | undefined,
): IapSettingsSummary {
  if (settings === undefined || isSourceError(settings)) {
    return { read: false, programmaticClients: [] };
  }
  const access = settings.accessSettings;
  const allowedDomains = access?.allowedDomainsSettings;
  const reauth = access?.reauthSettings;
  const deniedPage =
    settings.applicationSettings?.accessDeniedPageSettings?.accessDeniedPageUri;
  return {
    read: true,
    programmaticClients: access?.oauthSettings?.programmaticClients ?? [],
    ...(allowedDomains
      ? {
          allowedDomains: {
            enabled: allowedDomains.enable ?? false,
            domains: allowedDomains.domains ?? [],
          },
        }
      : {}),
    ...(reauth
      ? {
          reauth: {
            ...(reauth.method !== undefined ? { method: reauth.method } : {}),
            ...(reauth.maxAge !== undefined ? { maxAge: reauth.maxAge } : {}),
            ...(reauth.policyType !== undefined
              ? { policyType: reauth.policyType }
              : {}),
          },
        }
      : {}),
    ...(deniedPage !== undefined ? { accessDeniedPageUri: deniedPage } : {}),
  };
}
