import { BUILT_IN_PROFILE_IDS } from '@fedstack/plugin-openstack-common';
import { exampleFleet, exampleIncompleteSiteDetail } from '../../testScans';
import { fleetCsv, fleetJson } from './fleetExport';

describe('fleet export', () => {
  it('writes one CSV row per site with a score and readiness column per profile', () => {
    const lines = fleetCsv(exampleFleet.items, BUILT_IN_PROFILE_IDS)
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'entityRef,name,title,keystoneUrl,region,profiles,egi-fedcloud score,egi-fedcloud ready,egi-fedcloud readiness,egi-fedcloud blocking,egi-fedcloud not evaluated,tenant-platform score,tenant-platform ready,tenant-platform readiness,tenant-platform blocking,tenant-platform not evaluated,lastScanAt,lastScanStatus,changes,problems',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      'resource:default/site-a,site-a,,http://127.0.0.1:5000/v3,RegionOne,egi-fedcloud tenant-platform,75,no,not-ready,keystone.tls,,90,yes,ready,,,2026-11-23T10:00:05.000Z,completed,1 changed: keystone.tls pass→fail,',
    );
    expect(lines[3]).toContain(
      ',annotation openstack.fedstack.io/keystone-url is missing',
    );
  });

  it('says which checks were not evaluated, and that the site is not ready on them', () => {
    const [, row] = fleetCsv(
      [exampleIncompleteSiteDetail().site],
      BUILT_IN_PROFILE_IDS,
    )
      .trimEnd()
      .split('\r\n');
    expect(row).toContain(
      ',egi-fedcloud,100,no,not-evaluated,,accounting.fresh registration.info,,,,,,',
    );
  });

  it('quotes fields and defuses spreadsheet formulas', () => {
    const [site] = exampleFleet.items;
    const csv = fleetCsv(
      [{ ...site, title: 'Site "A", Berlin', name: '=HYPERLINK("x")' }],
      BUILT_IN_PROFILE_IDS,
    );
    expect(csv).toContain(`"'=HYPERLINK(""x"")","Site ""A"", Berlin"`);
  });

  it("has a group of columns for each profile shown, a module's too", () => {
    const [site] = exampleFleet.items;
    const [header, row] = fleetCsv(
      [{ ...site, profiles: [...site.profiles, 'ngi-example'] }],
      ['egi-fedcloud', 'ngi-example'],
    )
      .trimEnd()
      .split('\r\n');
    expect(header).toContain(
      ',egi-fedcloud not evaluated,ngi-example score,ngi-example ready,',
    );
    expect(header).not.toContain('tenant-platform');
    // Scanned before the profile was added: its cells are empty, not another profile's.
    expect(row).toContain(',keystone.tls,,,,,,,2026-11-23');
  });

  it('writes JSON as the /sites answer', () => {
    expect(JSON.parse(fleetJson(exampleFleet.items))).toEqual(exampleFleet);
  });
});
