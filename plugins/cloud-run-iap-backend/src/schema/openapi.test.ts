import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { spec } from './openapi';

describe('src/schema/openapi.yaml', () => {
  const yaml = parseYaml(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  );

  it('is the spec the router is built from (regenerate with yarn openapi:generate)', () => {
    expect(spec).toEqual(yaml);
  });

  it('declares every route the plugin serves, and no /health', () => {
    expect(
      Object.entries(yaml.paths).flatMap(([route, operations]) =>
        Object.keys(operations as object).map(
          method => `${method.toUpperCase()} ${route}`,
        ),
      ),
    ).toEqual([
      'GET /entities/by-name/{kind}/{namespace}/{name}/access',
      'POST /entities/by-name/{kind}/{namespace}/{name}/access/simulate',
      'POST /entities/by-name/{kind}/{namespace}/{name}/access/self-check',
      'POST /entities/by-name/{kind}/{namespace}/{name}/access/changes',
      'POST /entities/by-name/{kind}/{namespace}/{name}/access/requests',
      'GET /entities/by-name/{kind}/{namespace}/{name}/access/requests',
      'GET /entities/by-name/{kind}/{namespace}/{name}/access/history',
      'GET /review',
      'GET /access-levels',
      'GET /access/requests',
      'POST /access/requests/{id}/decision',
    ]);
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(yaml).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.slice('"$ref":"#/'.length, -1).split('/');
      const resolved = target.reduce(
        (node: any, key) => (node === undefined ? undefined : node[key]),
        yaml,
      );
      expect([ref, resolved]).toEqual([ref, expect.anything()]);
    }
  });
});
