import { ComplianceCatalogue } from '../checks/complianceCatalogue';

const builtIn = ComplianceCatalogue.builtIn();
import { CheckResult } from '../checks/types';
import { parse as parseYaml } from 'yaml';
import { formatNagios, formatReport, formatTable } from './reportFormats';

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
    profiles: [builtIn.scoreProfile('egi-fedcloud', results)],
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

function report(results: CheckResult[]) {
  return {
    site: 'site-c',
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 2345,
    results,
    profiles: [builtIn.scoreProfile('egi-fedcloud', results)],
    tokensIssued: 1,
    requests: 3,
  };
}

describe('Nagios plugin output', () => {
  it('is CRITICAL (2) when a check fails, with the failures named, long output and perfdata', () => {
    const out = formatNagios(
      report([
        result('keystone.v3', 'pass', 'critical', 'Keystone speaks v3'),
        result('keystone.tls', 'warn', 'minor', 'expires in 10 days'),
        result(
          'federation.mapping',
          'fail',
          'critical',
          'no issuer | guard\nat all',
        ),
        result('accounting.fresh', 'skip', 'major', 'no source'),
      ]),
    );
    expect(out.code).toBe(2);
    expect(out.state).toBe('CRITICAL');
    const lines = out.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^FEDSTACK CRITICAL - site-c: 1 critical, 1 warning, 0 unknown, 1 ok, 1 not evaluated of 4 checks \(federation\.mapping\) \| score=\d+(\.\d)?;;;0;100 duration=2\.345s$/,
    );
    // One `|` only (perfdata); a message's own `|` and newline do not break the output.
    expect(out.text.split('|')).toHaveLength(2);
    expect(lines[1]).toBe(
      'CRITICAL federation.mapping: no issuer / guard at all',
    );
    expect(lines[2]).toBe('WARNING keystone.tls: expires in 10 days');
    expect(lines[3]).toBe('OK keystone.v3: Keystone speaks v3');
    expect(lines[4]).toBe('NOT EVALUATED accounting.fresh: no source');
  });

  it('is WARNING (1) over UNKNOWN (3), UNKNOWN over OK, OK (0) when all pass', () => {
    const warn = formatNagios(
      report([
        result('a.b', 'error', 'major', 'could not run'),
        result('c.d', 'warn', 'minor', 'hmm'),
      ]),
    );
    expect([warn.state, warn.code]).toEqual(['WARNING', 1]);
    const unknown = formatNagios(
      report([
        result('a.b', 'error', 'major', 'could not run'),
        result('c.d', 'pass', 'minor', 'fine'),
      ]),
    );
    expect([unknown.state, unknown.code]).toEqual(['UNKNOWN', 3]);
    // A failed check that does not block readiness (major, minor) warns.
    const major = formatNagios(
      report([
        result('keystone.tls', 'fail', 'major', 'plain http'),
        result('c.d', 'pass', 'minor', 'fine'),
      ]),
    );
    expect([major.state, major.code]).toEqual(['WARNING', 1]);
    expect(major.text).toContain('\nWARNING keystone.tls: plain http\n');
    const ok = formatNagios(
      report([result('keystone.v3', 'pass', 'critical', 'fine')]),
    );
    expect([ok.state, ok.code]).toEqual(['OK', 0]);
    expect(
      formatReport(
        report([result('keystone.v3', 'pass', 'critical', 'fine')]),
        'nagios',
      ),
    ).toBe(ok.text);
    expect(ok.text).toMatch(
      /^FEDSTACK OK - site-c: 0 critical, 0 warning, 0 unknown, 1 ok of 1 checks \| score=100;;;0;100 duration=2\.345s\n/,
    );
    // Nothing evaluated: UNKNOWN, the score undetermined (U).
    const none = formatNagios(report([result('c.d', 'skip', 'minor', 'n/a')]));
    expect([none.state, none.code]).toEqual(['UNKNOWN', 3]);
    expect(none.text).toContain('score=U;;;0;100');
  });

  it('labels each profile score when several are scored', () => {
    const results = [result('c.d', 'pass', 'minor', 'fine')];
    const out = formatNagios({
      ...report(results),
      profiles: [
        builtIn.scoreProfile('egi-fedcloud', results),
        builtIn.scoreProfile('tenant-platform', results),
      ],
    });
    expect(out.text.split('\n')[0]).toMatch(
      /\| score_egi-fedcloud=\S+;;;0;100 score_tenant-platform=\S+;;;0;100 duration=/,
    );
  });
});

describe('YAML and JSON reports', () => {
  it('say the same thing', () => {
    const r = report([
      result('keystone.v3', 'fail', 'critical', 'a: b # not a comment'),
    ]);
    expect(parseYaml(formatReport(r, 'yaml'))).toEqual(
      JSON.parse(formatReport(r, 'json')),
    );
  });
});
