import { Evidence, EvidenceRecorder } from './evidence';

const evidence = (url: string): Evidence => ({
  at: '2026-11-23T18:00:00.000Z',
  method: 'GET',
  url,
  durationMs: 1,
  requestHeaders: {},
  responseHeaders: {},
});

describe('EvidenceRecorder', () => {
  it("reports a check's requests to the scan, once each", () => {
    const scan = new EvidenceRecorder();
    const check = scan.child();
    const a = evidence('http://k/v3');
    const b = evidence('http://k/v3/auth/tokens');
    // The site's http reports to the scan, and the check's session to the check.
    scan.record(a);
    check.record(a);
    check.record(b);
    scan.record(b);
    expect(check.evidence).toEqual([a, b]);
    expect(scan.evidence).toEqual([a, b]);
    expect(scan.requestCount).toBe(2);
  });
});
