import { SiteDescriptor } from '@fedstack/plugin-openstack-common';
import { scanSite } from '@fedstack/plugin-openstack-node';
import {
  sandboxAccessToken,
  sandboxSettings,
} from '@fedstack/plugin-openstack-node/testUtils';
import { sandboxLive } from '../__testUtils__/sandbox';
import { credentialSetSchema } from '../config';
import { createSiteClients } from './siteSessions';

// A credential set whose reader logs in as EGI's monitoring does: an OIDC token through site-a's
// federation (Apache + mod_auth_openidc), the same converter as `fedstack scan`.
const settings = sandboxSettings();
const { describeLive } = sandboxLive();
jest.setTimeout(60_000);

const FEDERATION_URL =
  settings.FEDSTACK_SANDBOX_FEDERATION_URL ?? 'http://127.0.0.1:5080/v3';

const site: SiteDescriptor = {
  entityRef: 'resource:default/site-a',
  name: 'site-a',
  keystoneUrl: FEDERATION_URL,
  region: 'RegionOne',
  profiles: ['egi-fedcloud'],
} as SiteDescriptor;

async function scanWith(reader: unknown) {
  const set = credentialSetSchema.parse({
    keystoneUrls: [FEDERATION_URL],
    reader,
  });
  const clients = createSiteClients(site, set, {
    requestTimeoutMs: 10_000,
    network: { allow: ['127.0.0.0/8'] },
  });
  try {
    return await scanSite({
      site: {
        name: site.name,
        keystoneUrl: site.keystoneUrl,
        region: 'RegionOne',
      },
      profiles: ['egi-fedcloud'],
      sessions: clients.sessions,
      onlyChecks: ['keystone.catalog'],
    });
  } finally {
    clients.http.close();
  }
}

const federation = {
  identityProvider: 'egi.eu',
  protocol: 'openid',
  project: 'ops',
};

describeLive('credential sets with OIDC accounts on the live sandbox', () => {
  it('scans site-a with an oidc-refresh-token reader (token endpoint, then federation, then ops)', async () => {
    const report = await scanWith({
      type: 'oidc-refresh-token',
      ...federation,
      tokenUrl:
        settings.FEDSTACK_SANDBOX_OIDC_TOKEN_URL ??
        'https://127.0.0.1:8443/token',
      clientId:
        settings.FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_ID ?? 'ops-monitoring',
      clientSecret:
        settings.FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_SECRET ??
        'probe-oidc-secret',
      refreshToken: settings.FEDSTACK_SANDBOX_OIDC_REFRESH_TOKEN,
      caFile: settings.FEDSTACK_SANDBOX_OIDC_CA_FILE,
    });
    const catalog = report.results.find(r => r.checkId === 'keystone.catalog');
    expect(catalog?.status).toBe('pass');
    // Federated unscoped, then scoped to ops: only a scoped token carries the catalog.
    expect(report.tokensIssued).toBe(2);
  });

  it('scans site-a with an oidc-access-token reader, and fails with a refused token', async () => {
    const good = await scanWith({
      type: 'oidc-access-token',
      ...federation,
      accessToken: await sandboxAccessToken(settings, 'ops-tester'),
    });
    expect(
      good.results.find(r => r.checkId === 'keystone.catalog')?.status,
    ).toBe('pass');
    const refused = await scanWith({
      type: 'oidc-access-token',
      ...federation,
      accessToken: await sandboxAccessToken(settings, 'novo-tester'),
    });
    expect(
      refused.results.find(r => r.checkId === 'keystone.catalog')?.status,
    ).not.toBe('pass');
  });
});

// site-a's Keystone over https by the sandbox's private CA (sandbox/README.md, "TLS by a private
// CA"): a credential set trusts it through the CA directory it names, and only then.
const TLS_URL = settings.SITE_A_KEYSTONE_TLS_URL ?? 'https://127.0.0.1:5443/v3';

describeLive('a credential set with its site CA on the live sandbox', () => {
  const tlsSite = { ...site, keystoneUrl: TLS_URL } as SiteDescriptor;
  const reader = {
    type: 'password',
    username: 'admin',
    passwordEnv: 'FEDSTACK_SANDBOX_ADMIN_PASSWORD',
    project: 'admin',
  };

  async function scanOverTls(trust: { caPath?: string; caFile?: string }) {
    const set = credentialSetSchema.parse({
      keystoneUrls: [TLS_URL],
      reader,
      ...trust,
    });
    const clients = createSiteClients(tlsSite, set, {
      requestTimeoutMs: 10_000,
      network: { allow: ['127.0.0.0/8'] },
    });
    try {
      const report = await scanSite({
        site: { name: 'site-a', keystoneUrl: TLS_URL, region: 'RegionOne' },
        profiles: ['egi-fedcloud'],
        sessions: clients.sessions,
        onlyChecks: ['keystone.catalog'],
      });
      return report.results.find(r => r.checkId === 'keystone.catalog');
    } finally {
      clients.http.close();
    }
  }

  it('scans site-a over https trusting the directory of hashed certificates (caPath)', async () => {
    const catalog = await scanOverTls({
      caPath: settings.FEDSTACK_SANDBOX_TLS_CA_PATH,
    });
    expect(catalog?.status).toBe('pass');
  });

  it('cannot log in without it, and says the certificate is not trusted', async () => {
    const catalog = await scanOverTls({});
    expect(catalog?.status).toBe('error');
    expect(catalog?.message).toContain(
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate (the server's certificate is not from a CA trusted here",
    );
  });
});
