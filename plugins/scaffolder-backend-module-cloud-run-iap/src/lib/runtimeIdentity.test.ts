import { runtimeAccountId } from './runtimeIdentity';

describe('runtimeAccountId', () => {
  it.each([
    ['uptime-monitor', 'app-uptime-monitor'],
    ['ab', 'app-ab'],
    ['a', /^app-a-[0-9a-f]{6}$/],
    [`a${'b'.repeat(25)}`, `app-a${'b'.repeat(25)}`],
    [`a${'b'.repeat(26)}`, /^app-abbbbbbbbbbbbbbbbbb-[0-9a-f]{6}$/],
    // The 19th character is a hyphen: it is dropped, an account id cannot hold "--".
    [
      'service-with-hyphe-and-more-text',
      /^app-service-with-hyphe-[0-9a-f]{6}$/,
    ],
  ])('derives a valid IAM account id from %s', (serviceId, expected) => {
    const id = runtimeAccountId(serviceId);
    expect(id).toMatch(
      typeof expected === 'string' ? new RegExp(`^${expected}$`) : expected,
    );
    expect(id.length).toBeGreaterThanOrEqual(6);
    expect(id.length).toBeLessThanOrEqual(30);
    expect(id).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])$/);
    expect(runtimeAccountId(serviceId)).toBe(id);
  });

  it('gives long ids that share a prefix different accounts', () => {
    const base = 'a-very-long-service-name-for';
    expect(runtimeAccountId(`${base}-reports`)).not.toBe(
      runtimeAccountId(`${base}-reporting`),
    );
  });
});
