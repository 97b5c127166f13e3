/**
 * Output as python-openstackclient prints it (cliff's table formatter): `+---+` borders, a
 * header row, one space of padding, left-aligned cells; a cell's lines each get a row line.
 * `show` commands are a Field/Value table. Values are written the way the CLI writes them:
 * `True`/`False`, `None`, lists joined with `, `, dicts as `key='value', …`.
 */

export interface ListOutput {
  kind: 'list';
  columns: string[];
  rows: unknown[][];
}

export interface ShowOutput {
  kind: 'show';
  /** Field name → value, in display order. */
  fields: Array<[string, unknown]>;
}

export type CommandOutput = ListOutput | ShowOutput;

export type OutputFormat = 'table' | 'json';

/** Show tables wrap values at this width, so a sentence stays on an 120-column screen. */
export const SHOW_VALUE_WIDTH = 96;

/** One value as the CLI's table shows it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.every(v => typeof v !== 'object' || v === null)
      ? value.map(formatValue).join(', ')
      : JSON.stringify(value, null, 2);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v !== 'object' || v === null)) {
      // osc-lib's format_dict: sorted keys, `key='value'`.
      return entries
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}='${formatValue(v)}'`)
        .join(', ');
    }
    return JSON.stringify(value, null, 2);
  }
  return String(value);
}

/** Lines of at most `width` characters, broken at spaces where possible (cliff's --max-width). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > 0 ? space : width;
      out.push(rest.slice(0, cut));
      rest = rest.slice(space > 0 ? cut + 1 : cut);
    }
    out.push(rest);
  }
  return out;
}

/**
 * A bordered table: header row, then every row; multi-line cells span several lines. With
 * `maxCellWidth`, longer cells wrap (show tables, whose messages would run off the screen).
 */
export function renderTable(
  columns: string[],
  rows: unknown[][],
  maxCellWidth?: number,
): string[] {
  const cells = rows.map(row =>
    columns.map((_c, i) =>
      maxCellWidth
        ? wrapText(formatValue(row[i]), maxCellWidth)
        : formatValue(row[i]).split('\n'),
    ),
  );
  const widths = columns.map((column, i) =>
    Math.max(
      column.length,
      ...cells.map(row => Math.max(...row[i].map(line => line.length))),
    ),
  );
  const border = `+${widths.map(w => '-'.repeat(w + 2)).join('+')}+`;
  const line = (values: string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const out = [border, line(columns), border];
  for (const row of cells) {
    const height = Math.max(...row.map(c => c.length));
    for (let n = 0; n < height; n++) {
      out.push(line(row.map(c => c[n] ?? '')));
    }
  }
  if (rows.length > 0) out.push(border);
  return out;
}

/**
 * Keeps only the asked columns (`-c`, as often as wanted), in the order asked; an unknown
 * column is an error naming the ones there are (the CLI refuses it too).
 */
export function selectColumns(
  output: CommandOutput,
  wanted: readonly string[],
): { ok: true; output: CommandOutput } | { ok: false; message: string } {
  if (wanted.length === 0) return { ok: true, output };
  const available =
    output.kind === 'list' ? output.columns : output.fields.map(([f]) => f);
  const unknown = wanted.filter(c => !available.includes(c));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `No column ${unknown
        .map(c => `"${c}"`)
        .join(', ')}; columns: ${available.join(', ')}`,
    };
  }
  if (output.kind === 'show') {
    const fields = new Map(output.fields);
    return {
      ok: true,
      output: {
        kind: 'show',
        fields: wanted.map(name => [name, fields.get(name)]),
      },
    };
  }
  const indexes = wanted.map(c => output.columns.indexOf(c));
  return {
    ok: true,
    output: {
      kind: 'list',
      columns: [...wanted],
      rows: output.rows.map(row => indexes.map(i => row[i])),
    },
  };
}

/** The lines the CLI would print for this output in this format. */
export function renderOutput(
  output: CommandOutput,
  format: OutputFormat,
): string[] {
  if (format === 'json') {
    const json =
      output.kind === 'show'
        ? Object.fromEntries(output.fields)
        : output.rows.map(row =>
            Object.fromEntries(output.columns.map((c, i) => [c, row[i]])),
          );
    return JSON.stringify(json, null, 2).split('\n');
  }
  return output.kind === 'show'
    ? renderTable(['Field', 'Value'], output.fields, SHOW_VALUE_WIDTH)
    : renderTable(output.columns, output.rows);
}
