import {
  CheckResultSummary,
  ScanSummary,
  Waiver,
  WaiverCountsAs,
} from '@fedstack/plugin-openstack-common';
import {
  ComplianceCatalogue,
  Profile,
  ProfileSettings,
  scoreProfile,
} from '@fedstack/plugin-openstack-node';

/**
 * A site's latest scan as its active waivers change it: each failing check an approved,
 * unexpired waiver covers carries the waiver, and the profiles are scored again with it
 * (never blocking, counted as `countsAs` says). Scored by the definitions the scan kept, else
 * by the catalogue's; a profile neither knows keeps its stored score. Waivers are applied when
 * read, so one that expires stops counting at once, with no scan.
 */
export function withWaivers(options: {
  scan: ScanSummary;
  results: CheckResultSummary[];
  waivers: readonly Waiver[];
  countsAs: WaiverCountsAs;
  definitions?: readonly Profile[];
  catalogue: ComplianceCatalogue;
  profileSettings: Readonly<Record<string, ProfileSettings | undefined>>;
}): { scan: ScanSummary; results: CheckResultSummary[] } {
  const active = new Map(
    options.waivers
      .filter(waiver => waiver.active)
      .map(waiver => [waiver.checkId, waiver]),
  );
  if (active.size === 0) {
    return { scan: options.scan, results: options.results };
  }
  const results = options.results.map(result => {
    const waiver = active.get(result.checkId);
    return waiver && result.status !== 'pass' && result.status !== 'skip'
      ? {
          ...result,
          waiver: {
            id: waiver.id,
            reason: waiver.reason,
            expiresAt: waiver.expiresAt,
            decidedBy: waiver.decidedBy,
          },
        }
      : result;
  });
  const waived = {
    checkIds: new Set(active.keys()),
    countsAs: options.countsAs,
  };
  const profiles = options.scan.profiles.map(stored => {
    const definition =
      options.definitions?.find(d => d.id === stored.profileId) ??
      (options.catalogue.profile(stored.profileId) &&
        options.catalogue.effectiveProfile(
          stored.profileId,
          options.profileSettings[stored.profileId],
        ));
    return definition ? scoreProfile(definition, results, {}, waived) : stored;
  });
  return { scan: { ...options.scan, profiles }, results };
}
