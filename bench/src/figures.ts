import fs from 'node:fs';

/** One measured figure, as written to `results.json`. */
export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** The best the figure could be given the fake's latency; null where no limit applies. */
  limit: number | null;
  /** value ÷ limit; null where no limit applies. */
  ratio: number | null;
  /** The target for the figure, in words; null where none is set. */
  target: string | null;
  /** Why the figure was not measured, or what it was measured on. */
  note?: string;
}

/** Collects figures in the order they were measured and prints them as one table. */
export class FigureTable {
  private readonly figures: Figure[] = [];

  add(figure: {
    name: string;
    value: number | null;
    unit: string;
    limit?: number | null;
    target?: string | null;
    note?: string;
  }) {
    const limit = figure.limit ?? null;
    const ratio =
      limit === null || figure.value === null || limit === 0
        ? null
        : Math.round((figure.value / limit) * 100) / 100;
    this.figures.push({
      name: figure.name,
      value: figure.value === null ? null : round(figure.value),
      unit: figure.unit,
      limit: limit === null ? null : round(limit),
      ratio,
      target: figure.target ?? null,
      ...(figure.note ? { note: figure.note } : {}),
    });
  }

  notMeasured(name: string, unit: string, target: string | null, why: string) {
    this.add({ name, value: null, unit, target, note: `not measured: ${why}` });
  }

  all(): Figure[] {
    return [...this.figures];
  }

  print(out: (line: string) => void) {
    const header = ['figure', 'value', 'unit', 'limit', 'ratio', 'target'];
    const rows = this.figures.map(f => [
      f.name,
      f.value === null ? 'not measured' : String(f.value),
      f.unit,
      f.limit === null ? '-' : String(f.limit),
      f.ratio === null ? '-' : String(f.ratio),
      f.target ?? '-',
    ]);
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map(r => r[i].length)),
    );
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    out(line(header));
    out(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
    rows.forEach(r => out(line(r)));
    const notes = this.figures.filter(f => f.note);
    if (notes.length) {
      out('');
      notes.forEach(f => out(`- ${f.name}: ${f.note}`));
    }
  }

  write(file: string) {
    fs.writeFileSync(file, `${JSON.stringify(this.figures, null, 2)}\n`);
  }
}

function round(n: number) {
  return Math.round(n * 100) / 100;
}
