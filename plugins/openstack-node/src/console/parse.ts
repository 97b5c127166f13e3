import { z } from 'zod';
import { CONSOLE_MAX_LINE_LENGTH } from '@fedstack/plugin-openstack-terms';

/**
 * Reads one console line into an allow-listed command, or refuses it saying why. The console
 * is not a shell: the line is never handed to one, and what is typed never becomes a URL
 * (names and ids are checked against strict patterns, then path-encoded by the client).
 * Refused before anything else: over-long lines, control characters and every character a
 * shell gives meaning to, so that a pasted `foo; rm -rf /` is refused as a whole rather than
 * read as `foo`.
 */

// The limit is the terms package's, so the browser's terminal stops typing at the same length.
export const MAX_LINE_LENGTH = CONSOLE_MAX_LINE_LENGTH;

/** Characters a shell would act on; none has a meaning in the console's commands. */
const SHELL_METACHARACTERS = [
  ';',
  '|',
  '&',
  '$',
  '(',
  ')',
  '`',
  '<',
  '>',
  "'",
  '"',
  '\\',
];

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Ids and names the commands take: OpenStack ids, `egi.eu`, `<sub>@egi.eu`, `keystone.v3`. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,254}$/;

export const nameSchema = z
  .string({
    error: issue => (issue.input === undefined ? 'is required' : undefined),
  })
  .regex(
    NAME_PATTERN,
    'must start with a letter or digit and hold only letters, digits and . _ - : @ (at most 255)',
  );

export const FORMATS = ['table', 'json', 'yaml', 'value'] as const;
export const formatSchema = z.enum(FORMATS);

export interface OptionSpec {
  /** Long form without dashes (`domain`), plus a short alias (`c`) when the CLI has one. */
  name: string;
  short?: string;
  /** May be given more than once (`-c a -c b`). */
  repeatable?: boolean;
  /** Shown without brackets in the usage (the schema enforces it). */
  required?: boolean;
  /** A value's placeholder; absent for a flag (`--all-projects`), which takes no value. */
  metavar?: string;
  /** The values there are, when a fixed few (`-f`): the browser's Tab completes them. */
  values?: readonly string[];
}

/** What the grammar needs to know of a command; the command table adds how it runs. */
export interface CommandGrammar {
  /** The command's words, e.g. `['user', 'show']`. */
  words: string[];
  positionals: string[];
  /** Positionals that may be left out, after the required ones (`quota show [PROJECT]`). */
  optionalPositionals?: string[];
  options: OptionSpec[];
  /** Validates `{ <positional>: string, <option>: string | string[] }`. */
  schema: z.ZodType<Record<string, unknown>>;
}

export interface ParsedCommand<G extends CommandGrammar = CommandGrammar> {
  grammar: G;
  args: Record<string, unknown>;
  /** The line as parsed (whitespace normalised), for audit and echo. */
  text: string;
}

export type ParseResult<G extends CommandGrammar = CommandGrammar> =
  | { ok: true; command: ParsedCommand<G> }
  | { ok: false; refusal: string };

const HINT = 'Type "help" for the commands there are.';

function describeCharacter(char: string): string {
  const code = char.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Refusals that do not depend on the command table: length, controls, shell syntax. */
export function refuseUnsafe(line: string): string | undefined {
  if (line.length > MAX_LINE_LENGTH) {
    return `Refused: the line is ${line.length} characters long; the console takes at most ${MAX_LINE_LENGTH}. Nothing was run.`;
  }
  const control = CONTROL.exec(line);
  if (control) {
    return `Refused: control character ${describeCharacter(
      control[0],
    )} at position ${control.index + 1}. Nothing was run.`;
  }
  const found = [
    ...new Set([...line].filter(c => SHELL_METACHARACTERS.includes(c))),
  ];
  if (found.length > 0) {
    return `Refused: ${found
      .map(c => `"${c}"`)
      .join(
        ', ',
      )} not allowed. This console is not a shell: no pipes, command lists, substitutions, redirections, quotes or escapes. Nothing was run. ${HINT}`;
  }
  return undefined;
}

/** The CLI's verbs that change something: named in the refusal, so no one wonders. */
const WRITE_VERBS = new Set([
  'create',
  'delete',
  'set',
  'unset',
  'add',
  'remove',
  'reboot',
  'rebuild',
  'resize',
  'start',
  'stop',
  'pause',
  'suspend',
  'resume',
  'lock',
  'unlock',
  'migrate',
  'evacuate',
  'shelve',
  'unshelve',
  'rescue',
  'unrescue',
  'purge',
  'save',
  'import',
  'issue',
  'revoke',
]);

/**
 * Parses a line against the grammars given (the command table). A leading `openstack` is
 * accepted, since operators type it by habit.
 */
export function parseLine<G extends CommandGrammar>(
  line: string,
  grammars: readonly G[],
): ParseResult<G> {
  const unsafe = refuseUnsafe(line);
  if (unsafe) return { ok: false, refusal: unsafe };
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  if (tokens[0] === 'openstack') tokens.shift();
  if (tokens.length === 0) {
    return { ok: false, refusal: `Nothing to run. ${HINT}` };
  }
  // Longest match first: `identity provider show` before a shorter command.
  const grammar = [...grammars]
    .sort((a, b) => b.words.length - a.words.length)
    .find(g => g.words.every((word, i) => tokens[i] === word));
  if (!grammar) {
    const typed = tokens.slice(0, 3).join(' ');
    const write = tokens.find(t => WRITE_VERBS.has(t));
    if (write) {
      return {
        ok: false,
        refusal: `Refused: "${typed}" would change the site ("${write}"); this console only reads. Nothing was run. ${HINT}`,
      };
    }
    const nearest = nearestCommand(tokens, grammars);
    return {
      ok: false,
      refusal: `Refused: unknown command "${typed}".${
        nearest ? ` Did you mean "${nearest}"?` : ''
      } Only the listed read-only commands run. ${HINT}`,
    };
  }
  const rest = tokens.slice(grammar.words.length);
  const usage = usageOf(grammar);
  const positionals: string[] = [];
  const options: Record<string, string | string[] | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i];
    if (!token.startsWith('-')) {
      positionals.push(token);
      continue;
    }
    const [flag, inline] = token.split(/=(.*)/s, 2);
    const option = grammar.options.find(o =>
      flag.startsWith('--') ? `--${o.name}` === flag : `-${o.short}` === flag,
    );
    if (!option) {
      const nearest = flag.startsWith('--')
        ? nearestWord(
            flag,
            grammar.options.map(o => `--${o.name}`),
          )
        : undefined;
      return {
        ok: false,
        refusal: `Refused: "${grammar.words.join(' ')}" has no option ${flag}.${
          nearest ? ` Did you mean ${nearest}?` : ''
        } Usage: ${usage}`,
      };
    }
    if (!option.metavar) {
      if (inline !== undefined) {
        return {
          ok: false,
          refusal: `Refused: ${flag} takes no value. Usage: ${usage}`,
        };
      }
      if (options[option.name] !== undefined) {
        return {
          ok: false,
          refusal: `Refused: ${flag} given twice. Usage: ${usage}`,
        };
      }
      options[option.name] = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') {
      return {
        ok: false,
        refusal: `Refused: ${flag} needs a value (${option.metavar}). Usage: ${usage}`,
      };
    }
    if (option.repeatable) {
      const list = (options[option.name] as string[] | undefined) ?? [];
      options[option.name] = [...list, value];
    } else if (options[option.name] !== undefined) {
      return {
        ok: false,
        refusal: `Refused: ${flag} given twice. Usage: ${usage}`,
      };
    } else {
      options[option.name] = value;
    }
  }
  const optional = grammar.optionalPositionals ?? [];
  if (
    positionals.length < grammar.positionals.length ||
    positionals.length > grammar.positionals.length + optional.length
  ) {
    const takes = [...grammar.positionals, ...optional.map(p => `[${p}]`)].join(
      ' ',
    );
    return {
      ok: false,
      refusal: `Refused: "${grammar.words.join(' ')}" takes ${
        takes === '' ? 'no arguments' : takes
      }, got ${
        positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`
      }. Usage: ${usage}`,
    };
  }
  const raw: Record<string, unknown> = { ...options };
  [...grammar.positionals, ...optional].forEach((name, i) => {
    if (positionals[i] !== undefined) raw[name] = positionals[i];
  });
  const parsed = grammar.schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      refusal: `Refused: ${parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'arguments'} ${issue.message}`)
        .join('; ')}. Usage: ${usage}`,
    };
  }
  return {
    ok: true,
    command: { grammar, args: parsed.data, text: tokens.join(' ') },
  };
}

export function usageOf(grammar: CommandGrammar, withOutput = true): string {
  const options = grammar.options
    .filter(o => withOutput || (o.name !== 'format' && o.name !== 'column'))
    .map(o => {
      const name = o.short ? `-${o.short}` : `--${o.name}`;
      const text = o.metavar ? `${name} ${o.metavar}` : name;
      return `${o.required ? text : `[${text}]`}${o.repeatable ? '…' : ''}`;
    });
  return [
    ...grammar.words,
    ...grammar.positionals,
    ...(grammar.optionalPositionals ?? []).map(p => `[${p}]`),
    ...options,
  ].join(' ');
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

// Near enough to suggest: at most a quarter of the letters changed (2 for short words).
const nearEnough = (distance: number, word: string) =>
  distance > 0 && distance <= Math.max(2, Math.floor(word.length / 4));

/** The nearest of some words (`--all-project` → `--all-projects`), if near enough. */
export function nearestWord(
  typed: string,
  words: readonly string[],
): string | undefined {
  const [best] = words
    .map(word => ({ word, distance: editDistance(typed, word) }))
    .sort((a, b) => a.distance - b.distance);
  return best && nearEnough(best.distance, best.word) ? best.word : undefined;
}

/** The command nearest to the typed words (`sever list` → `server list`), if near enough. */
export function nearestCommand(
  tokens: readonly string[],
  grammars: readonly CommandGrammar[],
): string | undefined {
  const [best] = grammars
    .map(g => {
      const words = g.words.join(' ');
      const typed = tokens.slice(0, g.words.length).join(' ');
      return { words, distance: editDistance(typed, words) };
    })
    .sort((a, b) => a.distance - b.distance);
  return best && nearEnough(best.distance, best.words) ? best.words : undefined;
}
