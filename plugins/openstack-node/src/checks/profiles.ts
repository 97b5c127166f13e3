import type {
  NotEvaluatedCheck,
  ProfileId,
  ProfileScore,
  Readiness,
  Severity,
} from '@fedstack/plugin-openstack-terms';
import { CheckResult } from './types';

/**
 * A profile as its author writes it: which checks apply for a purpose, what each weighs and when
 * a site is ready. The built-in ones are below; backend modules add their own (an NGI's
 * requirements), usually `basedOn` a built-in one with a few checks added or left out.
 */
export interface ProfileDefinition {
  id: ProfileId;
  title: string;
  /** What the profile is for, in a few words (the checks reference and the portal show it). */
  description: string;
  /** A profile (defined before this one) whose checks, weights and readiness rule this one starts from. */
  basedOn?: ProfileId;
  /** Checks it applies (added to those of `basedOn`). */
  checks?: readonly string[];
  /** Checks of `basedOn` it leaves out. */
  withoutChecks?: readonly string[];
  /** Weights by check id, over the default weight of the check's severity. */
  weights?: Readonly<Record<string, number>>;
  /** When the profile is ready; default: `DEFAULT_READINESS_RULE`. */
  readiness?: Partial<ReadinessRule>;
}

/**
 * The readiness rule: a failed (or unrunnable) check of a `blocking` severity makes a profile not
 * ready; otherwise a skipped check of a `mustBeEvaluated` severity leaves it not evaluated;
 * otherwise it is ready.
 */
export interface ReadinessRule {
  blocking: readonly Severity[];
  mustBeEvaluated: readonly Severity[];
}

export const DEFAULT_READINESS_RULE: ReadinessRule = {
  blocking: ['critical'],
  mustBeEvaluated: ['critical', 'major'],
};

/** A profile with its `basedOn` resolved: what scans score. */
export interface Profile {
  id: ProfileId;
  title: string;
  description: string;
  /** In the catalogue's order. */
  checks: readonly string[];
  weights: Readonly<Record<string, number>>;
  readiness: ReadinessRule;
}

/** An installation's changes to a profile, from its configuration (`openstack.profiles`). */
export interface ProfileSettings {
  weights?: Record<string, number>;
  disabledChecks?: string[];
}

/** Default weight by severity; a profile (or its settings) may override it per check. */
export const DEFAULT_WEIGHTS: Record<Severity, number> = {
  critical: 3,
  major: 2,
  minor: 1,
};

/**
 * `egi-fedcloud`: what a site needs to join the EGI Federated Cloud (everything but the platform
 * accounts); `tenant-platform`: what a tenant-replication platform needs.
 */
export const BUILT_IN_PROFILES: readonly ProfileDefinition[] = [
  {
    id: 'egi-fedcloud',
    title: 'EGI Federated Cloud',
    description: 'what a site needs to join the EGI Federated Cloud',
    checks: [
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
  },
  {
    id: 'tenant-platform',
    title: 'Tenant platform',
    description: 'what a tenant-replication platform needs',
    checks: [
      'keystone.reachable',
      'keystone.tls',
      'keystone.v3',
      'keystone.catalog',
      'services.versions',
      'federation.users',
      'accounts.replicator',
      'accounts.metering',
    ],
  },
];

/** The readiness rule, in one place (see `ReadinessRule`). */
export function profileReadiness(
  blocking: readonly string[],
  notEvaluated: readonly Pick<NotEvaluatedCheck, 'blocksReadiness'>[],
): Readiness {
  if (blocking.length > 0) return 'not-ready';
  if (notEvaluated.some(check => check.blocksReadiness)) return 'not-evaluated';
  return 'ready';
}

/** A skipped result as the profile lists it. */
export function notEvaluatedCheck(
  result: Pick<CheckResult, 'checkId' | 'severity' | 'message'>,
  rule: ReadinessRule = DEFAULT_READINESS_RULE,
): NotEvaluatedCheck {
  return {
    checkId: result.checkId,
    severity: result.severity,
    reason: result.message,
    blocksReadiness: rule.mustBeEvaluated.includes(result.severity),
  };
}

/** The profile's checks an installation runs: its own, less the ones its settings disable. */
export function profileCheckIds(
  profile: Profile,
  settings: ProfileSettings = {},
): string[] {
  const disabled = new Set(settings.disabledChecks ?? []);
  return profile.checks.filter(id => !disabled.has(id));
}

/**
 * Checks whose failure an approved waiver covers, and how such a failure counts: `pass` (as if
 * it passed) or `excluded` (left out of the score). A waived check never blocks readiness.
 */
export interface WaivedChecks {
  checkIds: ReadonlySet<string>;
  countsAs: 'pass' | 'excluded';
}

/** Scores one profile on a scan's results (results of other checks are ignored). */
export function scoreProfile(
  profile: Profile,
  results: readonly Pick<
    CheckResult,
    'checkId' | 'severity' | 'status' | 'message'
  >[],
  settings: ProfileSettings = {},
  waivers?: WaivedChecks,
): ProfileScore {
  const applicable = new Set(profileCheckIds(profile, settings));
  const counts = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  let earned = 0;
  let possible = 0;
  const blocking: string[] = [];
  const notEvaluated: NotEvaluatedCheck[] = [];
  const waived: string[] = [];
  const weightOf = (result: Pick<CheckResult, 'checkId' | 'severity'>) =>
    settings.weights?.[result.checkId] ??
    profile.weights[result.checkId] ??
    DEFAULT_WEIGHTS[result.severity];
  for (const result of results) {
    if (!applicable.has(result.checkId)) continue;
    counts[result.status] += 1;
    if (
      waivers?.checkIds.has(result.checkId) &&
      ['fail', 'warn', 'error'].includes(result.status)
    ) {
      waived.push(result.checkId);
      if (waivers.countsAs === 'pass') {
        possible += weightOf(result);
        earned += weightOf(result);
      }
      continue;
    }
    // Left out of the score, but listed: the score cannot speak for it.
    if (result.status === 'skip') {
      notEvaluated.push(notEvaluatedCheck(result, profile.readiness));
      continue;
    }
    const weight = weightOf(result);
    possible += weight;
    if (result.status === 'pass') earned += weight;
    if (result.status === 'warn') earned += weight / 2;
    // An error on a blocking check means it could not be verified: not ready either.
    if (
      profile.readiness.blocking.includes(result.severity) &&
      (result.status === 'fail' || result.status === 'error')
    ) {
      blocking.push(result.checkId);
    }
  }
  const readiness = profileReadiness(blocking, notEvaluated);
  return {
    profileId: profile.id,
    score: possible === 0 ? null : Math.round((1000 * earned) / possible) / 10,
    readiness,
    ready: readiness === 'ready',
    blocking,
    notEvaluated,
    counts,
    ...(waived.length > 0 && { waived }),
  };
}
