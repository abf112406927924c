import { isManagedService } from './managedServices';

describe('isManagedService', () => {
  it('is true only for the managed-by: backstage label', () => {
    expect(isManagedService({ labels: { 'managed-by': 'backstage' } })).toBe(
      true,
    );
    expect(isManagedService({ labels: { 'managed-by': 'terraform' } })).toBe(
      false,
    );
    expect(isManagedService({ labels: { team: 'sre' } })).toBe(false);
    expect(isManagedService({})).toBe(false);
  });
});
