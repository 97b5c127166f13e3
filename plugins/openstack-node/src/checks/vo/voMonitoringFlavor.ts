import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';

/** The monitoring VM needs a flavor with a large enough root disk. */
export const voMonitoringFlavor: Check<ScanContext> = {
  metadata: {
    id: 'vo.monitoring-flavor',
    title: 'A flavor for the monitoring VM',
    area: 'vo',
    severity: 'major',
    reads: "Nova's flavors visible to the reader (`GET /flavors/detail`).",
    rule: 'Passes when an enabled flavor has a root disk of at least `monitoringFlavorMinDiskGb` (default 8 GB); fails when none has; errors when the flavors cannot be read.',
    remediation:
      'Offer a public flavor with at least 8 GB of root disk (e.g. `openstack flavor create --vcpus 1 --ram 2048 --disk 10 m1.monitoring`).',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
    requires: ['keystone.reachable'],
  },
  async run({ sessions, settings }) {
    const flavors = await sessions.reader.compute.flavors();
    if (!flavors.ok) return couldNotRead('the flavors', flavors.error);
    const minimum = settings.monitoringFlavorMinDiskGb;
    const big = flavors.data.filter(
      f => f.disk >= minimum && !f['OS-FLV-DISABLED:disabled'],
    );
    const details = {
      flavors: flavors.data.map(f => ({ name: f.name, disk: f.disk })),
    };
    if (big.length === 0) {
      return fail(
        `No flavor has a root disk of ${minimum} GB or more (largest: ${Math.max(
          0,
          ...flavors.data.map(f => f.disk),
        )} GB)`,
        details,
      );
    }
    const smallest = big.reduce((a, b) => (b.disk < a.disk ? b : a));
    return pass(
      `${big.length} flavor(s) have ${minimum} GB of disk or more, e.g. ${smallest.name} (${smallest.disk} GB)`,
      details,
    );
  },
};
