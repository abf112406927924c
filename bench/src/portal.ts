import fs from 'node:fs';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
// The plugin's own test backend: the real plugin and the real catalog, behind real HTTP and auth.
/* eslint-disable no-restricted-imports, @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports */
import {
  PluginTestBackend,
  startPluginTestBackend,
} from '@internal-apps/plugin-cloud-run-iap-backend/src/__testUtils__/testBackend';
/* eslint-enable no-restricted-imports, @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports */
import { GeneratedApp, GeneratedWorld } from './seeds';

/** How many entities the test backend waits for (it reads one catalog page of 500). */
const FIRST_PAGE = 500;

function componentsYaml(apps: GeneratedApp[]) {
  return apps
    .map(
      app => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${app.name}
  annotations: { google.com/cloud-run-service: ${app.service} }
spec: { type: service, lifecycle: production, owner: group:default/team-a }`,
    )
    .join('\n---\n');
}

/**
 * Appends the apps past the first page to the catalog file the test backend made, and has the
 * catalog refresh that file's location (new locations of type file are refused by its API).
 */
async function addRemainingApps(
  portal: PluginTestBackend,
  apps: GeneratedApp[],
) {
  const headers = {
    Authorization: mockCredentials.service.header(),
    'Content-Type': 'application/json',
  };
  const locations = (await (
    await fetch(
      `${portal.baseUrl}/api/catalog/entities/by-query?filter=kind=location`,
      { headers },
    )
  ).json()) as {
    items: Array<{ metadata: { name: string }; spec: { target?: string } }>;
  };
  const location = locations.items.find(l =>
    l.spec.target?.endsWith('entities.yaml'),
  );
  if (!location?.spec.target) {
    throw new Error("The catalog has no location for the test backend's file");
  }
  const file = location.spec.target.replace(/^file:/, '');
  fs.appendFileSync(file, `\n---\n${componentsYaml(apps.slice(FIRST_PAGE))}`);
  const res = await fetch(`${portal.baseUrl}/api/catalog/refresh`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      entityRef: `location:default/${location.metadata.name}`,
    }),
  });
  if (!res.ok) {
    throw new Error(
      `refreshing ${file} answered ${res.status}: ${await res.text()}`,
    );
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const page = await fetch(
      `${portal.baseUrl}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
      { headers },
    );
    const { totalItems } = (await page.json()) as { totalItems: number };
    if (totalItems >= apps.length) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog served ${totalItems} of ${apps.length} apps`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

export interface BenchPortal {
  fake: GoogleCloudFake;
  portal: PluginTestBackend;
  /** GET an entity's access report as the lead. */
  access(name: string): Promise<Response>;
  stop(): Promise<void>;
}

/** The fake seeded with `world` and `latencyMs` per call, and the backend pointed at it. */
export async function startBenchPortal(
  world: GeneratedWorld,
  latencyMs: number,
  cloudRunIap: Record<string, unknown> = {},
): Promise<BenchPortal> {
  const fake = await startGoogleCloudFake({
    seed: world.seed,
    latencyMs,
    requestLogLimit: 1_000_000,
  });
  const portal = await startPluginTestBackend({
    fakeUrl: fake.url,
    entities: world.apps.slice(0, FIRST_PAGE).map(app => ({
      name: app.name,
      annotation: app.service,
    })),
    cloudRunIap: { projects: world.projects, ...cloudRunIap },
  });
  if (world.apps.length > FIRST_PAGE) {
    await addRemainingApps(portal, world.apps);
  }
  return {
    fake,
    portal,
    access: name =>
      portal.request(
        'GET',
        `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`,
      ),
    async stop() {
      await portal.stop();
      await fake.stop();
    },
  };
}
