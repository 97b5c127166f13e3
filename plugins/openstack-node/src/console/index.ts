/**
 * The site console: an allow-listed, read-only subset of the `openstack` CLI, parsed without a
 * shell and run with a site's reader session. See README.md.
 */
export {
  COMMANDS as CONSOLE_COMMANDS,
  consoleGrammar,
  ConsoleError,
  type ConsoleCommand,
  type ConsoleContext,
  type ConsoleScanSetup,
  type FinishedCheck,
  type SharedScanRunner,
} from './commands';
export {
  executeConsoleCommand,
  parseConsoleLine,
  runConsoleLine,
  type ConsoleOutcome,
} from './execute';
export {
  MAX_LINE_LENGTH as CONSOLE_MAX_LINE_LENGTH,
  NAME_PATTERN as CONSOLE_NAME_PATTERN,
  refuseUnsafe as refuseUnsafeConsoleLine,
  type ParsedCommand as ParsedConsoleCommand,
} from './parse';
export {
  CONSOLE_SGR_CODES,
  formatValue,
  renderOutput,
  renderTable,
  type CommandOutput,
  type OutputFormat,
} from './table';
