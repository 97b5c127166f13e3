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

export interface ProfileScore {
  profileId: ProfileId;
  /** Weighted share of passes, 0–100 (a warning counts half); null when nothing applied. */
  score: number | null;
  /** No critical check failed or could not run. */
  ready: boolean;
  /** Critical checks that failed or could not run: what stands between the site and ready. */
  blocking: string[];
  counts: Record<CheckResult['status'], number>;
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
  for (const result of results) {
    if (!applicable.has(result.checkId)) continue;
    counts[result.status] += 1;
    // A check that does not apply neither helps nor hurts.
    if (result.status === 'skip') continue;
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
  return {
    profileId,
    score: possible === 0 ? null : Math.round((1000 * earned) / possible) / 10,
    ready: blocking.length === 0,
    blocking,
    counts,
  };
}
