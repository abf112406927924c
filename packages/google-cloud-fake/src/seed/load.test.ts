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
});
