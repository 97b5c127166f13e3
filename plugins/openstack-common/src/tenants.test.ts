import { landingZoneSchema, quotasAboveAutoApproval } from './tenants';

const zone = landingZoneSchema.parse({
  id: 'standard',
  title: 'Standard',
  quotas: { compute: { cores: 8, instances: 4 }, network: { port: 10 } },
  autoApproveUpTo: { compute: { cores: 16 } },
});

describe('quotasAboveAutoApproval', () => {
  it('names each quota above its auto-approval bound, or the zone quota where none is set', () => {
    expect(
      quotasAboveAutoApproval(zone, {
        compute: { cores: 32, instances: 4, ram: 1024 },
        network: { port: 20 },
      }),
    ).toEqual([
      { service: 'compute', key: 'cores', value: 32, bound: 16 },
      // Neither the zone's quotas nor autoApproveUpTo name RAM: nothing says how much is fine.
      { service: 'compute', key: 'ram', value: 1024 },
      { service: 'network', key: 'port', value: 20, bound: 10 },
    ]);
  });

  it('lets what is within bounds pass, and never unlimited past a bound', () => {
    expect(
      quotasAboveAutoApproval(zone, { compute: { cores: 16, instances: 2 } }),
    ).toEqual([]);
    expect(quotasAboveAutoApproval(zone, { compute: { cores: -1 } })).toEqual([
      { service: 'compute', key: 'cores', value: -1, bound: 16 },
    ]);
  });

  it('reads only own properties: a key named like an Object method has no bound', () => {
    expect(
      quotasAboveAutoApproval(zone, { compute: { constructor: 1 } }),
    ).toEqual([{ service: 'compute', key: 'constructor', value: 1 }]);
  });
});
