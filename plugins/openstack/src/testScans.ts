import {
  CheckResult,
  CheckResultResponse,
  ListSitesResponse,
  ProfileScore,
  ScanSummary,
  SiteDetailResponse,
  SiteSummary,
  summarizeCheckResult,
} from '@fedstack/plugin-openstack-common';

/** API answers for component tests, typed by the common schemas so they stay in step. */

/** Check counts of a profile; the schema wants every status. */
export function exampleCounts(
  counts: Partial<ProfileScore['counts']> = {},
): ProfileScore['counts'] {
  return { pass: 0, warn: 0, fail: 0, error: 0, skip: 0, ...counts };
}

export function exampleCheck(
  overrides: Partial<CheckResult> = {},
): CheckResult {
  return {
    checkId: 'keystone.reachable',
    title: 'Keystone answers on its public URL',
    area: 'identity',
    severity: 'critical',
    status: 'pass',
    message: 'Keystone answered in 12 ms',
    remediation: 'Open port 5000 to the world.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
    startedAt: '2026-11-23T10:00:00.000Z',
    durationMs: 12,
    evidence: [],
    ...overrides,
  };
}

export function exampleProfileScore(
  overrides: Partial<ProfileScore> = {},
): ProfileScore {
  return {
    profileId: 'egi-fedcloud',
    score: 100,
    readiness: 'ready',
    ready: true,
    blocking: [],
    notEvaluated: [],
    counts: exampleCounts({ pass: 1 }),
    ...overrides,
  };
}

export function exampleScan(overrides: Partial<ScanSummary> = {}): ScanSummary {
  return {
    id: 'scan-1',
    siteRef: 'resource:default/site-a',
    status: 'completed',
    trigger: 'manual',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:05.000Z',
    durationMs: 5000,
    profiles: [exampleProfileScore()],
    tokensIssued: 1,
    requests: 10,
    error: null,
    changes: [],
    ...overrides,
  };
}

export function exampleSiteSummary(
  overrides: Partial<SiteSummary> = {},
): SiteSummary {
  return {
    entityRef: 'resource:default/site-a',
    name: 'site-a',
    keystoneUrl: 'http://127.0.0.1:5000/v3',
    region: 'RegionOne',
    profiles: ['egi-fedcloud', 'tenant-platform'],
    problems: [],
    latestScan: exampleScan(),
    ...overrides,
  };
}

/** What the backend answers a reader who is not an owner of the site, about one check. */
const EVIDENCE_WITHHELD =
  "Request and response headers and bodies, and the details that name accounts or people, are shown to the site's owners (those who may scan it) only.";

/** keystone.tls of site-a's latest scan, failed, with its full evidence. */
export function exampleTlsCheck(): CheckResult {
  return exampleCheck({
    checkId: 'keystone.tls',
    title: 'Keystone is served over valid TLS',
    status: 'fail',
    message: 'The public URL is http, not https',
    remediation: 'Serve Keystone behind a TLS terminating proxy.',
    docsUrl: 'https://docs.openstack.org/keystone/latest/admin/',
    details: { scheme: 'http' },
    evidence: [
      {
        at: '2026-11-23T10:00:01.000Z',
        method: 'GET',
        url: 'http://127.0.0.1:5000/v3',
        status: 200,
        durationMs: 8,
        requestHeaders: { Accept: 'application/json' },
        responseHeaders: { 'content-type': 'application/json' },
        responseBody: '{"version": {"id": "v3.14"}}',
      },
    ],
  });
}

/** `GET /scans/scan-2/checks/keystone.tls` as an owner of site-a gets it, or another reader. */
export function exampleTlsCheckResponse(
  evidenceDetail: CheckResultResponse['evidenceDetail'],
): CheckResultResponse {
  const scan = exampleSiteDetail().site.latestScan!;
  return evidenceDetail === 'full'
    ? { evidenceDetail, scan, result: exampleTlsCheck() }
    : {
        evidenceDetail,
        scan,
        result: summarizeCheckResult(exampleTlsCheck(), []),
        withheld: EVIDENCE_WITHHELD,
      };
}

/** accounts.replicator of site-a's latest scan: its details name the account (owners only). */
export function exampleReplicatorCheck(): CheckResult {
  return exampleCheck({
    checkId: 'accounts.replicator',
    title: 'Replicator account may manage projects and groups',
    area: 'accounts',
    message: 'The replicator account holds admin on project admin',
    details: {
      user: 'fedstack-replicator-7f3a',
      roles: [{ role: 'admin', on: 'project admin' }],
    },
  });
}

/** `GET /scans/scan-2/checks/accounts.replicator` as an owner of site-a gets it, or another reader. */
export function exampleReplicatorCheckResponse(
  evidenceDetail: CheckResultResponse['evidenceDetail'],
): CheckResultResponse {
  const scan = exampleSiteDetail().site.latestScan!;
  return evidenceDetail === 'full'
    ? { evidenceDetail, scan, result: exampleReplicatorCheck() }
    : {
        evidenceDetail,
        scan,
        result: summarizeCheckResult(exampleReplicatorCheck(), ['user']),
        withheld: EVIDENCE_WITHHELD,
      };
}

/**
 * site-a after a scan where keystone.tls, a critical check, failed. Evidence summarized, as the
 * backend answers a site read.
 */
export function exampleSiteDetail(): SiteDetailResponse {
  const latest = exampleScan({
    id: 'scan-2',
    profiles: [
      exampleProfileScore({
        score: 75,
        readiness: 'not-ready',
        ready: false,
        blocking: ['keystone.tls'],
        counts: exampleCounts({ pass: 3, fail: 1 }),
      }),
      exampleProfileScore({
        profileId: 'tenant-platform',
        score: 90,
        ready: true,
        counts: exampleCounts({ pass: 4, warn: 1 }),
      }),
    ],
    changes: [{ checkId: 'keystone.tls', from: 'pass', to: 'fail' }],
  });
  return {
    site: exampleSiteSummary({ latestScan: latest }),
    results: [
      exampleCheck(),
      exampleTlsCheck(),
      exampleCheck({
        checkId: 'federation.idp',
        title: 'Identity provider egi.eu',
        area: 'federation',
        severity: 'major',
        status: 'warn',
        message: 'remote_ids lack the Check-in issuer',
      }),
    ].map(result => summarizeCheckResult(result, [])),
    history: [exampleScan({ id: 'scan-1' }), latest],
  };
}

/**
 * site-c after a scan with no accounting source configured: nothing failed, but
 * accounting.fresh (major) and registration.info (minor) were not evaluated.
 */
export function exampleIncompleteSiteDetail(): SiteDetailResponse {
  const reachable = exampleCheck();
  const accounting = exampleCheck({
    checkId: 'accounting.fresh',
    title: 'Accounting records are fresh',
    area: 'accounting',
    severity: 'major',
    status: 'skip',
    message:
      'No accounting source is configured for this scan (the accounting portal or a cASO spool)',
  });
  const info = exampleCheck({
    checkId: 'registration.info',
    title: 'Published in the cloud information system',
    area: 'registration',
    severity: 'minor',
    status: 'skip',
    message: 'The site declares no GOCDB name',
  });
  const latest = exampleScan({
    id: 'scan-c',
    siteRef: 'resource:default/site-c',
    profiles: [
      exampleProfileScore({
        score: 100,
        readiness: 'not-evaluated',
        ready: false,
        notEvaluated: [
          {
            checkId: accounting.checkId,
            severity: 'major',
            reason: accounting.message,
            blocksReadiness: true,
          },
          {
            checkId: info.checkId,
            severity: 'minor',
            reason: info.message,
            blocksReadiness: false,
          },
        ],
        counts: exampleCounts({ pass: 1, skip: 2 }),
      }),
    ],
  });
  return {
    site: exampleSiteSummary({
      entityRef: 'resource:default/site-c',
      name: 'site-c',
      keystoneUrl: 'https://keystone.site-c.example/v3',
      profiles: ['egi-fedcloud'],
      latestScan: latest,
    }),
    results: [reachable, accounting, info].map(result =>
      summarizeCheckResult(result, []),
    ),
    history: [latest],
  };
}

/** site-a: egi-fedcloud not ready; site-b: ready; site-broken: misconfigured; site-new: never scanned. */
export const exampleFleet: ListSitesResponse = {
  items: [
    exampleSiteDetail().site,
    exampleSiteSummary({
      entityRef: 'resource:default/site-b',
      name: 'site-b',
      title: 'Site B',
      keystoneUrl: 'https://keystone.site-b.example:5000/v3',
      region: 'RegionTwo',
      profiles: ['egi-fedcloud'],
      latestScan: exampleScan({
        siteRef: 'resource:default/site-b',
        profiles: [
          exampleProfileScore({
            score: 96,
            counts: exampleCounts({ pass: 20 }),
          }),
        ],
      }),
    }),
    exampleSiteSummary({
      entityRef: 'resource:default/site-broken',
      name: 'site-broken',
      keystoneUrl: undefined,
      region: undefined,
      profiles: ['egi-fedcloud'],
      problems: ['annotation openstack.fedstack.io/keystone-url is missing'],
      latestScan: null,
    }),
    exampleSiteSummary({
      entityRef: 'resource:default/site-new',
      name: 'site-new',
      keystoneUrl: 'https://keystone.site-new.example/v3',
      profiles: ['tenant-platform'],
      latestScan: null,
    }),
  ],
};
