import { buildServiceAccessReport } from './buildServiceReport';
import {
  CORP,
  healthyInput,
  IAP_AGENT,
  PROJECT_NUMBER,
  ref,
  requires,
} from './testFixtures';

describe('buildServiceAccessReport', () => {
  it('reports the service facts', () => {
    const report = buildServiceAccessReport(healthyInput());
    expect(report).toMatchObject({
      ref,
      resourceName: ref.name,
      projectId: 'acme-apps',
      projectNumber: PROJECT_NUMBER,
      region: 'europe-west2',
      uri: 'https://hello-abc-nw.a.run.app',
      urls: [
        `https://hello-${PROJECT_NUMBER}.europe-west2.run.app`,
        'https://hello-abc-nw.a.run.app',
      ],
      iapEnabled: true,
      ingress: 'INGRESS_TRAFFIC_ALL',
      invokerIamDisabled: false,
      defaultUriDisabled: false,
      ready: 'ready',
      latestRevision: 'hello-00002-xyz',
      updateTime: '2026-11-01T10:00:00Z',
      runtimeServiceAccount: 'hello-runtime@acme-apps.iam.gserviceaccount.com',
      runInvoker: {
        read: true,
        members: [IAP_AGENT],
        publicMembers: [],
        iapServiceAgent: IAP_AGENT,
        iapAgentIsInvoker: true,
      },
      coverage: { covered: 1, total: 1, ratio: 1, uncoveredMembers: [] },
      perimeter: {
        inPerimeter: true,
        perimeters: [
          {
            name: 'accessPolicies/555/servicePerimeters/apps',
            title: 'Apps',
            restrictsRun: true,
            dryRun: false,
          },
        ],
      },
      iapSettings: { read: true, programmaticClients: [] },
      findings: [],
      notes: [],
    });
    expect(report.accessLevels.map(l => [l.name, l.status])).toEqual([
      [CORP, 'valid'],
    ]);
    expect(report.accessors).toHaveLength(1);
    expect(report.accessors[0].grants[0]).toMatchObject({
      level: 'service',
      resource: `projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2/services/hello`,
      role: 'roles/iap.httpsResourceAccessor',
      condition: { expression: requires(CORP), title: 'level' },
      contextRestricted: true,
    });
  });

  it('is JSON-serialisable without loss', () => {
    const report = buildServiceAccessReport(healthyInput());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it.each([
    [{ reconciling: true }, 'reconciling'],
    [
      { terminalCondition: { state: 'CONDITION_FAILED', message: 'boom' } },
      'failed',
    ],
    [{ terminalCondition: { state: 'CONDITION_PENDING' } }, 'reconciling'],
    [{ terminalCondition: undefined }, 'unknown'],
  ])('derives readiness %j → %s', (change, ready) => {
    const input = healthyInput();
    Object.assign(input.service, change);
    expect(buildServiceAccessReport(input).ready).toBe(ready);
  });

  it('keeps the readiness message', () => {
    const input = healthyInput();
    input.service.terminalCondition = {
      state: 'CONDITION_FAILED',
      message: 'Revision failed to start',
    };
    expect(buildServiceAccessReport(input).readinessMessage).toBe(
      'Revision failed to start',
    );
  });

  it('turns every unreadable source into a note and degrades, without throwing', () => {
    const input = healthyInput();
    input.runPolicy = { error: 'PERMISSION_DENIED' };
    input.iapPolicies = {
      service: input.iapPolicies.service,
      region: { error: 'PERMISSION_DENIED' },
    };
    input.resourcePolicies[1] = {
      level: 'organization',
      resource: 'organizations/42',
      error: 'PERMISSION_DENIED',
    };
    input.organizationPolicy = { error: 'UNAVAILABLE' };
    input.perimeters = { error: 'PERMISSION_DENIED' };
    input.iapSettings = { error: 'NOT_FOUND' };
    input.notes = [{ source: 'other', message: 'served from backend' }];

    const report = buildServiceAccessReport(input);
    expect(report.notes).toEqual([
      { source: 'other', message: 'served from backend' },
      {
        source: 'iap-iam',
        message: `IAP policy of projects/${PROJECT_NUMBER}/iap_web/cloud_run-europe-west2 not readable: PERMISSION_DENIED`,
      },
      {
        source: 'iap-iam',
        message: `IAP policy of projects/${PROJECT_NUMBER}/iap_web not readable: not fetched`,
      },
      {
        source: 'organization-iam',
        message:
          'organization IAM (organizations/42) not readable: PERMISSION_DENIED',
      },
      {
        source: 'access-levels',
        message: 'organization access policy not readable: UNAVAILABLE',
      },
      {
        source: 'run-iam',
        message: 'Cloud Run IAM policy not readable: PERMISSION_DENIED',
      },
      {
        source: 'perimeters',
        message:
          'VPC Service Controls perimeters not readable: PERMISSION_DENIED',
      },
      {
        source: 'iap-settings',
        message: 'IAP settings not readable: NOT_FOUND',
      },
    ]);
    expect(report.runInvoker).toMatchObject({
      read: false,
      iapAgentIsInvoker: 'unknown',
    });
    expect(report.perimeter.inPerimeter).toBe('unknown');
    expect(report.iapSettings.read).toBe(false);
    expect(report.accessLevels[0].status).toBe('unresolved');
    expect(report.coverage).toMatchObject({ covered: 0, total: 1 });
    expect(report.findings.map(f => f.id)).toEqual(['NO_CONTEXT_AWARE_ACCESS']);
    expect(report.findings[0].why).toContain(
      'The access levels could not be read, so no restriction could be verified.',
    );
  });

  it('leaves the agent invoker unknown when an ancestor policy is unreadable', () => {
    const input = healthyInput();
    input.runPolicy = { bindings: [] };
    input.resourcePolicies[1] = {
      level: 'organization',
      resource: 'organizations/42',
      error: 'PERMISSION_DENIED',
    };
    const report = buildServiceAccessReport(input);
    expect(report.runInvoker.iapAgentIsInvoker).toBe('unknown');
    expect(report.findings.map(f => f.id)).not.toContain(
      'IAP_AGENT_NOT_INVOKER',
    );
  });

  it('notes a missing organization domain configuration', () => {
    const input = healthyInput();
    input.organizationDomains = [];
    const report = buildServiceAccessReport(input);
    expect(report.notes).toEqual([
      {
        source: 'configuration',
        message:
          'no organization domain configured: whether accessors are inside the organization is unknown',
      },
    ]);
    expect(report.accessors[0].inOrganization).toBe('unknown');
  });

  it('defaults the runtime identity and URLs', () => {
    const input = healthyInput();
    delete input.service.template;
    delete input.service.urls;
    const report = buildServiceAccessReport(input);
    expect(report.runtimeServiceAccount).toBe(
      `${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`,
    );
    expect(report.urls).toEqual(['https://hello-abc-nw.a.run.app']);
  });
});
