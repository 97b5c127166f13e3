import { CheckChange, ScanSummary } from '@fedstack/plugin-openstack-common';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 hours ago", "yesterday". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) {
    return iso;
  }
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relativeFormat.format(Math.round(seconds / size), unit);
    }
  }
  return iso;
}

/** When the scan ended, or began while it runs. */
export function scanTime(scan: ScanSummary): string {
  return scan.finishedAt ?? scan.startedAt;
}

/** "2 changed: keystone.tls pass→fail, vo.ops new→pass"; empty when nothing changed. */
export function describeChanges(changes: CheckChange[], shown = 3): string {
  if (changes.length === 0) {
    return '';
  }
  const listed = changes
    .slice(0, shown)
    .map(change => `${change.checkId} ${change.from ?? 'new'}→${change.to}`);
  const more =
    changes.length > shown ? `, +${changes.length - shown} more` : '';
  return `${changes.length} changed: ${listed.join(', ')}${more}`;
}
