import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSeedPath } from '../demoSeed';
import { loadSeedFile, SeedError } from './load';

function seedFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'seed.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(file: string) {
  try {
    loadSeedFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as SeedError).problems;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seed files', () => {
  it('loads the demo seed', () => {
    const seed = loadSeedFile(demoSeedPath);
    const services = seed.projects.flatMap(p => p.services);
    expect(services.length).toBeGreaterThanOrEqual(12);
  });

  it('names the file, the path inside it, the line and the rule', () => {
    const file = seedFile(
      [
        'projects:',
        '  - id: good-project',
        "    number: '1'",
        '    services:',
        '      - id: Bad_Name',
        '        region: europe-west2',
      ].join('\n'),
    );
    const problems = problemsOf(file);
    expect(problems).toEqual([
      {
        path: 'projects[0].services[0].id',
        rule: 'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
        line: 5,
      },
    ]);
    expect(() => loadSeedFile(file)).toThrow(
      `${file}:5: projects[0].services[0].id: lowercase letters`,
    );
  });

  it('reports unknown keys, wrong types and broken references', () => {
    const problems = problemsOf(
      seedFile(
        [
          'organizations:',
          "  - id: '1'",
          '    domain: example.com',
          '    colour: blue',
          'projects:',
          '  - id: orphan-project',
          '    number: 2',
          '    parent: folders/9',
          'accessPolicies:',
          "  - number: '5'",
          '    parent: organizations/1',
          '    title: P',
          '    accessLevels:',
          '      - id: nested',
          '        title: Nested',
          '        basic:',
          '          conditions:',
          '            - requiredAccessLevels: [accessPolicies/5/accessLevels/missing]',
        ].join('\n'),
      ),
    );
    expect(problems.map(p => `${p.path} @${p.line}`)).toEqual([
      'organizations[0] @2',
      'projects[0].number @7',
    ]);
    expect(problems[0].rule).toMatch(/colour/);
    expect(problems[1].rule).toBe(
      'Invalid input: expected string, received number',
    );
  });

  it('checks cross references once every field is well-formed', () => {
    const problems = problemsOf(
      seedFile(
        [
          'projects:',
          '  - id: orphan-project',
          "    number: '2'",
          '    parent: folders/9',
          'accessPolicies:',
          "  - number: '5'",
          '    parent: organizations/1',
          '    title: P',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      {
        path: 'projects[0].parent',
        rule: 'folders/9 is not in the seed',
        line: 4,
      },
      {
        path: 'accessPolicies[0].parent',
        rule: 'organizations/1 is not in the seed',
        line: 7,
      },
    ]);
  });

  it('rejects YAML that does not parse, with its line', () => {
    const problems = problemsOf(seedFile('projects:\n  - id: [unclosed\n'));
    expect(problems[0].rule).toMatch(/^not valid YAML/);
    expect(problems[0].line).toBeGreaterThanOrEqual(2);
  });

  it('rejects a file that cannot be read', () => {
    expect(problemsOf('/nonexistent/seed.yaml')[0].rule).toMatch(
      /^cannot read the file/,
    );
  });

  it('checks groups, custom roles, org policies and IAP settings, with their lines', () => {
    const problems = problemsOf(
      seedFile(
        [
          'organizations:',
          "  - id: '1'",
          '    domain: example.com',
          '    customRoles:',
          '      - { id: webUser, title: Web, includedPermissions: [accessViaIAP] }',
          '    orgPolicies:',
          '      - { constraint: constraints/run.allowedIngress, allowedDomains: [example.com] }',
          '    iapSettings: { accessSettings: { oauth: {} } }',
          'projects:',
          '  - id: good-project',
          "    number: '2'",
          '    iamPolicy:',
          '      bindings:',
          '        - { role: projects/good-project/roles/missing, members: [user:a@example.com] }',
          'groups:',
          '  - email: team@example.com',
          '    members: [group:ghost@example.com, alice]',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'organizations[0].customRoles[0].includedPermissions[0]',
          rule: 'a permission is service.resource.verb, e.g. iap.webServiceVersions.accessViaIAP',
          line: 5,
        },
        {
          path: 'organizations[0].orgPolicies[0]',
          rule: 'allowedDomains is for constraints/iam.allowedPolicyMemberDomains; use allowedValues',
          line: 7,
        },
        {
          path: 'organizations[0].iapSettings',
          rule: `Invalid JSON payload received. Unknown name "oauth" at 'access_settings': Cannot find field.`,
          line: 8,
        },
        {
          path: 'groups[0].members[1]',
          rule: 'user:, serviceAccount: or group: followed by an email address',
          line: 17,
        },
      ]),
    );
  });

  it('checks nested groups and custom roles named in bindings against the seed', () => {
    const problems = problemsOf(
      seedFile(
        [
          'projects:',
          '  - id: good-project',
          "    number: '2'",
          '    iamPolicy:',
          '      bindings:',
          '        - { role: projects/good-project/roles/missing, members: [user:a@example.com] }',
          'groups:',
          '  - email: team@example.com',
          '    members: [group:ghost@example.com]',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      {
        path: 'groups[0].members[0]',
        rule: 'group:ghost@example.com is not a group in the seed (nested groups must be seeded too)',
        line: 9,
      },
      {
        path: 'projects[0].iamPolicy.bindings[0].role',
        rule: 'projects/good-project/roles/missing is not a custom role in the seed (projects/<project-id>/roles/<id> or organizations/<id>/roles/<id>)',
        line: 6,
      },
    ]);
  });
});
