import { IapSettings } from '../google/types';
import { IapSettingsSummary } from '../report/types';
import {
  IapSettingsAtLevel,
  IapSettingsLevel,
  isSourceError,
  Sourced,
} from './sources';

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

const LEVEL_ORDER: IapSettingsLevel[] = [
  'organization',
  'folder',
  'project',
  'iap_web',
  'region',
  'service',
];

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge where the nearer (`over`) value of each set field wins; arrays are replaced whole. */
function mergeNearest(base: Plain, over: Plain): Plain {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || value === null) {
      continue;
    }
    merged[key] =
      isPlainObject(value) && isPlainObject(merged[key])
        ? mergeNearest(merged[key] as Plain, value)
        : value;
  }
  return merged;
}

/** The levels from the organization down to the service (folders keep their order: top folder first). */
function ordered(levels: IapSettingsAtLevel[]): IapSettingsAtLevel[] {
  return [...levels].sort(
    (a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level),
  );
}

/** The merged settings and, for each shown setting, the nearest resource that sets it. */
export interface MergedIapSettings {
  settings: IapSettings;
  setAt: NonNullable<IapSettingsSummary['setAt']>;
  /** Levels that could not be read, nearest first. */
  unreadable: IapSettingsAtLevel[];
  /** No OAuth client id is set on a readable level below the nearest unreadable one. */
  oauthClientUnknown: boolean;
  serviceRead: boolean;
}

/**
 * Merges IAP settings as IAP applies them: each resource inherits the settings of the levels above
 * it (organization, folder, project, `iap_web`, `cloud_run-REGION`, service), and the nearest level
 * that sets a field wins.
 */
export function mergeIapSettings(
  levels: IapSettingsAtLevel[],
): MergedIapSettings {
  let merged: Plain = {};
  const setAt: MergedIapSettings['setAt'] = {};
  const unreadable: IapSettingsAtLevel[] = [];
  for (const entry of ordered(levels)) {
    if (isSourceError(entry.settings)) {
      unreadable.unshift(entry);
      continue;
    }
    const access = entry.settings.accessSettings;
    if (access?.oauthSettings?.clientId) {
      setAt.oauthClient = entry.resource;
    }
    if (access?.oauthSettings?.programmaticClients) {
      setAt.programmaticClients = entry.resource;
    }
    if (access?.allowedDomainsSettings) {
      setAt.allowedDomains = entry.resource;
    }
    if (access?.reauthSettings) {
      setAt.reauth = entry.resource;
    }
    merged = mergeNearest(merged, entry.settings as Plain);
  }
  const nearestUnreadable = unreadable[0];
  const clientLevel = setAt.oauthClient
    ? levels.find(l => l.resource === setAt.oauthClient)?.level
    : undefined;
  const oauthClientUnknown =
    nearestUnreadable !== undefined &&
    (clientLevel === undefined ||
      LEVEL_ORDER.indexOf(clientLevel) <
        LEVEL_ORDER.indexOf(nearestUnreadable.level));
  const service = levels.find(l => l.level === 'service');
  return {
    settings: merged as IapSettings,
    setAt,
    unreadable,
    oauthClientUnknown,
    serviceRead: service !== undefined && !isSourceError(service.settings),
  };
}

/**
 * The IAP settings a reviewer should see, merged over every level, with the OAuth client and
 * whether identities outside the organization can sign in (with the Google-managed client only
 * the organization's identities can).
 */
export function summarizeMergedIapSettings(
  levels: IapSettingsAtLevel[],
): IapSettingsSummary {
  const merged = mergeIapSettings(levels);
  const summary = summarizeIapSettings(merged.settings);
  const clientId = merged.settings.accessSettings?.oauthSettings?.clientId;
  let oauthClient: IapSettingsSummary['oauthClient'];
  let externalSignIn: IapSettingsSummary['externalSignIn'];
  if (merged.oauthClientUnknown) {
    externalSignIn = 'unknown';
  } else if (clientId) {
    oauthClient = 'custom';
    externalSignIn = 'possible';
  } else {
    oauthClient = 'google-managed';
    externalSignIn = 'blocked';
  }
  return {
    ...summary,
    read: merged.serviceRead || levels.some(l => !isSourceError(l.settings)),
    ...(oauthClient ? { oauthClient } : {}),
    ...(clientId ? { oauthClientId: clientId } : {}),
    externalSignIn,
    setAt: merged.setAt,
  };
}

/** Whether `allowedDomainsSettings` lets an email's domain sign in (true when not enabled). */
export function domainMaySignIn(
  settings: IapSettingsSummary,
  email: string,
): boolean {
  if (!settings.allowedDomains?.enabled) {
    return true;
  }
  const domain = email.split('@').pop()?.toLowerCase() ?? '';
  return settings.allowedDomains.domains.some(
    allowed => allowed.toLowerCase() === domain,
  );
}
