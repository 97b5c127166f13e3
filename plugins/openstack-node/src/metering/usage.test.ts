import type { UsageTotals } from '@fedstack/plugin-openstack-terms';
import { usageOverTime } from './usage';

const none: UsageTotals = {
  servers: 0,
  vcpus: 0,
  ramMb: 0,
  diskGb: 0,
  volumes: 0,
  volumeGb: 0,
  snapshots: 0,
  snapshotGb: 0,
  floatingIps: 0,
  routers: 0,
  loadBalancers: 0,
  images: 0,
  imageBytes: 0,
};
const oneVm: UsageTotals = {
  ...none,
  servers: 1,
  vcpus: 2,
  ramMb: 4096,
  diskGb: 20,
  volumes: 1,
  volumeGb: 10,
  routers: 1,
};

describe('usageOverTime', () => {
  it('holds each sample until the next one', () => {
    const usage = usageOverTime(
      [
        { takenAt: '2026-11-23T10:00:00Z', totals: oneVm },
        { takenAt: '2026-11-23T11:00:00Z', totals: oneVm },
        { takenAt: '2026-11-23T12:00:00Z', totals: none },
      ],
      {
        from: new Date('2026-11-23T10:00:00Z'),
        to: new Date('2026-11-23T13:00:00Z'),
      },
    );
    expect(usage).toMatchObject({
      samples: 3,
      coveredHours: 3,
      serverHours: 2,
      vcpuHours: 4,
      ramGbHours: 8,
      diskGbHours: 40,
      volumeGbHours: 20,
      routerHours: 2,
    });
  });

  it('clips to the period, counting the sample taken before it', () => {
    const usage = usageOverTime(
      [
        { takenAt: '2026-11-23T09:30:00Z', totals: oneVm },
        { takenAt: '2026-11-23T10:30:00Z', totals: oneVm },
      ],
      {
        from: new Date('2026-11-23T10:00:00Z'),
        to: new Date('2026-11-23T11:00:00Z'),
      },
    );
    expect(usage.samples).toBe(2);
    expect(usage.coveredHours).toBe(1);
    expect(usage.vcpuHours).toBe(2);
  });

  it('does not stretch a sample over a gap in metering', () => {
    const usage = usageOverTime(
      [
        { takenAt: '2026-11-23T00:00:00Z', totals: oneVm },
        { takenAt: '2026-11-23T10:00:00Z', totals: oneVm },
      ],
      {
        from: new Date('2026-11-23T00:00:00Z'),
        to: new Date('2026-11-23T11:00:00Z'),
        maxGapHours: 2,
      },
    );
    // 2 hours after the first sample, 1 hour after the second.
    expect(usage.coveredHours).toBe(3);
    expect(usage.vcpuHours).toBe(6);
  });

  it('is zero without samples', () => {
    const usage = usageOverTime([], {
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-24T00:00:00Z'),
    });
    expect(usage.samples).toBe(0);
    expect(usage.vcpuHours).toBe(0);
  });
});
