import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_GOCDB_URL,
  DEFAULT_SITE_PROVIDER_SCHEDULE,
  readSiteProviderConfigs,
  SiteProviderConfigError,
} from './config';
import { toEntityName } from './entities';

const read = (siteProviders: unknown) =>
  readSiteProviderConfigs(
    new ConfigReader({ openstack: { siteProviders } } as any),
  );

function problemsOf(siteProviders: unknown): string[] {
  try {
    read(siteProviders);
  } catch (error) {
    expect(error).toBeInstanceOf(SiteProviderConfigError);
    return (error as SiteProviderConfigError).problems;
  }
  throw new Error('no error');
}

describe('openstack.siteProviders', () => {
  it('is empty when absent', () => {
    expect(readSiteProviderConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('reads each provider, with defaults', () => {
    expect(
      read({
        catchall: {
          type: 'folder',
          path: './sites',
          credentials: 'egi-reader',
          owner: 'group:default/egi-operations',
          schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
        },
        egi: {
          type: 'gocdb',
          credentials: 'egi-reader',
          profiles: ['egi-fedcloud', 'tenant-platform'],
          owner: 'egi-operations',
        },
      }),
    ).toEqual([
      {
        id: 'catchall',
        type: 'folder',
        path: './sites',
        credentials: 'egi-reader',
        profiles: ['egi-fedcloud'],
        owner: 'group:default/egi-operations',
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      },
      {
        id: 'egi',
        type: 'gocdb',
        url: DEFAULT_GOCDB_URL,
        credentials: 'egi-reader',
        profiles: ['egi-fedcloud', 'tenant-platform'],
        owner: 'egi-operations',
        schedule: DEFAULT_SITE_PROVIDER_SCHEDULE,
      },
    ]);
  });

  it('names every problem with its key', () => {
    const problems = problemsOf({
      a: { type: 'folder', credentials: 'x', owner: 'team' },
      b: {
        type: 'url',
        url: 'ftp://example.org/sites',
        credentials: 'bad name!',
        owner: 'team',
        profiles: ['No Pe'],
      },
      c: { type: 'ldap', credentials: 'x', owner: 'team' },
      d: { type: 'gocdb', owner: 'team', extra: 1 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'openstack.siteProviders.a.path: is required for a folder',
        'openstack.siteProviders.b.url: must be an http or https URL',
        'openstack.siteProviders.b.credentials: must be a credential set name',
        'openstack.siteProviders.b.profiles.0: must be a profile id (lower case letters, digits, dots and dashes)',
        "openstack.siteProviders.c.type: type must be one of 'folder', 'url', 'gocdb'",
        'openstack.siteProviders.d.credentials: is required (the name of a credential set)',
        expect.stringMatching(/^openstack\.siteProviders\.d: .*extra/),
      ]),
    );
  });

  it('names a bad schedule', () => {
    expect(
      problemsOf({
        a: {
          type: 'folder',
          path: '/srv/sites',
          credentials: 'x',
          owner: 'team',
          schedule: { frequency: 'often' },
        },
      })[0],
    ).toMatch(/^openstack\.siteProviders\.a\.schedule: /);
  });
});

describe('toEntityName', () => {
  it.each([
    ['IFCA-LCG2', 'ifca-lcg2'],
    ['Izola MRF', 'izola-mrf'],
    ['fedcloud.srce.hr', 'fedcloud.srce.hr'],
    ['R&D  CLOUD_', 'r-d-cloud'],
    [`${'A'.repeat(70)}`, 'a'.repeat(63)],
  ])('%s → %s', (gocdb, name) => {
    expect(toEntityName(gocdb)).toBe(name);
  });

  it('gives nothing for a name without letters or digits', () => {
    expect(toEntityName('---')).toBeUndefined();
  });
});
