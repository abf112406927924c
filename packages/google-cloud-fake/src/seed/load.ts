import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { Seed, SeedInput, seedSchema } from './schema';

/** One broken rule in a seed: where it is and what it breaks. */
export interface SeedProblem {
  /** Path inside the seed, e.g. `projects[0].services[2].id`. */
  path: string;
  rule: string;
  line?: number;
}

/** A seed that cannot be used; the message names the file, every path and the rule each breaks. */
export class SeedError extends Error {
  readonly file: string;
  readonly problems: SeedProblem[];

  constructor(file: string, problems: SeedProblem[]) {
    super(
      `Invalid seed ${file}:\n${problems
        .map(
          p =>
            `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path || '(root)'}: ${
              p.rule
            }`,
        )
        .join('\n')}`,
    );
    this.name = 'SeedError';
    this.file = file;
    this.problems = problems;
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : `${i === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

/** Validates seed data (already parsed) and returns it with defaults applied. */
export function parseSeed(
  data: unknown,
  source = '<seed>',
  locate?: (path: PropertyKey[]) => number | undefined,
): Seed {
  const result = seedSchema.safeParse(data ?? {});
  if (result.success) {
    return result.data;
  }
  throw new SeedError(
    source,
    result.error.issues.map(issue => ({
      path: formatPath(issue.path),
      rule: issue.message,
      line: locate?.(issue.path as PropertyKey[]),
    })),
  );
}

/** Reads a YAML (or JSON) seed file; problems carry line numbers. */
export function loadSeedFile(file: string): Seed {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SeedError(file, [
      { path: '', rule: `cannot read the file (${(error as Error).message})` },
    ]);
  }
  return parseSeedText(text, file);
}

export function parseSeedText(text: string, source = '<seed>'): Seed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw new SeedError(
      source,
      doc.errors.map(e => ({
        path: '',
        rule: `not valid YAML: ${e.message.split('\n')[0]}`,
        line: e.linePos?.[0]?.line,
      })),
    );
  }
  const locate = (path: PropertyKey[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return undefined;
  };
  return parseSeed(doc.toJS(), source, locate);
}

/** Accepts a seed as a file path, a parsed object, or nothing (an empty world). */
export function resolveSeed(seed: string | SeedInput | undefined): Seed {
  if (typeof seed === 'string') {
    return loadSeedFile(seed);
  }
  return parseSeed(seed ?? {}, '<seed object>');
}
