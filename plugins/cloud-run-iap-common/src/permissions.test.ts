import {
  cloudRunIapAccessLevelsReadPermission,
  cloudRunIapAccessManagePermission,
  cloudRunIapAccessReadPermission,
  cloudRunIapPermissions,
} from './permissions';

describe('permissions', () => {
  it('defines the read permission on catalog entities', () => {
    expect(cloudRunIapAccessReadPermission).toEqual({
      type: 'resource',
      name: 'cloud-run-iap.access.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
  });

  it('defines the manage permission on catalog entities', () => {
    expect(cloudRunIapAccessManagePermission).toEqual({
      type: 'resource',
      name: 'cloud-run-iap.access.manage',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
  });

  it('defines the access-levels permission as a basic one', () => {
    expect(cloudRunIapAccessLevelsReadPermission).toEqual({
      type: 'basic',
      name: 'cloud-run-iap.access-levels.read',
      attributes: { action: 'read' },
    });
  });

  it('lists all three', () => {
    expect(cloudRunIapPermissions.map(p => p.name)).toEqual([
      'cloud-run-iap.access.read',
      'cloud-run-iap.access.manage',
      'cloud-run-iap.access-levels.read',
    ]);
  });
});
