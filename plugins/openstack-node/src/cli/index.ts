/**
 * `fedstack scan`: the CLI's programmatic entry (what `@fedstack/cli`'s `fedstack` runs: arguments
 * in, exit code out) and the report formats it writes (the backend's JUnit download uses the same).
 */
export {
  main as runCli,
  EXIT_COULD_NOT_SCAN,
  EXIT_NOT_READY,
  EXIT_READY,
  type CliIo,
} from './main';
export {
  formatJunit,
  formatReport,
  type JunitReport,
  type ReportFormat,
} from './reportFormats';
