import { TestBackend } from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startPortalTestBackend } from './__testUtils__/portalTestBackend';
import { signInAsGuest } from './__testUtils__/signInAsGuest';

jest.setTimeout(120_000);

/*
 * An AI agent's view of the portal: the MCP endpoint of @backstage/plugin-mcp-actions-backend,
 * driven by the real MCP client with the guest's own token, through the portal's permission
 * policy (owners read and change their apps' access) and the embedded Google Cloud fake.
 */

const TOOLS = [
  'cloud-run-iap.get-app-access',
  'cloud-run-iap.list-access-findings',
  'cloud-run-iap.request-app-access',
  'cloud-run-iap.simulate-app-access',
];
/** Owned by the guest's team (group:default/internal-apps-team). */
const OWNED = 'component:default/access-manager';
/** Owned by user:default/ada alone. */
const NOT_OWNED = 'component:default/callcentre-assistant';

interface ToolAnswer {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: any;
}

describe('the MCP endpoint (/api/mcp-actions/v1)', () => {
  let backend: TestBackend;
  let client: Client;

  beforeAll(async () => {
    let baseUrl: string;
    ({ backend, baseUrl } = await startPortalTestBackend({
      config: { backend: { actions: { pluginSources: ['cloud-run-iap'] } } },
    }));
    const token = await signInAsGuest(baseUrl, {
      group: 'group:default/internal-apps-team',
    });
    client = new Client({ name: 'portal-test-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        },
      ),
    );
  });
  afterAll(async () => {
    await client?.close();
    await backend?.stop();
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({
      name: `cloud-run-iap.${name}`,
      arguments: args,
    })) as ToolAnswer;
  const refusal = (answer: ToolAnswer) => {
    expect(answer.isError).toBe(true);
    return answer.content[0].text;
  };

  it('lists the four actions as tools, with their input schemas and hints', async () => {
    const { tools } = await client.listTools();
    expect(tools.map(t => t.name).sort()).toEqual(TOOLS);
    const request = tools.find(
      t => t.name === 'cloud-run-iap.request-app-access',
    )!;
    expect(request.annotations).toMatchObject({ readOnlyHint: false });
    expect(request.inputSchema.required).toEqual([
      'entityRef',
      'service',
      'justification',
      'duration',
    ]);
    expect(
      tools.find(t => t.name === 'cloud-run-iap.get-app-access')!.annotations,
    ).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it('get-app-access: the report of an app the guest owns; a refusal for one it does not', async () => {
    const owned = await call('get-app-access', { entityRef: OWNED });
    expect(owned.isError).toBeFalsy();
    expect(owned.structuredContent).toMatchObject({
      entityRef: OWNED,
      services: [
        {
          resourceName:
            'projects/acme-internal-apps/locations/europe-west2/services/access-manager',
        },
      ],
    });
    expect(JSON.parse(owned.content[0].text!)).toEqual(owned.structuredContent);

    expect(
      refusal(await call('get-app-access', { entityRef: NOT_OWNED })),
    ).toBe(
      `NotAllowedError: You may not read the access of ${NOT_OWNED} (cloud-run-iap.access.read)`,
    );
  });

  it('simulate-app-access: decisions for an owned app; a refusal for one it does not own', async () => {
    const owned = await call('simulate-app-access', {
      entityRef: OWNED,
      ip: '198.51.100.7',
      region: 'GB',
    });
    expect(owned.isError).toBeFalsy();
    expect(owned.structuredContent.request).toEqual({
      ip: '198.51.100.7',
      region: 'GB',
    });
    expect(owned.structuredContent.services).toHaveLength(1);
    expect(
      owned.structuredContent.services[0].accessors.length,
    ).toBeGreaterThan(0);

    expect(
      refusal(await call('simulate-app-access', { entityRef: NOT_OWNED })),
    ).toMatch(/^NotAllowedError: .*cloud-run-iap\.access\.read/);
  });

  it('list-access-findings: the findings of the guest’s team’s apps, none of others’', async () => {
    const team = await call('list-access-findings', {
      owner: 'internal-apps-team',
    });
    expect(team.isError).toBeFalsy();
    expect(team.structuredContent.owner).toBe(
      'group:default/internal-apps-team',
    );
    expect(team.structuredContent.findings.length).toBeGreaterThan(0);

    // ada's app is left out, as the review leaves it out: the guest may not read its access.
    const ada = await call('list-access-findings', {
      owner: 'user:default/ada',
    });
    expect(ada.isError).toBeFalsy();
    expect(ada.structuredContent).toMatchObject({ apps: 0, findings: [] });
  });

  it('request-app-access: the guest asks for access to an app it does not own', async () => {
    const asked = await call('request-app-access', {
      entityRef: NOT_OWNED,
      service:
        'projects/acme-internal-apps/locations/us-central1/services/callcentre-assistant',
      justification: 'Covering the call-centre rota this week',
      duration: 'P1D',
    });
    expect(asked.isError).toBeFalsy();
    expect(asked.structuredContent).toMatchObject({
      entityRef: NOT_OWNED,
      requester: 'user:default/guest',
      member: 'user:guest@example.com',
      status: 'pending',
    });

    expect(
      refusal(
        await call('request-app-access', {
          entityRef: NOT_OWNED,
          service:
            'projects/acme-internal-apps/locations/us-central1/services/other',
          justification: 'x',
          duration: 'P1D',
        }),
      ),
    ).toMatch(/^InputError: service: /);

    // The schema's refusals name the field and the rule too.
    expect(
      refusal(
        await call('request-app-access', {
          entityRef: NOT_OWNED,
          service:
            'projects/acme-internal-apps/locations/us-central1/services/callcentre-assistant',
          justification: 'x',
          duration: 'P2D',
        }),
      ),
    ).toMatch(
      /^InputError: Invalid input to action "cloud-run-iap:request-app-access"; caused by .*"path": \[\s*"duration"\s*\].*Invalid enum value/s,
    );
  });
});
