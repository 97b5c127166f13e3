/**
 * The site console: an allow-listed, read-only subset of the `openstack` CLI, parsed without a
 * shell and run with a site's reader session. See README.md. Exported: parsing a line, running
 * it, the command table and its grammar (for completion), and what a run takes and reports.
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
