import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import {
  CheckResultResponse,
  ScanEvent,
} from '@fedstack/plugin-openstack-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef } from '../../api';
import { tenantMethodMocks } from '../../api/tenantMethodMocks';
import {
  exampleIncompleteSiteDetail,
  exampleReplicatorCheckResponse,
  exampleScan,
  exampleSiteDetail,
  exampleSiteSummary,
  exampleTlsCheckResponse,
} from '../../testScans';
import { exampleSiteEntities } from '../../testSites';
import { NOT_A_SCANNER, SiteScorecard } from './SiteScorecard';

function mockApi(overrides: Partial<OpenStackApi> = {}) {
  return {
    getHealth: jest.fn(),
    listSites: jest.fn(),
    getSite: jest.fn().mockResolvedValue(exampleSiteDetail()),
    triggerScan: jest.fn(),
    getScan: jest.fn(),
    watchScan: jest.fn(),
    ...tenantMethodMocks(),
    getCheckResult: jest
      .fn()
      .mockResolvedValue(exampleTlsCheckResponse('full')),
    listSiteWaivers: jest.fn().mockResolvedValue({
      items: [],
      policy: { maxDays: 90, countsAs: 'excluded' },
    }),
    ...overrides,
  } satisfies OpenStackApi;
}

async function renderScorecard(
  api: OpenStackApi,
  entityIndex = 0,
  as: { scanner?: boolean } = {},
) {
  const { scanner = true } = as;
  const authorize = jest.fn(() =>
    scanner ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache: one per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={exampleSiteEntities[entityIndex]}>
          <SiteScorecard />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
  return authorize;
}

/** Scan now, once the permission decision has come. */
async function enabledScanNow() {
  const button = await screen.findByRole('button', { name: 'Scan now' });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

describe('SiteScorecard', () => {
  it('shows the score and readiness of each profile, naming the blocking check', async () => {
    const api = mockApi();
    await renderScorecard(api);

    const egi = await screen.findByRole('region', {
      name: 'Profile egi-fedcloud',
    });
    expect(within(egi).getByText('Score: 75%')).toBeInTheDocument();
    expect(within(egi).getByText('NOT READY')).toBeInTheDocument();
    expect(
      within(egi).getByText(
        'Blocked by keystone.tls (Keystone is served over valid TLS)',
      ),
    ).toBeInTheDocument();
    const tenant = screen.getByRole('region', {
      name: 'Profile tenant-platform',
    });
    expect(within(tenant).getByText('Score: 90%')).toBeInTheDocument();
    expect(within(tenant).getByText('READY')).toBeInTheDocument();

    // The site's annotations stay visible.
    expect(screen.getByText('OpenStack site')).toBeInTheDocument();
    // Checks are grouped by area, problems first.
    const identity = screen.getByRole('region', {
      name: 'Identity (Keystone)',
    });
    const rows = within(identity).getAllByRole('button');
    expect(rows[0]).toHaveTextContent('keystone.tls');
    expect(rows[0]).toHaveTextContent('Fail');
    expect(rows[0]).toHaveTextContent('critical');
    expect(
      screen.getByRole('region', { name: 'Federation (OpenID Connect)' }),
    ).toHaveTextContent('Warning');
    // History sparkline.
    expect(
      screen.getByRole('img', {
        name: 'egi-fedcloud score over 2 scans: from 100% to 75%',
      }),
    ).toBeInTheDocument();
    expect(api.getSite).toHaveBeenCalledWith('default', 'site-a');
  });

  it('says a profile is incomplete, not ready, when a major check was not evaluated, and why', async () => {
    await renderScorecard(
      mockApi({
        getSite: jest.fn().mockResolvedValue(exampleIncompleteSiteDetail()),
      }),
    );

    const egi = await screen.findByRole('region', {
      name: 'Profile egi-fedcloud',
    });
    expect(within(egi).getByText('Score: 100%')).toBeInTheDocument();
    expect(
      within(egi).getByText(
        'Left out of the score: 2 checks not evaluated (1 critical/major)',
      ),
    ).toBeInTheDocument();
    expect(within(egi).getByText('INCOMPLETE')).toBeInTheDocument();
    expect(within(egi).queryByText('READY')).not.toBeInTheDocument();
    expect(
      within(egi).getByText('1 critical/major check not evaluated'),
    ).toBeInTheDocument();
    const list = within(egi).getByRole('list', {
      name: 'Not evaluated for egi-fedcloud',
    });
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent(
      'Not evaluated: accounting.fresh (Accounting records are fresh), major — No accounting source is configured for this scan',
    );

    // The check itself, in its area, says so with the reason.
    const accounting = screen.getByRole('region', { name: 'Accounting' });
    expect(within(accounting).getByText('1 not evaluated')).toBeInTheDocument();
    const row = within(accounting).getByRole('button', {
      name: /Accounting records are fresh/,
    });
    expect(row).toHaveTextContent('Not evaluated');
    expect(row).toHaveTextContent(
      'No accounting source is configured for this scan (the accounting portal or a cASO spool)',
    );
  });

  it('expands a check to its remediation, then loads its full evidence', async () => {
    let answer: (response: CheckResultResponse) => void = () => {};
    const api = mockApi({
      getCheckResult: jest.fn(
        () =>
          new Promise<CheckResultResponse>(resolve => {
            answer = resolve;
          }),
      ),
    });
    await renderScorecard(api);
    const row = await screen.findByRole('button', {
      name: /Keystone is served over valid TLS/,
    });
    expect(row).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(/TLS terminating proxy/)).not.toBeInTheDocument();
    // The site read has no headers or bodies: nothing is fetched until a row opens.
    expect(api.getCheckResult).not.toHaveBeenCalled();

    await userEvent.click(row);

    expect(row).toHaveAttribute('aria-expanded', 'true');
    expect(
      await screen.findByText('Serve Keystone behind a TLS terminating proxy.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Documentation for keystone\.tls/ }),
    ).toHaveAttribute(
      'href',
      'https://docs.openstack.org/keystone/latest/admin/',
    );
    expect(screen.getByLabelText('Details as JSON')).toHaveTextContent(
      '"scheme": "http"',
    );
    expect(
      screen.getByRole('status', {
        name: 'Loading the evidence of keystone.tls',
      }),
    ).toBeInTheDocument();
    expect(api.getCheckResult).toHaveBeenCalledWith('scan-2', 'keystone.tls');

    answer(exampleTlsCheckResponse('full'));

    const request = await screen.findByLabelText(
      'Request GET http://127.0.0.1:5000/v3',
    );
    expect(request).toHaveTextContent('→ HTTP 200 in 8 ms');
    expect(request).toHaveTextContent('Accept: application/json');
    expect(request).toHaveTextContent('content-type: application/json');
    // The JSON body indented, line by line, and the whole request to copy.
    expect(request.textContent).toContain(
      '{\n  "version": {\n    "id": "v3.14"\n  }\n}',
    );
    expect(
      screen.getByRole('button', {
        name: 'Copy the request GET http://127.0.0.1:5000/v3',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/shown to the site's owners/)).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it("tells a reader who is not the site's owner why the evidence has no headers or bodies", async () => {
    await renderScorecard(
      mockApi({
        getCheckResult: jest
          .fn()
          .mockResolvedValue(exampleTlsCheckResponse('summary')),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Keystone is served over valid TLS/,
      }),
    );
    const request = await screen.findByLabelText(
      'Request GET http://127.0.0.1:5000/v3',
    );
    expect(request).toHaveTextContent('→ HTTP 200 in 8 ms');
    expect(request).not.toHaveTextContent('application/json');
    expect(request).not.toHaveTextContent('v3.14');
    expect(
      screen.getByText(
        "Request and response headers and bodies, and the details that name accounts or people, are shown to the site's owners (those who may scan it) only.",
      ),
    ).toBeInTheDocument();
  });

  it("says the details naming accounts are shown to the site's owners, and shows them to an owner", async () => {
    const site = exampleSiteDetail();
    const reader = exampleReplicatorCheckResponse('summary');
    site.results.push(reader.result);
    const api = mockApi({
      getSite: jest.fn().mockResolvedValue(site),
      getCheckResult: jest
        .fn()
        .mockResolvedValueOnce(reader)
        .mockResolvedValue(exampleReplicatorCheckResponse('full')),
    });
    await renderScorecard(api);
    const row = await screen.findByRole('button', {
      name: /Replicator account may manage projects and groups/,
    });
    await userEvent.click(row);
    // A reader: the roles, and why the account's name is not there.
    expect(
      await screen.findByText(
        "The details that name accounts or people (user) are shown to the site's owners (those who may scan it) only.",
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Details as JSON')).toHaveTextContent(
      '"role": "admin"',
    );
    expect(document.body).not.toHaveTextContent('fedstack-replicator-7f3a');
    // The check made no request: the full result is asked for the details alone.
    expect(api.getCheckResult).toHaveBeenCalledWith(
      'scan-2',
      'accounts.replicator',
    );

    // An owner (the next answer): the account's name, nothing said withheld.
    await userEvent.click(row);
    await userEvent.click(row);
    await waitFor(() =>
      expect(screen.getByLabelText('Details as JSON')).toHaveTextContent(
        '"user": "fedstack-replicator-7f3a"',
      ),
    );
    expect(screen.queryByText(/details that name accounts/)).toBeNull();
  });

  it('says when the evidence could not be loaded, and tries again', async () => {
    const api = mockApi({
      getCheckResult: jest
        .fn()
        .mockRejectedValueOnce(new Error('Bad Gateway'))
        .mockResolvedValue(exampleTlsCheckResponse('full')),
    });
    await renderScorecard(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: /Keystone is served over valid TLS/,
      }),
    );
    expect(
      await screen.findByText('Error: The evidence could not be loaded'),
    ).toBeInTheDocument();
    expect(screen.getByText('Bad Gateway')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(
      await screen.findByLabelText('Request GET http://127.0.0.1:5000/v3'),
    ).toHaveTextContent('"id": "v3.14"');
    expect(api.getCheckResult).toHaveBeenCalledTimes(2);
  });

  it('scans now, shows the checks as they finish, then reloads the site', async () => {
    let endStream: () => void = () => {};
    const api = mockApi({
      triggerScan: jest
        .fn()
        .mockResolvedValue({ scanId: 'scan-3', joined: false }),
      watchScan: jest.fn(
        async (_id: string, onEvent: (event: ScanEvent) => void) => {
          onEvent({ type: 'check-started', checkId: 'keystone.reachable' });
          onEvent({
            type: 'check-finished',
            checkId: 'keystone.reachable',
            status: 'pass',
            message: 'answered in 9 ms',
          });
          onEvent({ type: 'check-started', checkId: 'keystone.tls' });
          await new Promise<void>(resolve => {
            endStream = resolve;
          });
          onEvent({
            type: 'check-finished',
            checkId: 'keystone.tls',
            status: 'pass',
            message: 'valid until 2027',
          });
          onEvent({
            type: 'scan-finished',
            scan: exampleScan({ id: 'scan-3' }),
          });
        },
      ),
    });
    await renderScorecard(api);

    await userEvent.click(await enabledScanNow());

    expect(
      await screen.findByText('Scanning: 1/3 checks done'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('keystone.reachable: answered in 9 ms'),
    ).toBeInTheDocument();
    expect(screen.getByText('Running: keystone.tls')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Scanning…' })).toBeDisabled();
    expect(api.triggerScan).toHaveBeenCalledWith('default', 'site-a');
    expect(api.watchScan).toHaveBeenCalledWith(
      'scan-3',
      expect.any(Function),
      expect.anything(),
    );
    expect(api.getSite).toHaveBeenCalledTimes(1);

    endStream();

    await waitFor(() => expect(api.getSite).toHaveBeenCalledTimes(2));
    expect(
      await screen.findByRole('button', { name: 'Scan now' }),
    ).toBeEnabled();
    expect(
      screen.getByText(
        'Scan finished in 5 s: no check changed since the previous scan.',
      ),
    ).toBeInTheDocument();
  });

  it("enables Scan now for a user who may scan the site, asking about the site's entity", async () => {
    const authorize = await renderScorecard(mockApi());
    const button = await screen.findByRole('button', { name: 'Scan now' });
    await waitFor(() => expect(button).toBeEnabled());
    expect(screen.queryByText(NOT_A_SCANNER)).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'openstack.scan.trigger',
        }),
        resourceRef: stringifyEntityRef(exampleSiteEntities[0]),
      }),
    );
  });

  it('disables Scan now, saying why, for a user who may not scan the site', async () => {
    const api = mockApi();
    await renderScorecard(api, 0, { scanner: false });
    expect(await screen.findByText(NOT_A_SCANNER)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeDisabled();
    expect(api.triggerScan).not.toHaveBeenCalled();
  });

  it('offers a first scan on a site never scanned', async () => {
    const api = mockApi({
      getSite: jest.fn().mockResolvedValue({
        site: exampleSiteSummary({ latestScan: null }),
        results: [],
        history: [],
      }),
      triggerScan: jest.fn().mockResolvedValue({ scanId: 's', joined: true }),
      watchScan: jest.fn().mockResolvedValue(undefined),
    });
    await renderScorecard(api);
    expect(
      await screen.findByText('This site has not been scanned yet'),
    ).toBeInTheDocument();
    await userEvent.click(await enabledScanNow());
    await waitFor(() => expect(api.getSite).toHaveBeenCalledTimes(2));
  });

  it('shows why a scan cannot be followed', async () => {
    const api = mockApi({
      triggerScan: jest.fn().mockResolvedValue({ scanId: 's', joined: false }),
      watchScan: jest
        .fn()
        .mockRejectedValue(
          new Error('Malformed scan event from /scans/s/events'),
        ),
    });
    await renderScorecard(api);
    await userEvent.click(await enabledScanNow());
    expect(
      await screen.findByText(/The scan could not be followed/),
    ).toBeInTheDocument();
  });

  it('shows why a scan could not start', async () => {
    const api = mockApi({
      triggerScan: jest
        .fn()
        .mockRejectedValue(new Error('You may not scan this site')),
    });
    await renderScorecard(api);
    await userEvent.click(await enabledScanNow());
    expect(
      await screen.findByText(/The scan could not start/),
    ).toBeInTheDocument();
    expect(screen.getByText('You may not scan this site')).toBeInTheDocument();
    expect(api.watchScan).not.toHaveBeenCalled();
  });

  it('warns about a misconfigured site and does not call the backend', async () => {
    const api = mockApi();
    await renderScorecard(api, 1);
    expect(
      await screen.findByText(
        'annotation openstack.fedstack.io/keystone-url is missing',
      ),
    ).toBeInTheDocument();
    expect(api.getSite).not.toHaveBeenCalled();
  });
});
