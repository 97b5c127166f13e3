import { siteEntity } from './sandbox';

/**
 * A site that is not the sandbox, for tests that must not reach one: site-a with its Keystone at
 * `keystoneUrl` (a closed port, or the test's own server), its reader in the credential set
 * `site-a`, and the fleet scan scheduled far in the future, so that the test scans nothing.
 * Test-only.
 */
export function localSite(keystoneUrl: string) {
  return {
    entity: siteEntity({
      name: 'site-a',
      keystoneUrl,
      profiles: 'egi-fedcloud',
      credentials: 'site-a',
    }),
    /** The `openstack` configuration for it. */
    config: {
      credentialSets: {
        'site-a': {
          keystoneUrls: [keystoneUrl],
          reader: { type: 'password', username: 'u', password: 'p4ssw0rd' },
        },
      },
      scans: {
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 1 },
          initialDelay: { hours: 24 },
        },
      },
    },
  };
}
