import {
  AccessorKind,
  GrantLevel,
  Severity,
  SEVERITIES,
} from '@internal-apps/plugin-cloud-run-iap-common';

const KIND_TEXT: Record<AccessorKind, string> = {
  user: 'User',
  group: 'Group',
  serviceAccount: 'Service account',
  domain: 'Domain',
  public: 'Public',
  workforcePrincipal: 'Workforce identity',
  unknown: 'Other',
};

export function kindText(kind: AccessorKind): string {
  return KIND_TEXT[kind];
}

export function organizationText(value: boolean | 'unknown'): string {
  if (value === 'unknown') {
    return 'Unknown';
  }
  return value ? 'Inside' : 'Outside';
}

const SEVERITY_TEXT: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export function severityText(severity: Severity): string {
  return SEVERITY_TEXT[severity];
}

/** 0 for the most severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

const GRANT_LEVEL_TEXT: Record<GrantLevel, string> = {
  service: 'Service',
  region: 'Region',
  'project-iap': 'Project (IAP)',
  project: 'Project IAM',
  folder: 'Folder IAM',
  organization: 'Organization IAM',
};

export function grantLevelText(level: GrantLevel): string {
  return GRANT_LEVEL_TEXT[level];
}
