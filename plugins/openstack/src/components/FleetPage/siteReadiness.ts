import { SiteSummary } from '@fedstack/plugin-openstack-common';

export type SiteReadiness =
  | 'ready'
  | 'not-ready'
  | 'not-evaluated'
  | 'not-scanned'
  | 'misconfigured';

export const readinessTitles: Record<SiteReadiness, string> = {
  ready: 'Ready',
  'not-ready': 'Not ready',
  'not-evaluated': 'Incomplete (not evaluated)',
  'not-scanned': 'Not scanned',
  misconfigured: 'Misconfigured',
};

/**
 * Where a site stands for one profile, or for every profile it declares: ready only when each
 * of them is ready in the latest scan; not ready when one of them is; otherwise incomplete when
 * one of them left critical or major checks not evaluated.
 */
export function siteReadiness(
  site: SiteSummary,
  profileId?: string,
): SiteReadiness {
  if (site.problems.length > 0) {
    return 'misconfigured';
  }
  const scores = (site.latestScan?.profiles ?? []).filter(
    profile => profileId === undefined || profile.profileId === profileId,
  );
  if (site.latestScan?.status !== 'completed' || scores.length === 0) {
    return 'not-scanned';
  }
  if (scores.some(profile => profile.readiness === 'not-ready')) {
    return 'not-ready';
  }
  return scores.every(profile => profile.readiness === 'ready')
    ? 'ready'
    : 'not-evaluated';
}
