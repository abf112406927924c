import { createServer } from 'node:net';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { testBackendFeatures } from './testBackendFeatures';

export const examplesDir = path.resolve(__dirname, '../../../../examples');

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PortalTestBackend {
  backend: TestBackend;
  /** `http://127.0.0.1:<port>` of the backend. */
  baseUrl: string;
  /** The port of the embedded Google Cloud fake (googleCloudFake.port). */
  fakePort: number;
}

/**
 * Every feature of the portal backend, with the example catalog, the guest provider, the
 * embedded Google Cloud fake and the portal's permission policy, behind real tokens end to end
 * (so the guest's own sign-in reaches the policy). `config` is added at the top level.
 */
export async function startPortalTestBackend(
  options: {
    config?: NonNullable<Parameters<typeof mockServices.rootConfig>[0]>['data'];
  } = {},
): Promise<PortalTestBackend> {
  const fakePort = await freePort();
  const backend = await startTestBackend({
    features: [
      ...testBackendFeatures,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          catalog: {
            rules: [{ allow: ['Component', 'System', 'User', 'Group'] }],
            locations: [
              { type: 'file', target: path.join(examplesDir, 'entities.yaml') },
              { type: 'file', target: path.join(examplesDir, 'org.yaml') },
            ],
          },
          permission: { enabled: true },
          auth: {
            providers: {
              guest: {
                userEntityRef: 'user:default/guest',
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          cloudRunIap: {
            google: { endpoint: `http://127.0.0.1:${fakePort}` },
            organization: { domains: ['example.com'] },
            projects: [
              {
                id: 'acme-internal-apps',
                regions: ['europe-west2', 'us-central1'],
              },
            ],
          },
          googleCloudFake: { enabled: true, port: fakePort },
          ...options.config,
        },
      }),
    ],
  });
  return {
    backend,
    baseUrl: `http://127.0.0.1:${backend.server.port()}`,
    fakePort,
  };
}
