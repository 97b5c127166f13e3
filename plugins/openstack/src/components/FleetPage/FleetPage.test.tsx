import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef } from '../../api';
import { tenantMethodMocks } from '../../api/tenantMethodMocks';
import { matchMediaStub } from '../../testMatchMedia';
import { exampleFleet, exampleIncompleteSiteDetail } from '../../testScans';
import { useLocation } from 'react-router-dom';
import { FleetPage } from './FleetPage';
import { prefetched } from './prefetch';

function mockApi(listSites: OpenStackApi['listSites']): OpenStackApi {
  return {
    getHealth: jest.fn(),
    listSites,
    getSite: jest.fn(),
    triggerScan: jest.fn(),
    getScan: jest.fn(),
    watchScan: jest.fn(),
    ...tenantMethodMocks(),
    listWaivers: jest.fn().mockResolvedValue({
      items: [],
      policy: { maxDays: 90, countsAs: 'excluded' },
    }),
    getRollups: jest.fn().mockResolvedValue({
      by: 'owner',
      since: '2026-11-30T00:00:00.000Z',
      groups: [],
    }),
  };
}

/** The page's query string, as the browser's address bar would show it. */
const LocationProbe = () => (
  <output aria-label="location">{useLocation().search}</output>
);

async function renderFleet(
  api: OpenStackApi,
  page: JSX.Element = <FleetPage />,
  url = '/',
) {
  return await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      {page}
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const shownQuery = () =>
  new URLSearchParams(screen.getByLabelText('location').textContent ?? '');

/** The site links of the table's body, top to bottom. */
function shownSites(): string[] {
  return within(screen.getAllByRole('rowgroup')[1])
    .queryAllByRole('link')
    .map(link => link.textContent ?? '');
}

function siteRow(name: string): HTMLElement {
  const row = screen.getByRole('link', { name }).closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('FleetPage', () => {
  it('lists every site with its scores, readiness, changes and problems from one call', async () => {
    const listSites = jest.fn().mockResolvedValue(exampleFleet);
    await renderFleet(mockApi(listSites));

    expect(
      screen.getByRole('heading', { name: 'OpenStack fleet' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('http://127.0.0.1:5000/v3', undefined, {
        timeout: 10_000,
      }),
    ).toBeVisible();
    expect(listSites).toHaveBeenCalledTimes(1);
    expect(screen.getByText('4 of 4 sites')).toBeInTheDocument();

    const a = siteRow('site-a');
    expect(within(a).getByText('75%')).toBeInTheDocument();
    expect(within(a).getByText('NOT READY')).toBeInTheDocument();
    expect(within(a).getByText('90%')).toBeInTheDocument();
    expect(within(a).getByText('READY')).toBeInTheDocument();
    expect(
      within(a).getByText('1 changed: keystone.tls pass→fail'),
    ).toBeInTheDocument();
    expect(within(a).getByText('RegionOne')).toBeInTheDocument();

    expect(within(siteRow('Site B')).getByText('96%')).toBeInTheDocument();
    expect(
      within(siteRow('site-broken')).getByText(
        'annotation openstack.fedstack.io/keystone-url is missing',
      ),
    ).toBeInTheDocument();
    expect(
      within(siteRow('site-new')).getByText('Not scanned'),
    ).toBeInTheDocument();
    expect(within(siteRow('site-new')).getByText('never')).toBeInTheDocument();
  });

  it('filters by readiness and by profile', async () => {
    await renderFleet(mockApi(jest.fn().mockResolvedValue(exampleFleet)));
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    await userEvent.selectOptions(
      screen.getByLabelText('Readiness'),
      'Not ready',
    );
    expect(screen.getByText('1 of 4 sites')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'site-a' })).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Site B' }),
    ).not.toBeInTheDocument();

    // For tenant-platform alone site-a is ready; site-b does not declare it.
    await userEvent.selectOptions(
      screen.getByLabelText('Profile'),
      'tenant-platform',
    );
    expect(screen.getByText('0 of 4 sites')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Readiness'), 'Ready');
    expect(screen.getByText('1 of 4 sites')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'site-a' })).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByLabelText('Profile'),
      'All profiles',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Readiness'),
      'Misconfigured',
    );
    expect(
      screen.getByRole('link', { name: 'site-broken' }),
    ).toBeInTheDocument();
    expect(screen.getByText('1 of 4 sites')).toBeInTheDocument();
  });

  it('shows a profile a backend module added: its column, its choice, its scores', async () => {
    // site-a declares the module's profile too, and its latest scan scored it.
    const [siteA, ...others] = exampleFleet.items;
    const egi = siteA.latestScan!.profiles[0];
    const withNgi = {
      ...siteA,
      profiles: [...siteA.profiles, 'ngi-example'],
      latestScan: {
        ...siteA.latestScan!,
        profiles: [
          ...siteA.latestScan!.profiles,
          { ...egi, profileId: 'ngi-example', score: 64.3 },
        ],
      },
    };
    const api = mockApi(
      jest.fn().mockResolvedValue({ items: [withNgi, ...others] }),
    );
    // What GET /profiles answers with the example NGI module installed (ids, titles, order).
    api.listProfiles = jest.fn().mockResolvedValue({
      items: [
        ['egi-fedcloud', 'EGI Federated Cloud'],
        ['tenant-platform', 'Tenant platform'],
        ['ngi-example', 'Example NGI'],
      ].map(([id, title]) => ({
        id,
        title,
        description: '',
        checks: [],
        weights: {},
        readiness: {
          blocking: ['critical'],
          mustBeEvaluated: ['critical', 'major'],
        },
      })),
    });
    await renderFleet(api);
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    expect(
      screen.getByRole('columnheader', { name: /ngi-example/ }),
    ).toBeInTheDocument();
    expect(screen.getByText('64%')).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByLabelText('Profile'),
      'Example NGI (ngi-example)',
    );
    expect(screen.getByText('1 of 4 sites')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'site-a' })).toBeInTheDocument();
  });

  it('groups the sites by owner or NGI with trends, and filters the table to a group', async () => {
    const [siteA, siteB, ...others] = exampleFleet.items;
    const api = mockApi(
      jest.fn().mockResolvedValue({
        items: [
          { ...siteA, owner: 'group:default/ngi-es', ngi: 'NGI_IBERGRID' },
          { ...siteB, owner: 'group:default/ngi-ie' },
          ...others,
        ],
      }),
    );
    const counts = (ready: number, notReady: number) => ({
      ready,
      notReady,
      notEvaluated: 0,
      notScanned: 0,
    });
    api.getRollups = jest.fn(async (by: 'owner' | 'ngi') => ({
      by,
      since: '2026-11-30T00:00:00.000Z',
      groups:
        by === 'owner'
          ? [
              {
                key: 'group:default/ngi-es',
                sites: 1,
                profiles: {
                  'egi-fedcloud': { now: counts(0, 1), before: counts(1, 0) },
                },
              },
              {
                key: 'group:default/ngi-ie',
                sites: 1,
                profiles: {
                  'egi-fedcloud': { now: counts(1, 0), before: counts(1, 0) },
                },
              },
            ]
          : [
              {
                key: 'NGI_IBERGRID',
                sites: 1,
                profiles: {
                  'egi-fedcloud': { now: counts(0, 1), before: counts(0, 1) },
                },
              },
            ],
    }));
    await renderFleet(api);
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });
    // No grouping until asked for.
    expect(api.getRollups).not.toHaveBeenCalled();
    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'Owner');
    // Lost one ready site this week: "0 (−1) ready", "1 (+1) not ready".
    expect(await screen.findByText('0 (−1) ready')).toBeInTheDocument();
    expect(screen.getByText('1 (+1) not ready')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'ngi-es' }));
    expect(screen.getByText('1 of 4 sites')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'site-a' })).toBeInTheDocument();
    expect(shownQuery().get('group')).toBe('group:default/ngi-es');

    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'NGI');
    expect(
      await screen.findByRole('button', { name: 'NGI_IBERGRID' }),
    ).toBeInTheDocument();
    expect(api.getRollups).toHaveBeenLastCalledWith('ngi', 7);
    expect(screen.getByText('4 of 4 sites')).toBeInTheDocument();
    expect(shownQuery().get('by')).toBe('ngi');
  });

  it('says a site is incomplete, not ready, when a major check was not evaluated, and filters on it', async () => {
    const fleet = {
      items: [...exampleFleet.items, exampleIncompleteSiteDetail().site],
    };
    await renderFleet(mockApi(jest.fn().mockResolvedValue(fleet)));
    await screen.findByText('5 of 5 sites', undefined, { timeout: 10_000 });

    const c = siteRow('site-c');
    expect(within(c).getByText('100%')).toBeInTheDocument();
    expect(within(c).getByText('INCOMPLETE')).toBeInTheDocument();
    expect(within(c).queryByText('READY')).not.toBeInTheDocument();
    const left = within(c).getByText(
      '2 checks not evaluated (1 critical/major)',
    );
    expect(left).toHaveAttribute(
      'title',
      expect.stringContaining(
        'accounting.fresh (major): No accounting source is configured for this scan',
      ),
    );
    expect(
      screen.getByText(
        '1 ready, 1 not ready, 1 incomplete (not evaluated), 1 not scanned, 1 misconfigured',
      ),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByLabelText('Readiness'),
      'Incomplete (not evaluated)',
    );
    expect(shownSites()).toEqual(['site-c']);
    await userEvent.selectOptions(screen.getByLabelText('Readiness'), 'Ready');
    expect(shownSites()).toEqual(['Site B']);
  });

  it('searches every text column as typed, and clears the search', async () => {
    await renderFleet(mockApi(jest.fn().mockResolvedValue(exampleFleet)));
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'regiontwo');
    expect(shownSites()).toEqual(['Site B']);
    await userEvent.clear(screen.getByPlaceholderText('Filter'));
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'keystone-url');
    expect(shownSites()).toEqual(['site-broken']);
    await userEvent.type(screen.getByPlaceholderText('Filter'), ' nowhere');
    expect(shownSites()).toEqual([]);
    expect(screen.getByText('No records to display')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(screen.getByPlaceholderText('Filter')).toHaveValue('');
    expect(shownSites()).toHaveLength(4);
  });

  it("names what blocks a site inline, finds sites by check id, and links to the site's scorecard", async () => {
    await renderFleet(mockApi(jest.fn().mockResolvedValue(exampleFleet)));
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    // site-a is not ready for egi-fedcloud: keystone.tls, critical, failed.
    expect(
      within(siteRow('site-a')).getByTitle('Blocking checks'),
    ).toHaveTextContent('keystone.tls');
    expect(screen.getByRole('link', { name: 'site-a' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/site-a/openstack',
    );

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'keystone.tls');
    expect(shownSites()).toEqual(['site-a']);
  });

  describe('a not-ready site blocked by three checks', () => {
    const fleet = () => {
      const [a, ...others] = exampleFleet.items;
      const scan = a.latestScan!;
      const blocked = {
        ...a,
        latestScan: {
          ...scan,
          profiles: scan.profiles.map(profile =>
            profile.profileId === 'egi-fedcloud'
              ? {
                  ...profile,
                  blocking: [
                    'keystone.tls',
                    'federation.idp',
                    'accounts.replicator',
                  ],
                }
              : profile,
          ),
        },
      };
      return { items: [blocked, ...others] };
    };
    const matchMedia = window.matchMedia;
    /** The screen as wide as a phone's (MUI's xs: under 600 px) or a desktop's. */
    const screenWidth = (width: number) => {
      window.matchMedia = matchMediaStub(
        query =>
          /max-width:\s*([\d.]+)px/.test(query) &&
          width <= Number(/max-width:\s*([\d.]+)px/.exec(query)![1]),
      );
    };
    afterEach(() => {
      window.matchMedia = matchMedia;
    });

    it('lists them inline on a wide screen', async () => {
      screenWidth(1440);
      await renderFleet(mockApi(jest.fn().mockResolvedValue(fleet())));
      await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });
      expect(
        within(siteRow('site-a')).getByTitle('Blocking checks'),
      ).toHaveTextContent(
        /^keystone\.tls, federation\.idp, accounts\.replicator$/,
      );
      expect(screen.queryByText('+2 more')).toBeNull();
    });

    it('shows the first and "+2 more" on a phone, the others when opened', async () => {
      screenWidth(390);
      await renderFleet(mockApi(jest.fn().mockResolvedValue(fleet())));
      await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });
      const row = siteRow('site-a');
      const more = within(row).getByText('+2 more');
      const disclosure = more.closest('details')!;
      expect(disclosure).not.toHaveAttribute('open');
      expect(within(row).getByTitle('Blocking checks')).toHaveTextContent(
        /^keystone\.tls\+2 more/,
      );
      // Said in full to a screen reader, the visible words first.
      expect(more).toHaveAttribute('aria-label', '+2 more blocking checks');

      await userEvent.click(more);

      expect(disclosure).toHaveAttribute('open');
      expect(disclosure).toHaveTextContent(
        'federation.idp, accounts.replicator',
      );
      // Still found by any of its checks.
      await userEvent.type(
        screen.getByPlaceholderText('Filter'),
        'accounts.replicator',
      );
      expect(shownSites()).toEqual(['site-a']);
    });
  });

  it('keeps the profile, readiness, search and sort in the URL, and starts from it', async () => {
    await renderFleet(
      mockApi(jest.fn().mockResolvedValue(exampleFleet)),
      <FleetPage />,
      '/?profile=egi-fedcloud&q=site-&sort=Site:desc',
    );
    await screen.findByText(/of 4 sites/, undefined, { timeout: 10_000 });
    expect(screen.getByLabelText('Profile')).toHaveValue('egi-fedcloud');
    expect(screen.getByPlaceholderText('Filter')).toHaveValue('site-');
    const names = shownSites();
    expect(names).toEqual([...names].sort().reverse());

    await userEvent.selectOptions(
      screen.getByLabelText('Readiness'),
      'Not ready',
    );
    expect(shownQuery().get('readiness')).toBe('not-ready');
    expect(shownQuery().get('profile')).toBe('egi-fedcloud');
    await userEvent.click(screen.getByRole('button', { name: 'Region' }));
    expect(shownQuery().get('sort')).toBe('Region:asc');
    await userEvent.clear(screen.getByPlaceholderText('Filter'));
    expect(shownQuery().has('q')).toBe(false);
  });

  it('sorts by a column when its header is clicked, then the other way', async () => {
    await renderFleet(mockApi(jest.fn().mockResolvedValue(exampleFleet)));
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    // site-broken has no region; site-a and site-new are in RegionOne.
    await userEvent.click(screen.getByRole('button', { name: 'Region' }));
    expect(shownSites()[0]).toBe('site-broken');
    expect(shownSites()[3]).toBe('Site B');
    await userEvent.click(screen.getByRole('button', { name: 'Region' }));
    expect(shownSites()[0]).toBe('Site B');
    expect(shownSites()[3]).toBe('site-broken');
    expect(
      screen.getByRole('columnheader', { name: 'Region' }),
    ).toHaveAttribute('aria-sort', 'descending');

    // By score: no score (never scanned, or not declared) below the lowest.
    await userEvent.click(screen.getByRole('button', { name: 'egi-fedcloud' }));
    expect(shownSites().slice(2)).toEqual(['site-a', 'Site B']);
  });

  it('downloads every check result as JUnit from the backend', async () => {
    const createObjectURL = jest.fn().mockReturnValue('blob:results');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const junit =
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="openstack"></testsuites>\n';
    const api = mockApi(jest.fn().mockResolvedValue(exampleFleet));
    api.exportResults = jest.fn().mockResolvedValue({
      filename: 'openstack-fleet-2026-11-23.xml',
      type: 'application/xml',
      content: junit,
    });
    await renderFleet(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export check results' }),
    );
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'JUnit XML (one suite per site)' }),
    );
    expect(api.exportResults).toHaveBeenCalledWith('junit');
    const blob: Blob = createObjectURL.mock.calls[0][0];
    expect(await blob.text()).toBe(junit);
  });

  it('says why the check results could not be exported', async () => {
    const api = mockApi(jest.fn().mockResolvedValue(exampleFleet));
    api.exportResults = jest
      .fn()
      .mockRejectedValue(new Error('You may not read the export'));
    await renderFleet(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export check results' }),
    );
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'CSV (one row per check)' }),
    );
    expect(
      await screen.findByText('Error: The check results could not be exported'),
    ).toBeInTheDocument();
  });

  it('exports the sites shown as CSV', async () => {
    const createObjectURL = jest.fn().mockReturnValue('blob:fleet');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderFleet(mockApi(jest.fn().mockResolvedValue(exampleFleet)));
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    const blob: Blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('text/csv');
  });

  it('shows an error from the backend', async () => {
    await renderFleet(
      mockApi(jest.fn().mockRejectedValue(new Error('backend is down'))),
    );
    expect(
      (await screen.findAllByText(/backend is down/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

describe('FleetPage with a large fleet', () => {
  it('shows 1000 sites from one call, a page at a time', async () => {
    const [site] = exampleFleet.items;
    const items = Array.from({ length: 1000 }, (_, i) => ({
      ...site,
      entityRef: `resource:default/site-${String(i).padStart(4, '0')}`,
      name: `site-${String(i).padStart(4, '0')}`,
    }));
    const listSites = jest.fn().mockResolvedValue({ items });
    await renderFleet(mockApi(listSites));

    expect(
      await screen.findByText('1000 of 1000 sites', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(listSites).toHaveBeenCalledTimes(1);
    expect(screen.getAllByRole('link', { name: /^site-\d{4}$/ })).toHaveLength(
      50,
    );
    expect(screen.getByText('1-50 of 1000')).toBeInTheDocument();

    // Sorted by name, a page at a time; the search starts again on the first page.
    await userEvent.click(screen.getByRole('button', { name: 'Site' }));
    expect(shownSites()[0]).toBe('site-0000');
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(screen.getByText('51-100 of 1000')).toBeInTheDocument();
    expect(shownSites()[0]).toBe('site-0050');
    await userEvent.click(screen.getByRole('button', { name: 'Last Page' }));
    expect(shownSites()).toHaveLength(50);
    expect(shownSites()[49]).toBe('site-0999');
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'site-099');
    expect(shownSites()).toEqual(
      Array.from({ length: 10 }, (_, i) => `site-099${i}`),
    );
    // Jest's 5 s default is shorter than the 10 s this test itself waits for the first page:
    // in jsdom, 1000 sites and a typed search take seconds on a busy CI machine.
  }, 30_000);
});

describe('FleetPage with the sites its loader fetched', () => {
  it('shows the fetched sites the first time, and asks again when opened again', async () => {
    const listSites = jest.fn().mockResolvedValue(exampleFleet);
    const api = mockApi(listSites);
    const sites = prefetched(async () => exampleFleet);

    const first = await renderFleet(api, <FleetPage prefetchedSites={sites} />);
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });
    expect(listSites).not.toHaveBeenCalled();
    first.unmount();

    await renderFleet(api, <FleetPage prefetchedSites={sites} />);
    await screen.findByText('4 of 4 sites', undefined, { timeout: 10_000 });
    expect(listSites).toHaveBeenCalledTimes(1);
  });

  it('shows the error of a failed fetch', async () => {
    const sites = prefetched(() =>
      Promise.reject(new Error('backend is down')),
    );
    await renderFleet(
      mockApi(jest.fn().mockResolvedValue(exampleFleet)),
      <FleetPage prefetchedSites={sites} />,
    );
    expect(
      (await screen.findAllByText(/backend is down/))[0],
    ).toBeInTheDocument();
  });
});
