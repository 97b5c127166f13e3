import {
  ReadinessCounts,
  RollupGroup,
  RollupQuery,
  ScanSummary,
} from '@fedstack/plugin-openstack-common';
import { RegisteredSite } from '../sites/SiteRegistry';

const empty = (): ReadinessCounts => ({
  ready: 0,
  notReady: 0,
  notEvaluated: 0,
  notScanned: 0,
});

function count(
  counts: ReadinessCounts,
  scan: ScanSummary | undefined,
  profileId: string,
) {
  const score = scan?.profiles.find(p => p.profileId === profileId);
  if (!score) counts.notScanned += 1;
  else if (score.readiness === 'ready') counts.ready += 1;
  else if (score.readiness === 'not-ready') counts.notReady += 1;
  else counts.notEvaluated += 1;
}

/**
 * The fleet grouped by owner or NGI: per group and profile its sites' readiness in their latest
 * completed scan now and in the latest before `since` (a site not scanned then counts as not
 * scanned). Sites with problems count as not scanned: nothing vouches for them.
 */
export function rollupSites(
  sites: readonly RegisteredSite[],
  now: ReadonlyMap<string, ScanSummary>,
  before: ReadonlyMap<string, ScanSummary>,
  by: RollupQuery['by'],
): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const site of sites) {
    const key = (by === 'owner' ? site.owner : site.site?.ngi) ?? '';
    const group = groups.get(key) ?? { key, sites: 0, profiles: {} };
    groups.set(key, group);
    group.sites += 1;
    for (const profileId of site.site?.profiles ?? []) {
      const counts = (group.profiles[profileId] ??= {
        now: empty(),
        before: empty(),
      });
      const usable = site.problems.length === 0;
      count(
        counts.now,
        usable ? now.get(site.entityRef) : undefined,
        profileId,
      );
      count(
        counts.before,
        usable ? before.get(site.entityRef) : undefined,
        profileId,
      );
    }
  }
  // Named groups by name, the sites that name none last.
  return [...groups.values()].sort((a, b) => {
    if (!a.key || !b.key) return Number(!a.key) - Number(!b.key);
    return a.key.localeCompare(b.key);
  });
}
