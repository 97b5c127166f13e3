import { ConfigReader } from '@backstage/config';
import { OpenStackConfigError, readOpenStackConfig } from './config';
import { ScanInputs } from './scans/scanInputs';

const read = (openstack: unknown) =>
  readOpenStackConfig(new ConfigReader({ openstack } as any));

function problemsOf(openstack: unknown): string[] {
  try {
    new ScanInputs(read(openstack)).close();
  } catch (error) {
    if (error instanceof OpenStackConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('openstack.sources and scan settings', () => {
  it('names every bad field of the sources and settings at once', () => {
    const problems = problemsOf({
      sources: {
        gocdb: { url: 'goc.egi.eu/gocdbpi' },
        cloudInfo: { url: 'https://is.cloud.egi.eu/', extra: 1 },
        accounting: { kind: 'apel-database', url: 'https://accounting.egi.eu' },
        federationLogin: {
          tokenUrl: 'https://aai.egi.eu/token',
          clientId: 'probe',
          sites: [],
        },
        cacheSeconds: -1,
      },
      scans: { settings: { accountingWarnDays: 'seven', tlsWarnDay: 14 } },
      profiles: { 'egi-fedcloud': { settings: { issuer: 'not a url' } } },
    });
    const text = problems.join('\n');
    expect(text).toMatch(/openstack\.sources\.gocdb\.url: must be an http/);
    expect(text).toMatch(/openstack\.sources\.cloudInfo: .*extra/);
    expect(text).toMatch(/openstack\.sources\.accounting\.kind/);
    expect(text).toMatch(
      /openstack\.sources\.federationLogin: needs refreshToken .* or clientSecret/,
    );
    expect(text).toMatch(
      /openstack\.sources\.federationLogin\.sites: must list the Keystone URLs/,
    );
    expect(text).toMatch(/openstack\.sources\.cacheSeconds/);
    expect(text).toMatch(/openstack\.scans\.settings\.accountingWarnDays/);
    expect(text).toMatch(/openstack\.scans\.settings: .*tlsWarnDay/);
    expect(text).toMatch(/openstack\.profiles\.egi-fedcloud\.settings\.issuer/);
  });

  it('never echoes a secret in its problems', () => {
    const problems = problemsOf({
      sources: {
        federationLogin: {
          tokenUrl: 'not-a-url',
          clientId: 'probe',
          clientSecret: 'very-secret-value',
          refreshToken: 'refresh-secret-value',
          sites: [{ keystoneUrl: 'https://keystone.example.org:5000/v3' }],
        },
      },
    });
    expect(problems.join('\n')).toMatch(/federationLogin\.tokenUrl/);
    expect(problems.join('\n')).not.toMatch(/very-secret|refresh-secret/);
  });

  it('stops at start when the token endpoint CA file cannot be read', () => {
    expect(
      problemsOf({
        sources: {
          federationLogin: {
            tokenUrl: 'https://127.0.0.1:8443/token',
            clientId: 'probe',
            clientSecret: 's3cret-value',
            caFile: '/nonexistent/ca.pem',
            sites: [{ keystoneUrl: 'https://keystone.example.org:5000/v3' }],
          },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^openstack\.sources\.federationLogin\.caFile: cannot read \/nonexistent\/ca\.pem/,
      ),
    ]);
  });

  it('gives each site the sources, its own declarations and its profiles settings', () => {
    const inputs = new ScanInputs(
      read({
        sources: {
          gocdb: { url: 'http://127.0.0.1:8301/gocdbpi/public/' },
          cloudInfo: { url: 'http://127.0.0.1:8302/' },
          accounting: { kind: 'caso-spool', location: '/var/spool/caso' },
          federationLogin: {
            tokenUrl: 'https://127.0.0.1:8443/token',
            clientId: 'probe',
            clientSecret: 's3cret-value',
            sites: [
              {
                keystoneUrl: 'http://127.0.0.1:5000/v3',
                authUrl: 'http://127.0.0.1:5080',
              },
              { keystoneUrl: 'HTTP://127.0.0.3:5000/v3' },
            ],
          },
        },
        scans: { settings: { accountingWarnDays: 5 } },
        profiles: {
          'egi-fedcloud': { settings: { accountingWarnDays: 3, opsVo: 'ops' } },
          'tenant-platform': { settings: { tlsWarnDays: 30 } },
        },
      }),
    );
    const site = {
      entityRef: 'resource:default/site-a',
      name: 'site-a',
      keystoneUrl: 'http://127.0.0.1:5000/v3/',
      profiles: ['egi-fedcloud' as const, 'tenant-platform' as const],
      credentials: 'site-a',
    };
    const sources = inputs.sourcesFor(site);
    expect(sources).toMatchObject({
      gocdbUrl: 'http://127.0.0.1:8301/gocdbpi/public/',
      cloudInfoUrl: 'http://127.0.0.1:8302/',
      accounting: { kind: 'caso-spool', location: '/var/spool/caso' },
      federationLogin: { authUrl: 'http://127.0.0.1:5080', project: 'ops' },
    });
    // A listed site without a front proxy: the token goes to its own Keystone.
    const listed = inputs.sourcesFor({
      ...site,
      keystoneUrl: 'http://127.0.0.3:5000/v3/',
    });
    expect(listed.federationLogin).toBeDefined();
    expect(listed.federationLogin?.authUrl).toBeUndefined();
    // Any other Keystone (an entity may name any URL) never gets the test token.
    const other = inputs.sourcesFor({
      ...site,
      keystoneUrl: 'http://127.0.0.2:5000/v3',
    });
    expect(other.federationLogin).toBeUndefined();
    expect(other.federationLoginWithheld).toMatch(
      /sent only to the Keystone URLs listed in openstack\.sources\.federationLogin\.sites/,
    );
    expect(inputs.settingsFor(site)).toEqual({
      accountingWarnDays: 3,
      opsVo: 'ops',
      tlsWarnDays: 30,
    });
    expect(
      inputs.settingsFor({ ...site, profiles: ['tenant-platform'] }),
    ).toEqual({ accountingWarnDays: 5, tlsWarnDays: 30 });
    inputs.close();
  });

  it('leaves every source out when none is configured', () => {
    const inputs = new ScanInputs(read({}));
    expect(
      inputs.sourcesFor({
        entityRef: 'resource:default/x',
        name: 'x',
        keystoneUrl: 'https://keystone.example.org:5000/v3',
        profiles: ['egi-fedcloud'],
        credentials: 'x',
      }),
    ).toEqual({
      cache: expect.anything(),
      gocdbUrl: undefined,
      cloudInfoUrl: undefined,
      accounting: undefined,
      federationLogin: undefined,
    });
  });
});
