import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readCloudRunDiscoveryConfig } from './config';

function read(cloudRunIap: JsonObject, defaults = ['acme-internal-apps']) {
  return readCloudRunDiscoveryConfig(
    new ConfigReader({ catalog: { providers: { cloudRunIap } } }),
    defaults,
  );
}

describe('readCloudRunDiscoveryConfig', () => {
  it('is off without its block', () => {
    expect(
      readCloudRunDiscoveryConfig(new ConfigReader({}), ['acme-internal-apps']),
    ).toBeUndefined();
  });

  it("defaults to cloudRunIap's projects and a 30 minute schedule", () => {
    expect(read({ unownedOwner: 'platform-team' })).toEqual({
      projects: ['acme-internal-apps'],
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 10 },
        initialDelay: { seconds: 10 },
      },
      unownedOwner: 'group:default/platform-team',
    });
  });

  it('reads its own projects and a partial schedule over the defaults', () => {
    const config = read({
      projects: ['acme-sandbox', 'acme-sandbox'],
      schedule: { frequency: { minutes: 5 } },
      unownedOwner: 'group:ops/platform',
    });
    expect(config?.projects).toEqual(['acme-sandbox']);
    expect(config?.schedule.frequency).toEqual({ minutes: 5 });
    expect(config?.schedule.timeout).toEqual({ minutes: 10 });
    expect(config?.unownedOwner).toBe('group:ops/platform');
  });

  it.each([
    [{}, /unownedOwner must be a group entity ref.*got null/],
    [{ unownedOwner: 'user:default/ada' }, /unownedOwner must be a group/],
    [
      { unownedOwner: 'platform', projects: ['Acme'] },
      /projects\[0\] must be a Google Cloud project id.*"Acme"/,
    ],
    [
      { unownedOwner: 'platform', schedule: { frequency: 'often' } },
      /schedule must be a task schedule/,
    ],
  ])('refuses %j', (block, message) => {
    expect(() => read(block)).toThrow(message);
  });

  it('refuses to discover no project', () => {
    expect(() => read({ unownedOwner: 'platform' }, [])).toThrow(
      /projects is empty and cloudRunIap.projects lists no project/,
    );
  });
});
