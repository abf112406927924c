import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  demoSeedPath,
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  AccessReportResponse,
  ServiceAccessReport,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  PluginTestBackend,
  startPluginTestBackend,
  TestEntity,
} from './__testUtils__/testBackend';

/*
 * Who can really get in (groups, roles, levels that restrict nothing, sign-in, reachability,
 * time bounds, org policies), through the backend's HTTP API against the fake's demo world:
 * each demo service stands for one situation.
 */

// Starting the catalog and the plugin takes more than jest's 5 s on a busy machine.
jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../../..');
const appConfig = parseYaml(
  fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
).cloudRunIap;
const examples: TestEntity[] = parseAllDocuments(
  fs.readFileSync(path.join(root, 'examples/entities.yaml'), 'utf8'),
)
  .map(doc => doc.toJS())
  .filter(e => e.kind === 'Component')
  .map(e => ({
    name: e.metadata.name,
    annotation: e.metadata.annotations['google.com/cloud-run-service'],
    owner: e.spec.owner,
  }));

describe('who can really get in, through the backend against the demo world', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: examples,
      links: appConfig.links,
      cloudRunIap: { projects: appConfig.projects },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  async function report(name: string): Promise<ServiceAccessReport> {
    const res = await portal.request(
      'GET',
      `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as AccessReportResponse;
    expect(body.unavailableServices).toEqual([]);
    return body.services[0];
  }
  const findingIds = (service: ServiceAccessReport) =>
    service.findings.map(f => f.id);

  it('expands a group accessor to its people, nested groups included, and flags the outside member', async () => {
    const service = await report('team-directory');
    const group = service.accessors.find(
      a => a.member === 'group:project-x@example.com',
    );
    expect(group?.group).toMatchObject({
      expanded: true,
      externalMembers: ['user:sam@partner-agency.com'],
    });
    expect(group!.group!.size).toBeGreaterThan(1);
    expect(group!.group!.nestedGroups).toBeGreaterThanOrEqual(1);
    expect(findingIds(service)).toContain('GROUP_WITH_EXTERNAL_MEMBERS');
    expect(service.people?.map(p => p.member)).toContain(
      'user:sam@partner-agency.com',
    );
  });

  it('simulates a user through the groups they are in', async () => {
    const decisionFor = async (member: string) => {
      const res = await portal.request(
        'POST',
        '/api/cloud-run-iap/entities/by-name/component/default/team-directory/access/simulate',
        { body: { member } },
      );
      expect(res.status).toBe(200);
      const body = await res.json();
      return body.services[0].accessors.map(
        (a: { member: string; decision: string }) =>
          `${a.member} ${a.decision}`,
      );
    };
    // ada is a direct member of project-x@; ken is in no group that holds the grant.
    expect(await decisionFor('user:ada@example.com')).toEqual([
      'group:project-x@example.com allow',
    ]);
    expect(await decisionFor('user:ken@example.com')).toEqual([]);
  });

  it('marks an expired time-bound grant as giving no access, with a finding to remove it', async () => {
    const service = await report('holiday-planner');
    const expired = service.accessors.filter(a => a.expired);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired[0].grants[0].expiresAt).toBe('2025-01-01T00:00:00Z');
    expect(findingIds(service)).toContain('EXPIRED_GRANT');
  });

  it('does not count a level that restricts nothing as a restriction', async () => {
    const service = await report('office-map');
    expect(findingIds(service)).toContain('ACCESS_LEVEL_RESTRICTS_NOTHING');
    expect(service.coverage.covered).toBe(0);
    expect(service.accessors.every(a => !a.contextRestricted)).toBe(true);
  });

  it('counts a custom organisation role carrying accessViaIAP as access, and merges IAP settings across levels', async () => {
    const service = await report('kb-editor');
    const roles = service.accessors.flatMap(a => a.grants.map(g => g.role));
    expect(roles).toContain('organizations/123456789012/roles/webAppUser');
    expect(service.iapSettings.oauthClient).toBe('custom');
    expect(service.iapSettings.reauth).toBeDefined();
  });

  it('says a service with internal ingress cannot be reached from the internet', async () => {
    const service = await report('payroll-export');
    expect(service.reachability).toMatchObject({ fromInternet: 'no' });
    const res = await portal.request(
      'POST',
      '/api/cloud-run-iap/entities/by-name/component/default/payroll-export/access/simulate',
      { body: { ip: '8.8.8.8' } },
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toMatch(
      /not reachable from the internet/i,
    );
  });

  it('reads the project-level custom role that carries run.routes.invoke from the IAM API', async () => {
    const service = await report('metrics-board');
    expect(
      service.notes.filter(n => /role definitions/.test(n.message)),
    ).toEqual([]);
    expect(
      fake
        .requests()
        .filter(r => r.path.endsWith('/projects/acme-sandbox/roles/runCaller'))
        .map(r => r.status),
    ).toEqual([200]);
  });

  it('shows the effective org policies of the project', async () => {
    const service = await report('access-manager');
    expect(service.orgPolicies?.allowedPolicyMemberDomains?.read).toBe(true);
    expect(service.orgPolicies?.allowedIngress?.read).toBe(true);
  });

  it('expands the review to people, in JSON and in CSV', async () => {
    const review = async (query: string) =>
      portal.request(
        'GET',
        `/api/cloud-run-iap/review?owner=group:default/internal-apps-team${query}`,
      );
    const asGranted = await (await review('')).json();
    const people = await (await review('&expand=people')).json();
    const teamDirectory = (body: { rows: any[] }) =>
      body.rows.filter(r => r.serviceName.endsWith('/services/team-directory'));
    expect(teamDirectory(asGranted).map(r => r.member)).toEqual([
      'group:project-x@example.com',
    ]);
    expect(
      teamDirectory(people).map(r => `${r.member} via ${r.via.join(' ')}`),
    ).toEqual([
      'user:ada@example.com via group:project-x@example.com',
      'user:sam@partner-agency.com via group:project-x@example.com',
    ]);

    const csv = await (await review('&expand=people&format=csv')).text();
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header.split(',')).toContain('via');
    expect(
      lines.filter(l => l.includes('user:sam@partner-agency.com')),
    ).toHaveLength(1);

    const bad = await review('&expand=everyone');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/expand/);
  });

  it('lists who can call a service directly when IAP is off and the invoker check disabled', async () => {
    const service = await report('uptime-monitor');
    expect(service.iapEnabled).toBe(false);
    expect(service.runInvoker.directCallers).toMatchObject({ anyone: true });
  });

  it('reads each role definition once however many reports name it', async () => {
    fake.clearRequests();
    await report('holiday-planner');
    await report('team-directory');
    const roleReads = fake
      .requests()
      .filter(r => /roles\.get$/.test(r.methodId ?? ''));
    expect(roleReads).toEqual([]);
  });
});

describe('who can really get in, when the portal may not read groups', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    const demo = parseYaml(fs.readFileSync(demoSeedPath, 'utf8'));
    fake = await startGoogleCloudFake({
      seed: { ...demo, groupsReadable: false },
    });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: examples,
      links: appConfig.links,
      cloudRunIap: { projects: appConfig.projects },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  it('says so in a source note and falls back to one row per granted member', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/entities/by-name/component/default/team-directory/access',
    );
    expect(res.status).toBe(200);
    const [service] = ((await res.json()) as AccessReportResponse).services;
    expect(service.notes.map(n => n.source)).toContain('groups');
    expect(service.coverage.unit).toBe('accessor');
    expect(service.accessors.map(a => a.member)).toEqual([
      'group:project-x@example.com',
    ]);
    expect(service.findings.map(f => f.id)).not.toContain(
      'GROUP_WITH_EXTERNAL_MEMBERS',
    );
  });
});
