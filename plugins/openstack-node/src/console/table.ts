/**
 * Output as python-openstackclient prints it (cliff's formatters). Tables: `+---+` borders, a
 * header row, one space of padding; a list's columns are right-aligned when the first row's
 * value is a number (header too), left otherwise; a cell's lines each get a row line; `show`
 * commands are a Field/Value table, left-aligned. Values are written the way the CLI writes
 * them: `True`/`False`, `None`, lists joined with `, `, dicts as `key='value', …`.
 * `-f json|yaml|value` print the values as the CLI's machine-readable forms.
 *
 * In a terminal (`TableStyle`): a list wider than the terminal has its widest cells cut with
 * "…" until each row fits on one line (rows never wrap), with a note saying so; statuses are
 * coloured with ANSI SGR codes. Text from the site is never passed through raw: control
 * characters become U+FFFD, so only the console's own colour codes reach the terminal.
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

export type OutputFormat = 'table' | 'json' | 'yaml' | 'value';

/**
 * A value shown one way in a table and another way by `-f json|yaml|value` (cliff's
 * FormattableColumn): a server's addresses are `net=10.0.0.3` in the table, a dict in JSON.
 */
export class Formatted {
  constructor(readonly text: string, readonly data: unknown) {}
}

/** How the terminal shows a table: its width, and whether it has colours. */
export interface TableStyle {
  columns?: number;
  colour?: boolean;
}

/** Show tables wrap values at this width, so a sentence stays on an 120-column screen. */
export const SHOW_VALUE_WIDTH = 96;

// C0 (but newline) and C1 controls, DEL, line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text from a site with its control characters made visible (and harmless): U+FFFD. */
export function plainText(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}

/** One value as the CLI's table shows it. */
export function formatValue(value: unknown): string {
  if (value instanceof Formatted) return value.text;
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

/** The machine-readable form `-f json|yaml|value` print. */
export function machineValue(value: unknown): unknown {
  return value instanceof Formatted ? value.data : value;
}

/** Lines of at most `width` characters, broken at spaces where possible (cliff's --max-width). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const at = space > 0 ? space : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(space > 0 ? at + 1 : at);
    }
    out.push(rest);
  }
  return out;
}

const SGR = {
  reset: '\x1b[0m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  red: '\x1b[31m',
  dim: '\x1b[2m',
};

/** The colour codes the console writes; the browser's terminal lets these (and only these) through. */
export const CONSOLE_SGR_CODES = Object.values(SGR);

// Statuses of Nova, Cinder, Glance and Neutron resources, and of checks, by what they mean.
const GOOD = new Set(['active', 'available', 'in-use', 'up', 'pass', 'ok']);
const BAD = new Set([
  'error',
  'error_deleting',
  'error_restoring',
  'error_extending',
  'error_managing',
  'error_backing-up',
  'killed',
  'deleted',
  'deactivated',
  'down',
  'fail',
  'crashed',
  'unknown',
]);
const PASSING = new Set([
  'build',
  'creating',
  'queued',
  'saving',
  'importing',
  'uploading',
  'downloading',
  'attaching',
  'detaching',
  'extending',
  'reserved',
  'maintenance',
  'migrating',
  'resize',
  'verify_resize',
  'rebuild',
  'reboot',
  'hard_reboot',
  'paused',
  'suspended',
  'shelved',
  'shelved_offloaded',
  'shutoff',
  'stopped',
  'pending_create',
  'pending_update',
  'pending_delete',
  'warn',
  'skip',
]);

/** A status word in its colour (green good, yellow on its way, red bad); others unchanged. */
export function colourStatus(text: string): string {
  const key = text.toLowerCase();
  let colour: string | undefined;
  if (GOOD.has(key)) colour = SGR.green;
  else if (BAD.has(key)) colour = SGR.red;
  else if (PASSING.has(key)) colour = SGR.yellow;
  return colour ? `${colour}${text}${SGR.reset}` : text;
}

export function dim(text: string): string {
  return `${SGR.dim}${text}${SGR.reset}`;
}

/** Columns (and show fields) whose values are statuses. */
const STATUS_COLUMNS = new Set(['Status', 'status', 'State', 'Power State']);

const MIN_CUT_WIDTH = 6;

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export interface TableOptions extends TableStyle {
  /** Longer cells wrap at this width (show tables, whose messages would run off the screen). */
  maxCellWidth?: number;
  /** Right-align numeric columns, as cliff aligns a list's (not a show table's). */
  align?: boolean;
  /** Called when cells were cut to fit `columns`. */
  onCut?: () => void;
}

/**
 * A bordered table: header row, then every row; multi-line cells span several lines. With
 * `columns`, the widest columns are narrowed (cells cut with "…") until a row fits.
 */
export function renderTable(
  columns: string[],
  rows: unknown[][],
  options: TableOptions | number = {},
): string[] {
  const opts: TableOptions =
    typeof options === 'number' ? { maxCellWidth: options } : options;
  const cells = rows.map(row =>
    columns.map((_c, i) => {
      const text = plainText(formatValue(row[i]));
      return opts.maxCellWidth
        ? wrapText(text, opts.maxCellWidth)
        : text.split('\n');
    }),
  );
  const header = columns.map(plainText);
  const widths = header.map((column, i) =>
    Math.max(
      column.length,
      ...cells.map(row => Math.max(...row[i].map(line => line.length))),
    ),
  );
  if (opts.columns) {
    const frame = 3 * widths.length + 1;
    let cutAny = false;
    while (widths.reduce((a, b) => a + b, 0) + frame > opts.columns) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest] <= MIN_CUT_WIDTH) break;
      widths[widest] -= 1;
      cutAny = true;
    }
    if (cutAny) opts.onCut?.();
  }
  const right = columns.map(
    (_c, i) =>
      opts.align === true &&
      rows.length > 0 &&
      typeof machineValue(rows[0][i]) === 'number',
  );
  const status = columns.map(
    c => opts.colour === true && STATUS_COLUMNS.has(c),
  );
  const border = `+${widths.map(w => '-'.repeat(w + 2)).join('+')}+`;
  const line = (values: string[], colour: boolean[]) =>
    `| ${values
      .map((v, i) => {
        const text = cut(v, widths[i]);
        const pad = ' '.repeat(widths[i] - text.length);
        const shown = colour[i] ? colourStatus(text) : text;
        return right[i] ? pad + shown : shown + pad;
      })
      .join(' | ')} |`;
  const out = [border, line(header, []), border];
  for (const row of cells) {
    const height = Math.max(...row.map(c => c.length));
    for (let n = 0; n < height; n++) {
      out.push(
        line(
          row.map(c => c[n] ?? ''),
          status,
        ),
      );
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
  // Quotes are refused, so `-c "Attached to"` is typed `-c attached_to` (or attached-to).
  const loose = (name: string) => name.toLowerCase().replace(/[ _-]/g, ' ');
  const asked = wanted.map(c => {
    if (available.includes(c)) return c;
    const matches = available.filter(a => loose(a) === loose(c));
    return matches.length === 1 ? matches[0] : c;
  });
  const unknown = asked.filter(c => !available.includes(c));
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
        fields: asked.map(name => [name, fields.get(name)]),
      },
    };
  }
  const indexes = asked.map(c => output.columns.indexOf(c));
  return {
    ok: true,
    output: {
      kind: 'list',
      columns: [...asked],
      rows: output.rows.map(row => indexes.map(i => row[i])),
    },
  };
}

function machineData(output: CommandOutput): unknown {
  return output.kind === 'show'
    ? Object.fromEntries(output.fields.map(([f, v]) => [f, machineValue(v)]))
    : output.rows.map(row =>
        Object.fromEntries(
          output.columns.map((c, i) => [c, machineValue(row[i])]),
        ),
      );
}

// Python's str() of a value, as cliff's value formatter prints it.
function pythonText(value: unknown, nested = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    return nested
      ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
      : value;
  }
  if (Array.isArray(value)) {
    return `[${value.map(v => pythonText(v, true)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pythonText(k, true)}: ${pythonText(v, true)}`)
      .join(', ')}}`;
  }
  return String(value);
}

// What PyYAML would read as something other than a string, so it quotes it.
const YAML_NOT_A_STRING =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/;

function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  // eslint-disable-next-line no-control-regex -- what YAML cannot hold plainly
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) {
    return JSON.stringify(text);
  }
  if (
    text === '' ||
    YAML_NOT_A_STRING.test(text) ||
    /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(text) ||
    /\s$/.test(text) ||
    /: |:$| #/.test(text)
  ) {
    return `'${text.replace(/'/g, "''")}'`;
  }
  return text;
}

function isEmptyCollection(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value as object).length === 0
  );
}

// Python's sorted(): by code point, not locale.
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// PyYAML's safe_dump(default_flow_style=False): block style, keys sorted, lists at their key's
// indentation.
function yamlLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(item => {
      if (
        typeof item === 'object' &&
        item !== null &&
        !isEmptyCollection(item)
      ) {
        const [first, ...rest] = yamlLines(item, `${indent}  `);
        return [`${indent}- ${first.trimStart()}`, ...rest];
      }
      return [`${indent}- ${yamlInline(item)}`];
    });
  }
  return Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => compareCodePoints(a, b))
    .flatMap(([key, v]) => {
      const name = `${indent}${yamlScalar(key)}:`;
      if (typeof v === 'object' && v !== null && !isEmptyCollection(v)) {
        return [
          name,
          ...yamlLines(v, Array.isArray(v) ? indent : `${indent}  `),
        ];
      }
      return [`${name} ${yamlInline(v)}`];
    });
}

function yamlInline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return yamlScalar(value);
}

/** The lines the CLI would print for this output in this format. */
export function renderOutput(
  output: CommandOutput,
  format: OutputFormat,
  style: TableStyle = {},
): string[] {
  if (format === 'json') {
    return JSON.stringify(machineData(output), null, 2).split('\n');
  }
  if (format === 'yaml') {
    const data = machineData(output);
    if (isEmptyCollection(data)) return [Array.isArray(data) ? '[]' : '{}'];
    return yamlLines(data, '');
  }
  if (format === 'value') {
    const rows =
      output.kind === 'show' ? output.fields.map(([, v]) => [v]) : output.rows;
    return rows.map(row =>
      plainText(row.map(v => pythonText(machineValue(v))).join(' ')),
    );
  }
  let cutAny = false;
  const onCut = () => {
    cutAny = true;
  };
  const lines =
    output.kind === 'show'
      ? renderTable(['Field', 'Value'], output.fields, {
          maxCellWidth: showValueWidth(output, style.columns),
          colour: style.colour,
        })
      : renderTable(output.columns, output.rows, {
          align: true,
          columns: style.columns,
          colour: style.colour,
          onCut,
        });
  if (output.kind === 'show' && style.colour) {
    // A show table's status is a field: colour the value on its row.
    return lines.map(l =>
      l.replace(
        /^(\| (?:status|Status) +\| )(\S+)/,
        (_m, head, word) => `${head}${colourStatus(word)}`,
      ),
    );
  }
  if (cutAny) {
    const note = `Cut to fit ${style.columns} columns ("…"): -c COLUMN or -f json shows it all.`;
    lines.push(style.colour ? dim(note) : note);
  }
  return lines;
}

function showValueWidth(output: ShowOutput, columns?: number): number {
  if (!columns) return SHOW_VALUE_WIDTH;
  const field = Math.max(5, ...output.fields.map(([f]) => f.length));
  return Math.max(20, Math.min(SHOW_VALUE_WIDTH, columns - field - 7));
}
