import { z } from 'zod';
import {
  CONSOLE_MAX_LINE_LENGTH as wireFormatLimit,
  profileScoreSchema,
  READINESS_STATES as restReadiness,
  usageTotalsSchema as restUsageTotals,
} from '@fedstack/plugin-openstack-common';
import {
  CONSOLE_MAX_LINE_LENGTH as parserLimit,
  READINESS_STATES as scoredReadiness,
  scoreProfile,
  usageTotalsSchema as sampledUsageTotals,
} from '@fedstack/plugin-openstack-node';

// A few things are stated in both packages: the browser cannot load the node library, and the
// node library imports nothing of Backstage's. The backend, which loads both, keeps them equal.
describe('the common package and the node library', () => {
  it('agree on the console’s longest line', () => {
    expect(wireFormatLimit).toBe(parserLimit);
  });

  it('agree on the usage totals the metering job samples and the REST API serves', () => {
    expect(z.toJSONSchema(restUsageTotals)).toEqual(
      z.toJSONSchema(sampledUsageTotals),
    );
  });

  it('agree on a profile score, "not evaluated" included', () => {
    expect(restReadiness).toEqual(scoredReadiness);
    const skipped = {
      checkId: 'accounting.fresh',
      title: 'Accounting records are fresh',
      area: 'accounting' as const,
      severity: 'major' as const,
      status: 'skip' as const,
      message: 'No accounting source is configured for this scan',
      remediation: '',
      docsUrl: '',
      startedAt: '2026-11-23T00:00:00.000Z',
      durationMs: 0,
      evidence: [],
    };
    const score = scoreProfile('egi-fedcloud', [skipped]);
    // Strict: a field the node library adds and the REST API does not know fails here.
    expect(profileScoreSchema.strict().parse(score)).toEqual(score);
    expect(score.readiness).toBe('not-evaluated');
  });
});
