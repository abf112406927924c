import { analyzeCondition } from './conditions';

const level = (id: string) => `accessPolicies/123/accessLevels/${id}`;
const holds = (id: string, quote = '"') =>
  `${quote}${level(id)}${quote} in request.auth.access_levels`;
const CORP = level('corp');
const HOME = level('home');
const PARTNER = level('partner');
const BEFORE_2030 = 'request.time < timestamp("2030-01-01T00:00:00Z")';

interface Expected {
  understood: boolean;
  requiresAccessLevels: boolean;
  requiredLevelSets?: string[][];
  referencedLevels?: string[];
  usesNegation?: boolean;
  usesOr?: boolean;
  orWeakensRestriction?: boolean;
  usesPathOrHost?: boolean;
  otherAttributes?: string[];
}

const restricted = (
  sets: string[][],
  extra: Partial<Expected> = {},
): Expected => ({
  understood: true,
  requiresAccessLevels: true,
  requiredLevelSets: sets,
  ...extra,
});
const unrestricted = (extra: Partial<Expected> = {}): Expected => ({
  understood: true,
  requiresAccessLevels: false,
  requiredLevelSets: [],
  ...extra,
});
const notUnderstood = (extra: Partial<Expected> = {}): Expected => ({
  understood: false,
  requiresAccessLevels: false,
  requiredLevelSets: [],
  ...extra,
});

const cases: Array<[string, string, Expected]> = [
  [
    'double-quoted level',
    holds('corp'),
    restricted([[CORP]], { referencedLevels: [CORP], usesOr: false }),
  ],
  ['single-quoted level', holds('corp', "'"), restricted([[CORP]])],
  ['nested parentheses', `((( ${holds('corp')} )))`, restricted([[CORP]])],
  ['true && level', `true && ${holds('corp')}`, restricted([[CORP]])],
  ['level && true', `${holds('corp')} && true`, restricted([[CORP]])],
  [
    'level || true',
    `${holds('corp')} || true`,
    unrestricted({ usesOr: true, orWeakensRestriction: true }),
  ],
  [
    'true || level',
    `true || ${holds('corp')}`,
    unrestricted({ usesOr: true, orWeakensRestriction: true }),
  ],
  [
    'false || level',
    `false || ${holds('corp')}`,
    restricted([[CORP]], { usesOr: true, orWeakensRestriction: false }),
  ],
  [
    'negated level',
    `!(${holds('corp')})`,
    unrestricted({ usesNegation: true, referencedLevels: [CORP] }),
  ],
  [
    'double negation',
    `!!(${holds('corp')})`,
    restricted([[CORP]], { usesNegation: false }),
  ],
  [
    'level && !(level2)',
    `${holds('corp')} && !(${holds('home')})`,
    restricted([[CORP]], {
      usesNegation: true,
      referencedLevels: [CORP, HOME],
    }),
  ],
  [
    'negated conjunction',
    `!(${holds('corp')} && ${holds('home')})`,
    unrestricted({ usesNegation: true }),
  ],
  [
    'De Morgan of negated levels',
    `!(!(${holds('corp')}) || !(${holds('home')}))`,
    restricted([[CORP, HOME]], { usesNegation: false, usesOr: true }),
  ],
  [
    'disjunction of levels',
    `${holds('corp')} || ${holds('home')}`,
    restricted([[CORP], [HOME]], { usesOr: true, orWeakensRestriction: false }),
  ],
  [
    'conjunction of levels',
    `${holds('corp')} && ${holds('home')}`,
    restricted([[CORP, HOME]]),
  ],
  [
    'distributed conjunction',
    `(${holds('corp')} || ${holds('home')}) && ${holds('partner')}`,
    restricted([
      [CORP, PARTNER],
      [HOME, PARTNER],
    ]),
  ],
  [
    'absorption keeps the minimal sets',
    `${holds('corp')} || (${holds('corp')} && ${holds('home')})`,
    restricted([[CORP]]),
  ],
  [
    'level or (level and time)',
    `${holds('corp')} || (${holds('home')} && ${BEFORE_2030})`,
    restricted([[CORP], [HOME]], {
      otherAttributes: ['request.time'],
      orWeakensRestriction: false,
    }),
  ],
  [
    'level and a weakened level',
    `${holds('corp')} && (${holds('home')} || ${BEFORE_2030})`,
    restricted([[CORP]], { orWeakensRestriction: true }),
  ],
  [
    'level && request.path.startsWith',
    `${holds('corp')} && request.path.startsWith("/admin")`,
    restricted([[CORP]], { usesPathOrHost: true, otherAttributes: [] }),
  ],
  [
    'request.path.startsWith alone',
    'request.path.startsWith("/admin")',
    unrestricted({ usesPathOrHost: true, referencedLevels: [] }),
  ],
  [
    'request.host ==',
    'request.host == "app.example.com"',
    unrestricted({ usesPathOrHost: true }),
  ],
  [
    'level || request.host',
    `${holds('corp')} || request.host == "x"`,
    unrestricted({ usesPathOrHost: true, orWeakensRestriction: true }),
  ],
  ['level == true', `${holds('corp')} == true`, restricted([[CORP]])],
  ['true == level', `true == (${holds('corp')})`, restricted([[CORP]])],
  [
    'level == false',
    `${holds('corp')} == false`,
    unrestricted({ usesNegation: true }),
  ],
  [
    'level != true',
    `${holds('corp')} != true`,
    unrestricted({ usesNegation: true }),
  ],
  ['level != false', `${holds('corp')} != false`, restricted([[CORP]])],
  [
    'size of access_levels',
    'size(request.auth.access_levels) > 0',
    notUnderstood({ referencedLevels: [] }),
  ],
  [
    'request.time only',
    BEFORE_2030,
    unrestricted({ otherAttributes: ['request.time'], usesPathOrHost: false }),
  ],
  [
    'level && request.time',
    `${holds('corp')} && ${BEFORE_2030}`,
    restricted([[CORP]], { otherAttributes: ['request.time'] }),
  ],
  [
    'has() macro && level',
    `has(request.auth.claims.email) && ${holds('corp')}`,
    restricted([[CORP]], { otherAttributes: ['request.auth.claims.email'] }),
  ],
  [
    'string concatenation',
    `"accessPolicies/123/" + "accessLevels/corp" in request.auth.access_levels`,
    notUnderstood({ referencedLevels: [] }),
  ],
  [
    'level via a variable',
    'corp_level in request.auth.access_levels',
    notUnderstood(),
  ],
  [
    'unknown variable next to a level',
    `enabled && ${holds('corp')}`,
    notUnderstood({ referencedLevels: [CORP] }),
  ],
  [
    'exists() macro over access_levels',
    `request.auth.access_levels.exists(l, l == "${CORP}")`,
    notUnderstood({ usesOr: false }),
  ],
  [
    'exists() macro over claims && level',
    `request.auth.claims.groups.exists(g, g == "admins") && ${holds('corp')}`,
    restricted([[CORP]], {
      usesOr: false,
      otherAttributes: ['request.auth.claims.groups'],
    }),
  ],
  ['access_levels alone', 'request.auth.access_levels', notUnderstood()],
  ['level in a list literal', `"${CORP}" in ["${CORP}"]`, notUnderstood()],
  [
    'ternary requiring the level',
    `${holds('corp')} ? true : false`,
    restricted([[CORP]], { usesNegation: false }),
  ],
  [
    'ternary with an open else branch',
    `${holds('corp')} ? true : ${BEFORE_2030}`,
    unrestricted({ usesNegation: false, orWeakensRestriction: true }),
  ],
  ['literal true', 'true', unrestricted()],
  ['literal false (never true)', 'false', unrestricted()],
  [
    'comment after the level',
    `${holds('corp')} // office network only`,
    restricted([[CORP]]),
  ],
  [
    'comment hiding an or branch',
    `${holds('corp')} // || true`,
    restricted([[CORP]], { usesOr: false }),
  ],
  [
    'resource attribute',
    `resource.name.startsWith("projects/_/") && ${holds('corp')}`,
    restricted([[CORP]], { otherAttributes: ['resource.name'] }),
  ],
  ['invalid syntax', `${holds('corp')} &&`, notUnderstood()],
  ['empty string', '', notUnderstood()],
  ['whitespace only', '   ', notUnderstood()],
];

describe('analyzeCondition', () => {
  it.each(cases)('%s', (_, expression, expected) => {
    expect(analyzeCondition(expression)).toMatchObject(expected);
  });

  it('covers at least 30 expressions', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('reports the parser message for invalid syntax', () => {
    const analysis = analyzeCondition(`${holds('corp')} &&`);
    expect(analysis.parseError).toContain('found & but expecting end of input');
    expect(analysis.summary).toMatch(
      /^Not understood \(the expression does not parse/,
    );
  });

  it('has no parse error for an empty expression', () => {
    const analysis = analyzeCondition('');
    expect(analysis.parseError).toBeUndefined();
    expect(analysis.summary).toBe(
      'Not understood (the expression is empty); not counted as restricted by an access level',
    );
  });

  it('names the non-literal level in the summary', () => {
    expect(
      analyzeCondition('corp_level in request.auth.access_levels').summary,
    ).toBe(
      'Not understood (the access level in `corp_level in request.auth.access_levels` is not a string literal); not counted as restricted by an access level',
    );
  });

  it('summarises alternatives with short level names', () => {
    expect(
      analyzeCondition(
        `(${holds('corp')} || ${holds('home')}) && ${holds('partner')}`,
      ).summary,
    ).toBe('Requires access level corp and partner, or home and partner');
  });

  it('summarises weakening, negation, path and other attributes', () => {
    expect(analyzeCondition(`${holds('corp')} || ${BEFORE_2030}`).summary).toBe(
      'Not restricted: an `||` branch matches requests without an access level; also depends on request.time',
    );
    expect(analyzeCondition(`!(${holds('corp')})`).summary).toBe(
      'Not restricted: an access-level test is negated, so requests without any level match',
    );
    expect(
      analyzeCondition(`${holds('corp')} && request.path == "/a"`).summary,
    ).toBe(
      'Requires access level corp; tests request.path/request.host, which URL encoding can bypass',
    );
    expect(analyzeCondition('false').summary).toBe(
      'Never true: the condition cannot be satisfied',
    );
  });

  it('gives up on expressions with too many alternatives rather than guessing', () => {
    const factors = Array.from(
      { length: 9 },
      (_, i) => `(${holds(`a${i}`)} || ${holds(`b${i}`)})`,
    );
    const analysis = analyzeCondition(factors.join(' && '));
    expect(analysis.understood).toBe(false);
    expect(analysis.summary).toContain('too many alternatives');
    expect(analysis.referencedLevels).toHaveLength(18);
  });
});
