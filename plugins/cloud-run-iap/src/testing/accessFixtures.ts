/*
 * Day-two answers of the backend (access changes, requests, self-check) for the demo world's
 * team-directory app (packages/google-cloud-fake/seeds/demo.yaml).
 */
import {
  AccessChangePreview,
  AccessRequest,
  SelfCheckResult,
} from '../api/accessTypes';
import { CORP_NETWORK, PROJECT } from './fixtures';

export const TEAM_DIRECTORY = `projects/${PROJECT}/locations/europe-west2/services/team-directory`;
export const TEAM_DIRECTORY_REF = {
  kind: 'Component',
  namespace: 'default',
  name: 'team-directory',
};
const ACCESSOR = 'roles/iap.httpsResourceAccessor';

/** Adding user:alan@example.com to team-directory's unconditional managed grant. */
export function addAlanPreview(
  overrides: Partial<AccessChangePreview> = {},
): AccessChangePreview {
  return {
    dryRun: true,
    applied: false,
    service: TEAM_DIRECTORY,
    etag: 'BwYAAAAAAAA=',
    before: {
      bindings: [{ role: ACCESSOR, members: ['group:project-x@example.com'] }],
      coverage: { covered: 0, total: 1, ratio: 0, uncoveredMembers: [] },
    },
    after: {
      bindings: [
        {
          role: ACCESSOR,
          members: ['group:project-x@example.com', 'user:alan@example.com'],
        },
      ],
      coverage: { covered: 0, total: 2, ratio: 0, uncoveredMembers: [] },
    },
    added: ['user:alan@example.com'],
    removed: [],
    accessLevels: { before: [], after: [] },
    unmanaged: [],
    ...overrides,
  };
}

/** Setting corp_network on team-directory's managed grant. */
export function corpNetworkPreview(): AccessChangePreview {
  return addAlanPreview({
    after: {
      bindings: [
        {
          role: ACCESSOR,
          members: ['group:project-x@example.com'],
          condition: {
            title: 'Access levels (managed by Backstage)',
            expression: `"${CORP_NETWORK}" in request.auth.access_levels`,
          },
        },
      ],
      coverage: { covered: 1, total: 1, ratio: 1, uncoveredMembers: [] },
    },
    added: [],
    accessLevels: { before: [], after: [CORP_NETWORK] },
  });
}

export function accessRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    id: '3f1c2b1e-0000-4000-8000-000000000001',
    entityRef: 'component:default/team-directory',
    service: TEAM_DIRECTORY,
    requester: 'user:default/alan',
    member: 'user:alan@example.com',
    justification: 'I maintain the desk map for the new office.',
    duration: 'P7D',
    status: 'pending',
    createdAt: '2026-12-02T09:00:00Z',
    requestExpiresAt: '2026-12-09T09:00:00Z',
    ...overrides,
  };
}

export function deniedSelfCheck(): SelfCheckResult {
  return {
    member: 'user:alan@example.com',
    services: [
      {
        service: TEAM_DIRECTORY,
        verdict: 'denied',
        missing: [
          {
            reason: 'no-grant',
            message:
              'No grant on team-directory names user:alan@example.com or a group it is in.',
          },
        ],
        canRequest: true,
      },
    ],
  };
}

export function allowedSelfCheck(): SelfCheckResult {
  return {
    member: 'user:alan@example.com',
    services: [
      {
        service: TEAM_DIRECTORY,
        verdict: 'allowed',
        through: {
          grant: 'Temporary access (managed by Backstage)',
          level: 'service',
          resource: `projects/100000000001/iap_web/cloud_run-europe-west2/services/team-directory`,
          expiresAt: '2026-12-09T10:00:00Z',
        },
        missing: [],
        canRequest: false,
      },
    ],
  };
}
