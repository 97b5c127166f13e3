import { CheckResult } from './types';
import { ComplianceCatalogue } from './complianceCatalogue';
import { scoreProfile } from './profiles';

const builtIn = ComplianceCatalogue.builtIn();

function result(
  checkId: string,
  status: CheckResult['status'],
  severity: CheckResult['severity'],
  message = '',
): CheckResult {
  return {
    checkId,
    status,
    severity,
    title: checkId,
    area: 'identity',
    remediation: '',
    docsUrl: '',
    message,
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 1,
    evidence: [],
  };
}

describe('scoreProfile', () => {
  it('weighs passes by severity, counts a warning half and leaves skips out of the score', () => {
    const score = builtIn.scoreProfile('tenant-platform', [
      result('keystone.reachable', 'pass', 'critical'), // 3 of 3
      result('keystone.tls', 'warn', 'major'), // 1 of 2
      result('federation.users', 'fail', 'minor'), // 0 of 1
      result('accounts.metering', 'skip', 'minor'), // not counted
      result('vo.ops', 'fail', 'critical'), // not in this profile
    ]);
    expect(score.score).toBe(66.7);
    expect(score.ready).toBe(true);
    expect(score.readiness).toBe('ready');
    expect(score.counts).toEqual({
      pass: 1,
      warn: 1,
      fail: 1,
      error: 0,
      skip: 1,
    });
  });

  it('is not ready when a critical check fails or could not run', () => {
    const score = builtIn.scoreProfile('egi-fedcloud', [
      result('keystone.v3', 'fail', 'critical'),
      result('federation.idp', 'error', 'critical'),
      result('vo.community', 'fail', 'major'),
    ]);
    expect(score.ready).toBe(false);
    expect(score.readiness).toBe('not-ready');
    expect(score.blocking).toEqual(['keystone.v3', 'federation.idp']);
    expect(score.score).toBe(0);
  });

  it('is not ready but not evaluated when a critical or major check was skipped', () => {
    const score = builtIn.scoreProfile('egi-fedcloud', [
      result('keystone.reachable', 'pass', 'critical'),
      result(
        'accounting.fresh',
        'skip',
        'major',
        'No accounting source is configured for this scan',
      ),
      result('registration.info', 'skip', 'minor', 'No GOCDB name'),
    ]);
    // The score speaks only for what was evaluated…
    expect(score.score).toBe(100);
    // …so it cannot make the site ready.
    expect(score.ready).toBe(false);
    expect(score.readiness).toBe('not-evaluated');
    expect(score.blocking).toEqual([]);
    expect(score.notEvaluated).toEqual([
      {
        checkId: 'accounting.fresh',
        severity: 'major',
        reason: 'No accounting source is configured for this scan',
        blocksReadiness: true,
      },
      {
        checkId: 'registration.info',
        severity: 'minor',
        reason: 'No GOCDB name',
        blocksReadiness: false,
      },
    ]);
  });

  it('lists a skipped minor check without holding readiness back', () => {
    const score = builtIn.scoreProfile('egi-fedcloud', [
      result('keystone.reachable', 'pass', 'critical'),
      result('registration.info', 'skip', 'minor', 'No GOCDB name'),
    ]);
    expect(score).toMatchObject({ ready: true, readiness: 'ready' });
    expect(score.notEvaluated.map(c => c.checkId)).toEqual([
      'registration.info',
    ]);
  });

  it('is not ready, rather than not evaluated, when a critical check also failed', () => {
    const score = builtIn.scoreProfile('egi-fedcloud', [
      result('keystone.v3', 'fail', 'critical'),
      result('federation.login', 'skip', 'major'),
    ]);
    expect(score.readiness).toBe('not-ready');
    expect(score.notEvaluated).toHaveLength(1);
  });

  it('applies weight overrides and disabled checks from settings', () => {
    const results = [
      result('keystone.reachable', 'pass', 'critical'),
      result('keystone.tls', 'fail', 'critical'),
    ];
    expect(builtIn.scoreProfile('tenant-platform', results).score).toBe(50);
    expect(
      builtIn.scoreProfile('tenant-platform', results, {
        weights: { 'keystone.tls': 1 },
      }).score,
    ).toBe(75);
    const withoutTls = builtIn.scoreProfile('tenant-platform', results, {
      disabledChecks: ['keystone.tls'],
    });
    expect(withoutTls).toMatchObject({ score: 100, ready: true });
  });

  it('has no score when no check applied', () => {
    expect(builtIn.scoreProfile('egi-fedcloud', []).score).toBeNull();
  });
});

describe('scoreProfile with waivers', () => {
  const profile = builtIn.profile('tenant-platform')!;
  const waivedResult = (checkId: string, status: CheckResult['status']) =>
    ({
      checkId,
      severity: checkId === 'keystone.tls' ? 'critical' : 'major',
      status,
      message: '',
    } as CheckResult);
  const results = [
    waivedResult('keystone.reachable', 'pass'),
    waivedResult('keystone.tls', 'fail'),
  ];

  it('counts a waived failure as passed, and no longer blocking, when the installation says so', () => {
    const waived = scoreProfile(
      profile,
      results,
      {},
      {
        checkIds: new Set(['keystone.tls']),
        countsAs: 'pass',
      },
    );
    expect(waived).toMatchObject({
      score: 100,
      readiness: 'ready',
      blocking: [],
      waived: ['keystone.tls'],
      counts: { pass: 1, fail: 1 },
    });
  });

  it('leaves it out of the score when the installation says excluded', () => {
    const waived = scoreProfile(
      profile,
      results,
      {},
      {
        checkIds: new Set(['keystone.tls']),
        countsAs: 'excluded',
      },
    );
    expect(waived).toMatchObject({
      score: 100,
      blocking: [],
      waived: ['keystone.tls'],
    });
    expect(waived.notEvaluated).toEqual([]);
  });

  it('changes nothing for a check that passed, or without waivers', () => {
    expect(
      scoreProfile(
        profile,
        results,
        {},
        {
          checkIds: new Set(['keystone.reachable']),
          countsAs: 'excluded',
        },
      ),
    ).toEqual(scoreProfile(profile, results));
    expect(scoreProfile(profile, results)).toMatchObject({
      readiness: 'not-ready',
      blocking: ['keystone.tls'],
    });
    expect(scoreProfile(profile, results).waived).toBeUndefined();
  });
});
