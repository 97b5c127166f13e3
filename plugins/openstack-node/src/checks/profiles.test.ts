import { CheckResult } from './types';
import { scoreProfile } from './profiles';

function result(
  checkId: string,
  status: CheckResult['status'],
  severity: CheckResult['severity'],
): CheckResult {
  return {
    checkId,
    status,
    severity,
    title: checkId,
    area: 'identity',
    remediation: '',
    docsUrl: '',
    message: '',
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 1,
    evidence: [],
  };
}

describe('scoreProfile', () => {
  it('weighs passes by severity, counts a warning half and ignores skips', () => {
    const score = scoreProfile('tenant-platform', [
      result('keystone.reachable', 'pass', 'critical'), // 3 of 3
      result('keystone.tls', 'warn', 'major'), // 1 of 2
      result('federation.users', 'fail', 'minor'), // 0 of 1
      result('accounts.metering', 'skip', 'major'), // not counted
      result('vo.ops', 'fail', 'critical'), // not in this profile
    ]);
    expect(score.score).toBe(66.7);
    expect(score.ready).toBe(true);
    expect(score.counts).toEqual({
      pass: 1,
      warn: 1,
      fail: 1,
      error: 0,
      skip: 1,
    });
  });

  it('is not ready when a critical check fails or could not run', () => {
    const score = scoreProfile('egi-fedcloud', [
      result('keystone.v3', 'fail', 'critical'),
      result('federation.idp', 'error', 'critical'),
      result('vo.community', 'fail', 'major'),
    ]);
    expect(score.ready).toBe(false);
    expect(score.blocking).toEqual(['keystone.v3', 'federation.idp']);
    expect(score.score).toBe(0);
  });

  it('applies weight overrides and disabled checks from settings', () => {
    const results = [
      result('keystone.reachable', 'pass', 'critical'),
      result('keystone.tls', 'fail', 'critical'),
    ];
    expect(scoreProfile('tenant-platform', results).score).toBe(50);
    expect(
      scoreProfile('tenant-platform', results, {
        weights: { 'keystone.tls': 1 },
      }).score,
    ).toBe(75);
    const withoutTls = scoreProfile('tenant-platform', results, {
      disabledChecks: ['keystone.tls'],
    });
    expect(withoutTls).toMatchObject({ score: 100, ready: true });
  });

  it('has no score when no check applied', () => {
    expect(scoreProfile('egi-fedcloud', []).score).toBeNull();
  });
});
