import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

/*
 * The templates' form lists the projects, regions and domains of app-config.yaml's cloudRunIap
 * block (a form cannot read config); these checks keep both in step.
 */
const repoRoot = path.resolve(__dirname, '../../..');
const appConfig = yaml.parse(
  readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);
const projects: Array<{ id: string; regions: string[] }> =
  appConfig.cloudRunIap.projects;
const templateNames = readdirSync(path.join(repoRoot, 'templates'), {
  withFileTypes: true,
})
  .filter(d => d.isDirectory())
  .map(d => d.name);

describe.each(templateNames)('template %s', name => {
  const template = yaml.parse(
    readFileSync(
      path.join(repoRoot, 'templates', name, 'template.yaml'),
      'utf8',
    ),
  );
  const steps: any[] = template.spec.parameters;
  const property = (key: string) =>
    steps.find(s => s.properties?.[key])?.properties[key];

  it('is registered in app-config.yaml, allowed as a Template', () => {
    const location = appConfig.catalog.locations.find(
      (l: any) => l.target === `../../templates/${name}/template.yaml`,
    );
    expect(location?.rules).toEqual([{ allow: ['Template'] }]);
    expect(template.metadata.name).toBe(name);
    expect(template.metadata.title).toBeTruthy();
    expect(template.metadata.description).toBeTruthy();
    expect(template.metadata.tags).toEqual(
      expect.arrayContaining(['cloud-run', 'iap']),
    );
  });

  it('offers the projects and regions of cloudRunIap.projects', () => {
    expect(property('projectId').enum).toEqual(projects.map(p => p.id));
    const where = steps.find(s => s.properties?.projectId);
    const branches = where.dependencies.projectId.oneOf.map((b: any) => ({
      id: b.properties.projectId.const,
      regions: b.properties.region.enum,
    }));
    expect(branches).toEqual(
      projects.map(p => ({ id: p.id, regions: p.regions })),
    );
  });

  it("limits accessors to the organisation's domains and projects", () => {
    const options = property('accessors')['ui:options'];
    expect(options.allowedDomains).toEqual(
      appConfig.cloudRunIap.organization.domains,
    );
    expect(options.ownProjectIds).toEqual(projects.map(p => p.id));
  });

  it('takes a name that is both a valid entity name and a Cloud Run service id', () => {
    const pattern = new RegExp(property('name').pattern);
    for (const good of ['a', 'access-requests', `a${'b'.repeat(48)}`]) {
      expect(good).toMatch(pattern);
    }
    for (const bad of ['Access', 'app-', '1app', 'a_b', `a${'b'.repeat(49)}`]) {
      expect(bad).not.toMatch(pattern);
    }
  });
});
