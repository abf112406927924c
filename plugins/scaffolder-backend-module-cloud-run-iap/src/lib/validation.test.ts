import {
  envProblems,
  imageReferenceProblem,
  labelProblems,
  normalizeEntityRef,
  parseServiceName,
  projectIdProblem,
  regionProblem,
  serviceIdProblem,
} from './validation';

const config = {
  projects: [{ id: 'acme-internal-apps', regions: ['europe-west2'] }],
};

describe('validation', () => {
  it.each([
    ['a', true],
    ['access-manager', true],
    [`a${'b'.repeat(48)}`, true],
    [`a${'b'.repeat(49)}`, false],
    ['1app', false],
    ['app-', false],
    ['App', false],
    ['my_app', false],
  ])('service id %s is valid: %s', (id, ok) => {
    expect(serviceIdProblem(id) === undefined).toBe(ok);
  });

  it('checks project id format, then membership, then the region for that project', () => {
    expect(projectIdProblem('acme-internal-apps', config)).toBeUndefined();
    expect(projectIdProblem('acme', config)).toMatch(/6 to 30/);
    expect(projectIdProblem('other-project', config)).toMatch(
      /not one of the projects the portal may use \(cloudRunIap.projects: acme-internal-apps\)/,
    );
    expect(
      regionProblem('europe-west2', 'acme-internal-apps', config),
    ).toBeUndefined();
    expect(regionProblem('us-east1', 'acme-internal-apps', config)).toMatch(
      /not allowed for project acme-internal-apps \(allowed: europe-west2\)/,
    );
  });

  it.each([
    ['europe-west2-docker.pkg.dev/p/r/app:1.0', true],
    ['gcr.io/p/app', true],
    [`localhost:5000/app@sha256:${'a'.repeat(64)}`, true],
    ['us-docker.pkg.dev/cloudrun/container/hello', true],
    ['app', true],
    ['Upper/app:1', false],
    ['gcr.io/p/app:', false],
    ['gcr.io/p/app:1 2', false],
    ['https://gcr.io/p/app', false],
  ])('image %s is valid: %s', (image, ok) => {
    expect(imageReferenceProblem(image) === undefined).toBe(ok);
  });

  it('checks labels and env without echoing env values', () => {
    expect(labelProblems({ team: 'sre', 'cost-centre': '1234' })).toEqual([]);
    expect(labelProblems({ 'run.googleapis.com/x': 'y' })[0][1]).toMatch(
      /reserved/,
    );
    expect(labelProblems({ team: 'SRE' })[0][1]).toMatch(/value must be/);
    const problems = envProblems({
      OK: 'plain',
      DB_PASSWORD: 'hunter2',
      'BAD-NAME': 'x',
      K_SERVICE: 'x',
      SECRET_REF: { secret: 'db', version: 'v1' },
    });
    expect(problems.map(([field]) => field)).toEqual([
      'env.DB_PASSWORD',
      'env.BAD-NAME',
      'env.K_SERVICE',
      'env.SECRET_REF.version',
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
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
