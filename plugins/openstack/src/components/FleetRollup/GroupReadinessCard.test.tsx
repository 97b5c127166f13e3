import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { RollupResponse } from '@fedstack/plugin-openstack-common';
import { OpenStackApi, openstackApiRef } from '../../api';
import { GroupReadinessCard } from './GroupReadinessCard';
import { rollupCsv } from './FleetRollup';

// Shaped as GET /rollups answers (rollups.test.ts drives the real route).
const rollup: RollupResponse = {
  by: 'owner',
  since: '2026-11-30T12:00:00.000Z',
  groups: [
    {
      key: 'group:default/ngi-es',
      sites: 2,
      profiles: {
        'egi-fedcloud': {
          now: { ready: 1, notReady: 1, notEvaluated: 0, notScanned: 0 },
          before: { ready: 2, notReady: 0, notEvaluated: 0, notScanned: 0 },
        },
      },
    },
  ],
};

const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

async function render(name: string) {
  const api = { getRollups: jest.fn().mockResolvedValue(rollup) };
  await renderInTestApp(
    <TestApiProvider apis={[[openstackApiRef, api as unknown as OpenStackApi]]}>
      <EntityProvider entity={group(name)}>
        <GroupReadinessCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('GroupReadinessCard', () => {
  it("shows the readiness of the group's sites with the week's change, and links to them", async () => {
    const api = await render('ngi-es');
    expect(api.getRollups).toHaveBeenCalledWith('owner', 7);
    expect(
      await screen.findByText(
        /1 \(−1\) ready, 1 \(\+1\) not ready, 0 incomplete/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/2 sites/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'See them on the fleet page' }),
    ).toHaveAttribute(
      'href',
      '/openstack?by=owner&group=group%3Adefault%2Fngi-es',
    );
  });

  it('says so when the group owns no site', async () => {
    await render('team-a');
    expect(
      await screen.findByText('This group owns no OpenStack site.'),
    ).toBeInTheDocument();
  });

  it('exports the groups as CSV, counts now and then', () => {
    expect(rollupCsv(rollup).split('\r\n')).toEqual([
      'owner,sites,profile,ready,not ready,not evaluated,not scanned,ready on 2026-11-30,not ready on 2026-11-30,not evaluated on 2026-11-30,not scanned on 2026-11-30',
      'group:default/ngi-es,2,egi-fedcloud,1,1,0,0,2,0,0,0',
      '',
    ]);
  });
});
