// Adds up jest's JSON reports (*.json) and node:test's TAP reports (*.tap) into one line.
import { existsSync, readFileSync } from 'node:fs';

const reports = process.argv.slice(2);
const jestReports = reports.filter(report => report.endsWith('.json'));
const tapReports = reports.filter(report => report.endsWith('.tap'));
let passed = 0;
let failed = 0;
let skipped = 0;

for (const jestReport of jestReports) {
  if (!existsSync(jestReport)) {
    failed += 1;
    console.error(
      `no jest report (${jestReport}): that jest run did not finish`,
    );
    continue;
  }
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
  skipped += jest.numPendingTests + jest.numTodoTests;
}

for (const tapReport of tapReports) {
  if (!existsSync(tapReport)) {
    failed += 1;
    console.error(`no test report (${tapReport}): those tests did not run`);
    continue;
  }
  const tap = readFileSync(tapReport, 'utf8');
  const count = name =>
    Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped') + count('todo');
}

console.log(`fedstack: ${passed} passed, ${failed} failed, ${skipped} skipped`);
