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

/** "3 hours ago", "yesterday", "less than a minute ago" (never a bare "now"). */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) {
    return iso;
  }
  // "Last scan now" reads as an instruction: under a minute is said in words.
  if (Math.abs(seconds) < 60) {
    return seconds <= 0 ? 'less than a minute ago' : 'in less than a minute';
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

/** "247 ms", "4.2 s", "2 min 5 s": a scan's duration as measured, never "0 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  if (ms < 60_000) {
    const seconds = ms / 1000;
    return `${
      seconds < 10 ? Number(seconds.toFixed(1)) : Math.round(seconds)
    } s`;
  }
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
