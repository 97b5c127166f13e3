import { SiteSummary, toCsv } from '@fedstack/plugin-openstack-common';
import { describeChanges, scanTime } from '../ScoreDisplay';

/**
 * The fleet as the page shows it, for a spreadsheet: one row per site; per profile its score,
 * readiness (`ready`, `not-ready`, `not-evaluated`; `ready` yes/no as before), blocking checks
 * and checks not evaluated. Built from the one `/sites` answer the page already holds; one group
 * of columns per profile the page shows (built in, or added by the backend's modules).
 */
export function fleetCsv(
  sites: SiteSummary[],
  profileIds: readonly string[],
): string {
  const header = [
    'entityRef',
    'name',
    'title',
    'keystoneUrl',
    'region',
    'profiles',
    ...profileIds.flatMap(id => [
      `${id} score`,
      `${id} ready`,
      `${id} readiness`,
      `${id} blocking`,
      `${id} not evaluated`,
    ]),
    'lastScanAt',
    'lastScanStatus',
    'changes',
    'problems',
  ];
  const rows = sites.map(site => {
    const scan = site.latestScan;
    return [
      site.entityRef,
      site.name,
      site.title ?? '',
      site.keystoneUrl ?? '',
      site.region ?? '',
      site.profiles.join(' '),
      ...profileIds.flatMap(id => {
        const profile = scan?.profiles.find(p => p.profileId === id);
        return profile
          ? [
              profile.score === null ? '' : String(Math.round(profile.score)),
              profile.ready ? 'yes' : 'no',
              profile.readiness,
              profile.blocking.join(' '),
              profile.notEvaluated.map(check => check.checkId).join(' '),
            ]
          : ['', '', '', '', ''];
      }),
      scan ? scanTime(scan) : '',
      scan?.status ?? '',
      scan ? describeChanges(scan.changes, Infinity) : '',
      [...site.problems, ...(scan?.error ? [scan.error] : [])].join('; '),
    ];
  });
  return toCsv([header, ...rows]);
}

export function fleetJson(sites: SiteSummary[]): string {
  return JSON.stringify({ items: sites }, null, 2);
}

/** Hands a file to the browser's download. */
export function downloadFile(filename: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
