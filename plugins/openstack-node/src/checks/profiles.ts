import { CheckResult, Severity } from './types';

/**
 * Profiles say which checks apply for a purpose and how much each weighs:
 * `egi-fedcloud`: what a site needs to join the EGI Federated Cloud (everything but the
 * platform accounts); `tenant-platform`: what a tenant-replication platform needs.
 */
export const PROFILE_CHECKS = {
  'egi-fedcloud': [
    'keystone.reachable',
    'keystone.tls',
    'keystone.v3',
    'keystone.catalog',
    'services.reachable',
    'services.ports',
    'services.versions',
    'federation.idp',
    'federation.protocol',
    'federation.mapping',
    'federation.domain',
    'federation.users',
    'federation.login',
    'vo.ops',
    'vo.community',
    'vo.monitoring-flavor',
    'accounting.credentials',
    'accounting.fresh',
    'accounting.coverage',
    'registration.gocdb',
    'registration.info',
  ],
  'tenant-platform': [
    'keystone.reachable',
    'keystone.tls',
    'keystone.v3',
    'keystone.catalog',
    'services.versions',
    'federation.users',
    'accounts.replicator',
    'accounts.metering',
  ],
} as const;

export type ProfileId = keyof typeof PROFILE_CHECKS;

/** Default weight by severity; a profile's settings may override it per check. */
export const DEFAULT_WEIGHTS: Record<Severity, number> = {
  critical: 3,
  major: 2,
  minor: 1,
};

export interface ProfileSettings {
  weights?: Record<string, number>;
  disabledChecks?: string[];
}

/**
 * What users see of a profile: `ready`; `not-ready` (a critical check failed or could not run);
 * `not-evaluated` (nothing failed, but a check that must be evaluated was skipped, e.g. its
 * source is not configured: the score leaves it out, so it cannot vouch for the site).
 */
export const READINESS_STATES = [
  'ready',
  'not-ready',
  'not-evaluated',
] as const;
export type Readiness = (typeof READINESS_STATES)[number];

/**
 * Severities whose checks must be evaluated for a site to be ready. A skipped minor check is
 * listed as not evaluated but does not hold readiness back.
 */
export const MUST_BE_EVALUATED: readonly Severity[] = ['critical', 'major'];

/** A check of the profile that ended `skip`, and why. */
export interface NotEvaluatedCheck {
  checkId: string;
  severity: Severity;
  /** The check's message: what it lacked (a source, a declaration). */
  reason: string;
  /** Its severity keeps the profile from `ready` (see MUST_BE_EVALUATED). */
  blocksReadiness: boolean;
}

export interface ProfileScore {
  profileId: ProfileId;
  /**
   * Weighted share of passes, 0–100 (a warning counts half); null when nothing applied.
   * Checks not evaluated are left out: `notEvaluated` says which.
   */
  score: number | null;
  /** Where the profile stands; the one rule is `profileReadiness`. */
  readiness: Readiness;
  /** `readiness === 'ready'`, kept for clients of the boolean. */
  ready: boolean;
  /** Critical checks that failed or could not run: what stands between the site and ready. */
  blocking: string[];
  /** Checks of the profile that were skipped, in the order of the results. */
  notEvaluated: NotEvaluatedCheck[];
  counts: Record<CheckResult['status'], number>;
}

/**
 * The readiness rule, in one place: a failed (or unrunnable) critical check makes a profile not
 * ready; otherwise a skipped critical or major check leaves it not evaluated; otherwise ready.
 */
export function profileReadiness(
  blocking: readonly string[],
  notEvaluated: readonly Pick<NotEvaluatedCheck, 'blocksReadiness'>[],
): Readiness {
  if (blocking.length > 0) return 'not-ready';
  if (notEvaluated.some(check => check.blocksReadiness)) return 'not-evaluated';
  return 'ready';
}

/** How reports and the console name a readiness, as the portal does. */
export const READINESS_WORDS: Record<Readiness, string> = {
  ready: 'READY',
  'not-ready': 'NOT READY',
  'not-evaluated': 'INCOMPLETE',
};

/** A skipped result as the profile lists it. */
export function notEvaluatedCheck(
  result: Pick<CheckResult, 'checkId' | 'severity' | 'message'>,
): NotEvaluatedCheck {
  return {
    checkId: result.checkId,
    severity: result.severity,
    reason: result.message,
    blocksReadiness: MUST_BE_EVALUATED.includes(result.severity),
  };
}

export function profileCheckIds(
  profileId: ProfileId,
  settings: ProfileSettings = {},
): string[] {
  const disabled = new Set(settings.disabledChecks ?? []);
  return PROFILE_CHECKS[profileId].filter(id => !disabled.has(id));
}

export function scoreProfile(
  profileId: ProfileId,
  results: readonly CheckResult[],
  settings: ProfileSettings = {},
): ProfileScore {
  const applicable = new Set(profileCheckIds(profileId, settings));
  const counts = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  let earned = 0;
  let possible = 0;
  const blocking: string[] = [];
  const notEvaluated: NotEvaluatedCheck[] = [];
  for (const result of results) {
    if (!applicable.has(result.checkId)) continue;
    counts[result.status] += 1;
    // Left out of the score, but listed: the score cannot speak for it.
    if (result.status === 'skip') {
      notEvaluated.push(notEvaluatedCheck(result));
      continue;
    }
    const weight =
      settings.weights?.[result.checkId] ?? DEFAULT_WEIGHTS[result.severity];
    possible += weight;
    if (result.status === 'pass') earned += weight;
    if (result.status === 'warn') earned += weight / 2;
    // An error on a critical check means it could not be verified: not ready either.
    if (
      result.severity === 'critical' &&
      (result.status === 'fail' || result.status === 'error')
    ) {
      blocking.push(result.checkId);
    }
  }
  const readiness = profileReadiness(blocking, notEvaluated);
  return {
    profileId,
    score: possible === 0 ? null : Math.round((1000 * earned) / possible) / 10,
    readiness,
    ready: readiness === 'ready',
    blocking,
    notEvaluated,
    counts,
  };
}
