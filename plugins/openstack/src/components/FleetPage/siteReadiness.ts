import { ProfileId, SiteSummary } from '@fedstack/plugin-openstack-common';

export type SiteReadiness =
  | 'ready'
  | 'not-ready'
  | 'not-scanned'
  | 'misconfigured';

export const readinessTitles: Record<SiteReadiness, string> = {
  ready: 'Ready',
  'not-ready': 'Not ready',
  'not-scanned': 'Not scanned',
  misconfigured: 'Misconfigured',
};

/**
 * Where a site stands for one profile, or for every profile it declares: ready only when each
 * of them is ready in the latest scan.
 */
export function siteReadiness(
  site: SiteSummary,
  profileId?: ProfileId,
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
  return scores.every(profile => profile.ready) ? 'ready' : 'not-ready';
}
