import {
  COMMANDS,
  ConsoleCommand,
  ConsoleContext,
  ConsoleError,
  ConsoleRefusal,
  Write,
} from './commands';
import { ParsedCommand, ParseResult, parseLine } from './parse';
import { OutputFormat, plainText, renderOutput, selectColumns } from './table';

/** How a console line ended, for the audit log and the stream's last message. */
export interface ConsoleOutcome {
  status: 'ok' | 'refused' | 'error' | 'cancelled';
  /** The command's words (`user show`), when the line was understood. */
  command?: string;
  /** Why it was refused or failed. */
  message?: string;
}

/** Parses a line against the console's command table. */
export function parseConsoleLine(line: string): ParseResult<ConsoleCommand> {
  return parseLine(line, COMMANDS);
}

/**
 * Runs a parsed command with the site's reader session, writing its output line by line.
 * Every line goes through the site's redactor; after a cancel nothing more is written.
 * Never throws: OpenStack's refusals and unexpected errors end as an `error` outcome.
 */
export async function executeConsoleCommand(
  parsed: ParsedCommand<ConsoleCommand>,
  context: ConsoleContext,
  write: Write,
): Promise<ConsoleOutcome> {
  const command = parsed.grammar.words.join(' ');
  const redactor = context.session.http.redactor;
  const cancelled = () => context.signal?.aborted === true;
  const out: Write = line => {
    if (!cancelled()) write(redactor.text(line));
  };
  try {
    // A cancel also stops the command's requests, not only its output.
    const run = context.signal
      ? { ...context, session: context.session.withSignal(context.signal) }
      : context;
    const output = await parsed.grammar.run(parsed.args, run, out);
    if (cancelled()) return { status: 'cancelled', command };
    if (output) {
      const columns = (parsed.args.column as string[] | undefined) ?? [];
      const selected = selectColumns(output, columns);
      if (!selected.ok) {
        out(selected.message);
        return { status: 'error', command, message: selected.message };
      }
      const format =
        (parsed.args.format as OutputFormat | undefined) ?? 'table';
      // Colours and fitting are for the terminal's tables; json, yaml and value stay plain.
      renderOutput(
        selected.output,
        format,
        format === 'table' ? context.terminal : {},
      ).forEach(out);
    }
    return { status: 'ok', command };
  } catch (error) {
    const message = plainText(
      error instanceof ConsoleError
        ? error.message
        : `The command failed: ${redactor.text(String(error))}`,
    );
    out(message);
    let status: ConsoleOutcome['status'] = 'error';
    if (cancelled()) status = 'cancelled';
    else if (error instanceof ConsoleRefusal) status = 'refused';
    return {
      status,
      command,
      message,
    };
  }
}

/** Parses and runs one line: a refusal is written like any output, and nothing is asked. */
export async function runConsoleLine(
  line: string,
  context: ConsoleContext,
  write: Write,
): Promise<ConsoleOutcome> {
  const parsed = parseConsoleLine(line);
  if (!parsed.ok) {
    write(parsed.refusal);
    return { status: 'refused', message: parsed.refusal };
  }
  return executeConsoleCommand(parsed.command, context, write);
}
