import type { UsageTotals } from '@fedstack/plugin-openstack-terms';

/**
 * Usage over time from a series of samples: each sample's totals are taken to hold until the next
 * sample, but never longer than `maxGapHours` (metering that stopped for a day says nothing of
 * that day). Hours are clipped to [from, to].
 */

export interface TimedTotals {
  takenAt: string | Date;
  totals: UsageTotals;
}

export interface UsageOverTime {
  from: string;
  to: string;
  /** Samples that count in the period (the one just before `from` included). */
  samples: number;
  /** Hours of the period some sample accounts for. */
  coveredHours: number;
  serverHours: number;
  vcpuHours: number;
  ramGbHours: number;
  diskGbHours: number;
  volumeGbHours: number;
  snapshotGbHours: number;
  floatingIpHours: number;
  routerHours: number;
  loadBalancerHours: number;
  imageGbHours: number;
}

export interface UsageOptions {
  from: Date;
  to: Date;
  /** How long a sample may stand for when no newer one follows (default 2 hours). */
  maxGapHours?: number;
}

const HOUR_MS = 60 * 60 * 1000;
const GIB = 1024 ** 3;

export function usageOverTime(
  series: TimedTotals[],
  options: UsageOptions,
): UsageOverTime {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const maxGap = (options.maxGapHours ?? 2) * HOUR_MS;
  const sorted = series
    .map(s => ({ at: new Date(s.takenAt).getTime(), totals: s.totals }))
    .filter(s => Number.isFinite(s.at) && s.at < to)
    .sort((a, b) => a.at - b.at);
  const usage: UsageOverTime = {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    samples: 0,
    coveredHours: 0,
    serverHours: 0,
    vcpuHours: 0,
    ramGbHours: 0,
    diskGbHours: 0,
    volumeGbHours: 0,
    snapshotGbHours: 0,
    floatingIpHours: 0,
    routerHours: 0,
    loadBalancerHours: 0,
    imageGbHours: 0,
  };
  sorted.forEach((sample, i) => {
    const next = sorted[i + 1]?.at ?? Infinity;
    const start = Math.max(sample.at, from);
    const end = Math.min(next, sample.at + maxGap, to);
    if (end <= start) return;
    const hours = (end - start) / HOUR_MS;
    const t = sample.totals;
    usage.samples += 1;
    usage.coveredHours += hours;
    usage.serverHours += t.servers * hours;
    usage.vcpuHours += t.vcpus * hours;
    usage.ramGbHours += (t.ramMb / 1024) * hours;
    usage.diskGbHours += t.diskGb * hours;
    usage.volumeGbHours += t.volumeGb * hours;
    usage.snapshotGbHours += t.snapshotGb * hours;
    usage.floatingIpHours += t.floatingIps * hours;
    usage.routerHours += t.routers * hours;
    usage.loadBalancerHours += t.loadBalancers * hours;
    usage.imageGbHours += (t.imageBytes / GIB) * hours;
  });
  // Rounded for display: sums of float hours carry noise in the last digits.
  for (const key of Object.keys(usage) as Array<keyof UsageOverTime>) {
    const value = usage[key];
    if (typeof value === 'number' && key !== 'samples') {
      (usage as unknown as Record<string, number>)[key] =
        Math.round(value * 1e6) / 1e6;
    }
  }
  return usage;
}
