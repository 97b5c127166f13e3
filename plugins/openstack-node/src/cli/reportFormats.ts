import { ProfileScore, READINESS_WORDS } from '../checks/profiles';
import { ScanReport } from '../checks/scan';
import { CheckResult } from '../checks/types';

/** How `fedstack scan` prints a report: a table for people, JSON for tools, JUnit for CI. */
export type ReportFormat = 'table' | 'json' | 'junit';

export function formatReport(report: ScanReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return formatJunit(report);
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
