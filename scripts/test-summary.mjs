// Adds up jest's JSON report and node:test's TAP reports into one closing line.
import { existsSync, readFileSync } from 'node:fs';

const [jestReport, ...tapReports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync(jestReport)) {
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
  skipped += jest.numPendingTests + jest.numTodoTests;
} else {
  failed += 1;
  console.error(`no jest report (${jestReport}): the jest run did not finish`);
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
