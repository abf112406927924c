import { evaluatePerimeters } from './perimeter';

const PROJECT = 'projects/123';

describe('evaluatePerimeters', () => {
  it('is in a perimeter whose enforced config restricts Cloud Run', () => {
    expect(
      evaluatePerimeters(
        [
          {
            name: 'accessPolicies/1/servicePerimeters/apps',
            title: 'Apps',
            status: {
              resources: [PROJECT],
              restrictedServices: ['run.googleapis.com'],
            },
          },
          {
            name: 'accessPolicies/1/servicePerimeters/other',
            status: {
              resources: ['projects/999'],
              restrictedServices: ['run.googleapis.com'],
            },
          },
        ],
        '123',
      ),
    ).toEqual({
      inPerimeter: true,
      perimeters: [
        {
          name: 'accessPolicies/1/servicePerimeters/apps',
          title: 'Apps',
          restrictsRun: true,
          dryRun: false,
        },
      ],
    });
  });

  it('does not count a perimeter that does not restrict Cloud Run', () => {
    expect(
      evaluatePerimeters(
        [
          {
            name: 'accessPolicies/1/servicePerimeters/data',
            status: {
              resources: [PROJECT],
              restrictedServices: ['storage.googleapis.com'],
            },
          },
        ],
        '123',
      ),
    ).toEqual({
      inPerimeter: false,
      perimeters: [
        {
          name: 'accessPolicies/1/servicePerimeters/data',
          restrictsRun: false,
          dryRun: false,
        },
      ],
    });
  });

  it('does not count dry-run-only membership', () => {
    const status = evaluatePerimeters(
      [
        {
          name: 'accessPolicies/1/servicePerimeters/apps',
          spec: {
            resources: [PROJECT],
            restrictedServices: ['run.googleapis.com'],
          },
          useExplicitDryRunSpec: true,
        },
      ],
      '123',
    );
    expect(status.inPerimeter).toBe(false);
    expect(status.perimeters[0]).toMatchObject({
      restrictsRun: true,
      dryRun: true,
    });
  });

  it('ignores spec without useExplicitDryRunSpec', () => {
    expect(
      evaluatePerimeters(
        [
          {
            name: 'accessPolicies/1/servicePerimeters/apps',
            spec: {
              resources: [PROJECT],
              restrictedServices: ['run.googleapis.com'],
            },
          },
        ],
        '123',
      ),
    ).toEqual({ inPerimeter: false, perimeters: [] });
  });

  it('does not count bridges', () => {
    expect(
      evaluatePerimeters(
        [
          {
            name: 'accessPolicies/1/servicePerimeters/bridge',
            perimeterType: 'PERIMETER_TYPE_BRIDGE',
            status: {
              resources: [PROJECT],
              restrictedServices: ['run.googleapis.com'],
            },
          },
        ],
        '123',
      ).inPerimeter,
    ).toBe(false);
  });

  it('is unknown when perimeters could not be read', () => {
    expect(evaluatePerimeters({ error: 'PERMISSION_DENIED' }, '123')).toEqual({
      inPerimeter: 'unknown',
      perimeters: [],
    });
    expect(evaluatePerimeters(undefined, '123').inPerimeter).toBe('unknown');
  });
});
