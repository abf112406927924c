import {
  imageRegistryProblem,
  normalizeEntityRef,
  parseServiceName,
  projectNotAllowedProblem,
  regionNotAllowedProblem,
} from './validation';

const config = {
  projects: [{ id: 'acme-internal-apps', regions: ['europe-west2'] }],
};

describe('validation', () => {
  it('checks that config allows the project, then the region for that project', () => {
    expect(
      projectNotAllowedProblem('acme-internal-apps', config),
    ).toBeUndefined();
    expect(projectNotAllowedProblem('other-project', config)).toMatch(
      /not one of the projects the portal may use \(cloudRunIap.projects: acme-internal-apps\)/,
    );
    expect(
      regionNotAllowedProblem('europe-west2', 'acme-internal-apps', config),
    ).toBeUndefined();
    expect(
      regionNotAllowedProblem('us-east1', 'acme-internal-apps', config),
    ).toMatch(
      /not allowed for project acme-internal-apps \(allowed: europe-west2\)/,
    );
  });

  it('matches registry prefixes by whole path components', () => {
    const allowed = ['europe-west2-docker.pkg.dev/p/apps'];
    expect(imageRegistryProblem('gcr.io/p/app', [])).toBeUndefined();
    expect(
      imageRegistryProblem('europe-west2-docker.pkg.dev/p/apps/x:1', allowed),
    ).toBeUndefined();
    expect(
      imageRegistryProblem(
        'europe-west2-docker.pkg.dev/p/apps-evil/x:1',
        allowed,
      ),
    ).toMatch(/must come from one of the registries/);
  });

  it('normalises entity refs and parses service names', () => {
    expect(normalizeEntityRef('Component:my-app')).toBe(
      'component:default/my-app',
    );
    expect(normalizeEntityRef('component:team/App')).toBe('component:team/app');
    expect(normalizeEntityRef('my app')).toBeUndefined();
    expect(
      parseServiceName('projects/p-123456/locations/europe-west2/services/s'),
    ).toEqual({
      projectId: 'p-123456',
      region: 'europe-west2',
      serviceId: 's',
      name: 'projects/p-123456/locations/europe-west2/services/s',
    });
    expect(parseServiceName('projects/p/services/s')).toBeUndefined();
  });
});
