import { z } from 'zod';

/**
 * The site console's wire format (`POST /sites/{namespace}/{name}/console`). The request
 * carries one typed line; the answer is NDJSON: `line` messages as the command writes them
 * (a refusal too), then one `end` with how the line ended.
 */

/**
 * What the browser's terminal sends besides the line: its width, so tables fit it (cells cut
 * with "…" rather than rows wrapping), and whether it shows colours (ANSI SGR).
 */
export const consoleTerminalSchema = z
  .object({
    columns: z.number().int().min(20).max(1000),
    colour: z.boolean(),
  })
  .strict();
export type ConsoleTerminal = z.infer<typeof consoleTerminalSchema>;

export const consoleRequestSchema = z
  .object({ line: z.string(), terminal: consoleTerminalSchema.optional() })
  .strict();
export type ConsoleRequest = z.infer<typeof consoleRequestSchema>;

export const CONSOLE_OUTCOMES = [
  'ok',
  'refused',
  'error',
  'cancelled',
] as const;

export const consoleMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('line'), text: z.string() }),
  z.object({
    type: z.literal('end'),
    status: z.enum(CONSOLE_OUTCOMES),
    message: z.string().optional(),
  }),
]);
export type ConsoleMessage = z.infer<typeof consoleMessageSchema>;

export const CONSOLE_CONTENT_TYPE = 'application/x-ndjson';

// ---------------------------------------------------------------------------------------------
// The console's grammar, as `GET /console/commands` answers it: the node library's command table
// (words, positionals, options), which its parser judges lines with. The browser's terminal asks
// for it once and completes with it on Tab, so completion always matches the backend that will
// run the line, and the grammar has one source.

export const consoleOptionSpecSchema = z.object({
  /** Long form without dashes (`all-projects`). */
  name: z.string(),
  /** The CLI's short alias (`c` for `-c`). */
  short: z.string().optional(),
  /** A value's placeholder in the usage; absent for a flag, which takes no value. */
  metavar: z.string().optional(),
  /** May be given more than once (`-c a -c b`). */
  repeatable: z.boolean().optional(),
  required: z.boolean().optional(),
  /** The values there are, when a fixed few (`-f`): Tab completes them. */
  values: z.array(z.string()).optional(),
});
export type ConsoleOptionSpec = z.infer<typeof consoleOptionSpecSchema>;

export const consoleCommandSpecSchema = z.object({
  /** The command's words, e.g. `['role', 'assignment', 'list']`. */
  words: z.array(z.string()).min(1),
  positionals: z.array(z.string()),
  /** Positionals that may be left out (`quota show [PROJECT]`). */
  optionalPositionals: z.array(z.string()).optional(),
  options: z.array(consoleOptionSpecSchema),
  summary: z.string(),
});
export type ConsoleCommandSpec = z.infer<typeof consoleCommandSpecSchema>;

export const consoleCommandsSchema = z.object({
  commands: z.array(consoleCommandSpecSchema),
});
export type ConsoleCommands = z.infer<typeof consoleCommandsSchema>;

export const CONSOLE_FORMATS = ['table', 'json', 'yaml', 'value'] as const;
export type ConsoleFormat = (typeof CONSOLE_FORMATS)[number];

/** Words the browser's terminal handles itself. */
export const CONSOLE_LOCAL_COMMANDS = ['clear'] as const;

export interface ConsoleCompletion {
  /** The word being completed (what is typed of it so far; empty after a space). */
  word: string;
  /** Whole words that may follow, sorted; each starts with `word`. */
  candidates: string[];
}

/**
 * What Tab may complete at the end of `line`: command words, then the command's options
 * (long forms, not those already given unless repeatable), and an option's fixed values (`-f`).
 */
export function completeConsoleLine(
  line: string,
  commands: readonly ConsoleCommandSpec[],
): ConsoleCompletion {
  const tokens = line.split(/\s+/).filter(Boolean);
  const word = /\s$/.test(line) || line === '' ? '' : tokens.pop() ?? '';
  if (tokens[0] === 'openstack') tokens.shift();
  const done = (candidates: Iterable<string>): ConsoleCompletion => ({
    word,
    candidates: [...new Set(candidates)].filter(c => c.startsWith(word)).sort(),
  });
  const command = [...commands]
    .sort((a, b) => b.words.length - a.words.length)
    .find(c => c.words.every((w, i) => tokens[i] === w));
  if (!command) {
    const next = commands
      .filter(c =>
        tokens.every((t, i) => i < c.words.length && c.words[i] === t),
      )
      .map(c => c.words[tokens.length])
      .filter((w): w is string => w !== undefined);
    return done(
      tokens.length === 0 ? [...next, ...CONSOLE_LOCAL_COMMANDS] : next,
    );
  }
  const rest = tokens.slice(command.words.length);
  const optionOf = (token: string) =>
    command.options.find(o =>
      token.startsWith('--')
        ? `--${o.name}` === token
        : `-${o.short}` === token,
    );
  const previous = optionOf(rest[rest.length - 1] ?? '');
  if (previous?.metavar) return done(previous.values ?? []);
  const given = new Set(rest.map(t => optionOf(t.split('=')[0])?.name));
  return done(
    command.options
      .filter(o => o.repeatable || !given.has(o.name))
      .map(o => `--${o.name}`),
  );
}

/**
 * `GET /sites/{namespace}/{name}/console/account`: the account the site's console runs with, as
 * people name it (`admin (project admin)`), never a secret; for who may use the console.
 */
export const consoleAccountSchema = z.object({ account: z.string() });
export type ConsoleAccount = z.infer<typeof consoleAccountSchema>;
