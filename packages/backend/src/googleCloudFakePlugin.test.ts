import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { googleCloudFakePlugin } from './googleCloudFakePlugin';

describe('googleCloudFakePlugin', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('refuses to serve the fake in production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({
        features: [
          googleCloudFakePlugin,
          mockServices.rootConfig.factory({
            data: { googleCloudFake: { enabled: true, port: 0 } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /googleCloudFake\.enabled is set with NODE_ENV=production: the local Google Cloud fake is for development only/,
    );
  });

  it('stays off in production when not enabled', async () => {
    process.env.NODE_ENV = 'production';
    const backend = await startTestBackend({
      features: [
        googleCloudFakePlugin,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await expect(backend.stop()).resolves.toBeUndefined();
  });
});
