import { stringify as toYaml } from 'yaml';
import {
  ProfileScore,
  READINESS_WORDS,
} from '@fedstack/plugin-openstack-terms';
import { ScanReport } from '../checks/scan';
import { CheckResult } from '../checks/types';

/**
 * How `fedstack scan` prints a report: a table for people, JSON or YAML for tools, JUnit for CI,
 * Nagios plugin output for monitoring (ARGO, Icinga, Nagios).
 */
export const REPORT_FORMATS = [
  'table',
  'json',
  'yaml',
  'junit',
  'nagios',
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatReport(report: ScanReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'yaml':
      return toYaml(report, { aliasDuplicateObjects: false });
    case 'junit':
      return formatJunit(report);
    case 'nagios':
      return formatNagios(report).text;
    default:
      return formatTable(report);
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * A profile's verdict in a line: its score (and what it left out), then READY, NOT READY with
 * the blocking checks, or INCOMPLETE with the critical/major checks not evaluated.
 */
export function profileLine(p: ProfileScore): string {
  const left =
    p.notEvaluated.length > 0
      ? ` (${p.notEvaluated.length} not evaluated, left out)`
      : '';
  const required = p.notEvaluated
    .filter(c => c.blocksReadiness)
    .map(c => c.checkId);
  let verdict = READINESS_WORDS[p.readiness];
  if (p.readiness === 'not-ready') {
    verdict += ` (blocking: ${p.blocking.join(', ')})`;
  } else if (p.readiness === 'not-evaluated') {
    verdict += `: ${required.length} critical/major check${
      required.length === 1 ? '' : 's'
    } not evaluated (${required.join(', ')})`;
  }
  return `${p.profileId}: score ${p.score ?? 'n/a'}${left}, ${verdict}`;
}

/** The table's word for a status: a skipped check was not evaluated, as the portal says. */
const statusWord = (status: CheckResult['status']) =>
  status === 'skip' ? 'NOT EVALUATED' : status.toUpperCase();

export function formatTable(report: ScanReport): string {
  const rows = report.results.map(r => [
    statusWord(r.status),
    r.checkId,
    r.severity,
    r.message,
  ]);
  const header = ['STATUS', 'CHECK', 'SEVERITY', 'MESSAGE'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(row => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i])))
      .join('  ');
  const profiles = report.profiles.map(profileLine);
  return [
    `${report.site}: ${report.results.length} checks in ${(
      report.durationMs / 1000
    ).toFixed(1)} s, ${report.tokensIssued} token(s), ${
      report.requests
    } request(s)`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...profiles,
    '',
  ].join('\n');
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 has no place for most control characters.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}

function testcase(result: CheckResult): string {
  const open = `    <testcase classname="${xml(result.area)}" name="${xml(
    `${result.checkId}: ${result.title}`,
  )}" time="${(result.durationMs / 1000).toFixed(3)}">`;
  const body = `${result.message}\n\nRemediation: ${result.remediation}\nDocumentation: ${result.docsUrl}`;
  switch (result.status) {
    case 'fail':
      return `${open}\n      <failure message="${xml(result.message)}" type="${
        result.severity
      }">${xml(body)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}\n      <error message="${xml(result.message)}">${xml(
        body,
      )}</error>\n    </testcase>`;
    case 'skip':
      return `${open}\n      <skipped message="${xml(
        result.message,
      )}"/>\n    </testcase>`;
    case 'warn':
      return `${open}\n      <system-out>${xml(
        `WARNING: ${body}`,
      )}</system-out>\n    </testcase>`;
    default:
      return `${open}\n      <system-out>${xml(
        result.message,
      )}</system-out>\n    </testcase>`;
  }
}

/** The part of a scan report JUnit shows. */
export type JunitReport = Pick<
  ScanReport,
  'site' | 'startedAt' | 'durationMs' | 'results'
>;

/** One JUnit document, one test suite per site: CI servers show each check as a test. */
export function formatJunit(...reports: JunitReport[]): string {
  const count = (results: CheckResult[], status: CheckResult['status']) =>
    results.filter(r => r.status === status).length;
  const all = reports.flatMap(report => report.results);
  const suites = reports.map(report =>
    [
      `  <testsuite name="${xml(report.site)}" tests="${
        report.results.length
      }" failures="${count(report.results, 'fail')}" errors="${count(
        report.results,
        'error',
      )}" skipped="${count(report.results, 'skip')}" time="${(
        report.durationMs / 1000
      ).toFixed(3)}" timestamp="${report.startedAt}">`,
      ...report.results.map(testcase),
      '  </testsuite>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fedstack scan" tests="${all.length}" failures="${count(
      all,
      'fail',
    )}" errors="${count(all, 'error')}" skipped="${count(all, 'skip')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** Nagios plugin states, by return code (Nagios plugin API, monitoring-plugins guidelines). */
export const NAGIOS_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type NagiosState = (typeof NAGIOS_STATES)[number];

/**
 * A check's state: pass OK, warn WARNING, fail CRITICAL when the check is critical (it blocks
 * readiness) and WARNING otherwise, error (the check could not run) UNKNOWN; a check not
 * evaluated has none.
 */
function checkState(result: CheckResult): NagiosState | undefined {
  switch (result.status) {
    case 'pass':
      return 'OK';
    case 'warn':
      return 'WARNING';
    case 'fail':
      return result.severity === 'critical' ? 'CRITICAL' : 'WARNING';
    case 'error':
      return 'UNKNOWN';
    default:
      return undefined;
  }
}

// The worst first, as monitoring-plugins' max_state_alt: CRITICAL > WARNING > UNKNOWN > OK.
const WORST_FIRST: NagiosState[] = ['CRITICAL', 'WARNING', 'UNKNOWN', 'OK'];

/** Text that may not break the plugin output: `|` starts perfdata, a newline a new line. */
function pluginText(text: string): string {
  return text.replace(/\|/g, '/').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A perfdata label: quoted when it holds spaces, `=` or quotes (quotes doubled). */
function perfLabel(label: string): string {
  return /[\s='|]/.test(label) ? `'${label.replace(/'/g, "''")}'` : label;
}

/**
 * Nagios plugin output: one line `FEDSTACK <STATE> - summary | perfdata`, then a line per check
 * (long output, worst first), with the return code of the state. The state is the worst of the
 * checks run (not-evaluated ones left out); UNKNOWN when none was evaluated. Perfdata: each
 * profile's score (0-100, `U` when it has none) and the scan's duration in seconds.
 */
export function formatNagios(report: ScanReport): {
  text: string;
  state: NagiosState;
  code: number;
} {
  const judged = report.results
    .map(result => ({ result, state: checkState(result) }))
    .filter((r): r is { result: CheckResult; state: NagiosState } => !!r.state);
  const state =
    judged.length === 0
      ? 'UNKNOWN'
      : WORST_FIRST.find(s => judged.some(r => r.state === s))!;
  const count = (s: NagiosState) => judged.filter(r => r.state === s).length;
  const notEvaluated = report.results.length - judged.length;
  const worstIds = judged
    .filter(r => r.state === state && state !== 'OK')
    .map(r => r.result.checkId);
  const tally = [
    `${count('CRITICAL')} critical`,
    `${count('WARNING')} warning`,
    `${count('UNKNOWN')} unknown`,
    `${count('OK')} ok`,
    ...(notEvaluated ? [`${notEvaluated} not evaluated`] : []),
  ].join(', ');
  const summary = `${pluginText(report.site)}: ${tally} of ${
    report.results.length
  } checks${worstIds.length ? ` (${worstIds.join(', ')})` : ''}`;
  const single = report.profiles.length === 1;
  const perfdata = [
    ...report.profiles.map(
      p =>
        `${perfLabel(single ? 'score' : `score_${p.profileId}`)}=${
          p.score ?? 'U'
        };;;0;100`,
    ),
    `duration=${(report.durationMs / 1000).toFixed(3)}s`,
  ].join(' ');
  const rank = (s: NagiosState | undefined) =>
    s ? WORST_FIRST.indexOf(s) : WORST_FIRST.length;
  const lines = [...report.results]
    .sort((a, b) => rank(checkState(a)) - rank(checkState(b)))
    .map(
      r =>
        `${checkState(r) ?? 'NOT EVALUATED'} ${r.checkId}: ${pluginText(
          r.message,
        )}`,
    );
  const profiles = report.profiles.map(p => pluginText(profileLine(p)));
  return {
    state,
    code: NAGIOS_STATES.indexOf(state),
    text: [
      `FEDSTACK ${state} - ${summary} | ${perfdata}`,
      ...lines,
      ...profiles,
      '',
    ].join('\n'),
  };
}

/** The plugin output of a scan that could not run: UNKNOWN, return code 3. */
export function nagiosUnknown(message: string): string {
  return `FEDSTACK UNKNOWN - ${pluginText(message)}\n`;
}
