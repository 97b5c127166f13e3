import { scoreProfile } from '../checks/profiles';
import { CheckResult } from '../checks/types';
import { formatTable } from './reportFormats';

function result(
  checkId: string,
  status: CheckResult['status'],
  severity: CheckResult['severity'],
  message: string,
): CheckResult {
  return {
    checkId,
    status,
    severity,
    title: checkId,
    area: 'accounting',
    remediation: '',
    docsUrl: '',
    message,
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 1,
    evidence: [],
  };
}

function table(results: CheckResult[]): string {
  return formatTable({
    site: 'site-c',
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 1000,
    results,
    profiles: [scoreProfile('egi-fedcloud', results)],
    tokensIssued: 1,
    requests: 3,
  });
}

describe('the CLI table', () => {
  it('says a profile is incomplete, not ready, when a major check was not evaluated', () => {
    const text = table([
      result('keystone.reachable', 'pass', 'critical', 'answered'),
      result(
        'accounting.fresh',
        'skip',
        'major',
        'No accounting source is configured for this scan',
      ),
      result('registration.info', 'skip', 'minor', 'No GOCDB name'),
    ]);
    expect(text).toMatch(
      /NOT EVALUATED\s+accounting\.fresh\s+major\s+No accounting source is configured/,
    );
    expect(text).toContain(
      'egi-fedcloud: score 100 (2 not evaluated, left out), INCOMPLETE: 1 critical/major check not evaluated (accounting.fresh)',
    );
    expect(text).not.toMatch(/\bREADY\b/);
  });

  it('names the blocking checks of a profile that is not ready', () => {
    expect(
      table([result('keystone.v3', 'fail', 'critical', 'no v3')]),
    ).toContain('egi-fedcloud: score 0, NOT READY (blocking: keystone.v3)');
    expect(
      table([result('keystone.v3', 'pass', 'critical', 'v3.14')]),
    ).toContain('egi-fedcloud: score 100, READY');
  });
});
