import { compareVersions, parseVersionNumber } from '../../client/discovery';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { keystoneVersions } from '../sharedIdentityReads';

const USABLE = new Set(['stable', 'current', 'supported']);

/** Keystone serves v3 (the v2.0 API is gone) and the site registered a v3 URL. */
export const keystoneV3: Check<ScanContext> = {
  metadata: {
    id: 'keystone.v3',
    title: 'Keystone v3 API',
    area: 'identity',
    severity: 'critical',
    reads:
      "The Keystone URL registered for the site, and Keystone's version discovery (`GET /` on its version root, shared with keystone.reachable).",
    rule: 'Fails when the registered URL ends in `/v2.0`, or when discovery lists no v3 version at or above the minimum (default 3.0) with status stable, current or supported; errors when the version document cannot be read; passes otherwise.',
    remediation:
      'Serve the Identity API v3 and register its URL (ending in /v3, not /v2.0) for the site.',
    docsUrl:
      'https://docs.openstack.org/api-ref/identity/v3/#version-discovery',
    requires: ['keystone.reachable'],
  },
  async run(context) {
    const { site, settings } = context;
    const path = new URL(site.keystoneUrl).pathname;
    if (/\/v2\.0\/?$/.test(path)) {
      return fail(
        `The registered Keystone URL ${site.keystoneUrl} points at the v2.0 API`,
      );
    }
    const versions = await keystoneVersions(context);
    if (!versions.ok)
      return couldNotRead("Keystone's versions", versions.error);
    const minimum = settings.minimumVersions.identity ?? [3, 0];
    const v3 = versions.data
      .map(version => ({ version, number: parseVersionNumber(version.id) }))
      .filter(
        ({ version, number }) =>
          number &&
          number[0] === 3 &&
          compareVersions(number, minimum) >= 0 &&
          USABLE.has(version.status.toLowerCase()),
      );
    const offered = versions.data
      .map(version => `${version.id} (${version.status})`)
      .join(', ');
    if (v3.length === 0) {
      return fail(`Keystone offers no stable v3 API: ${offered || 'nothing'}`, {
        offered: versions.data.map(v => ({ id: v.id, status: v.status })),
      });
    }
    return pass(`Keystone offers ${v3.map(v => v.version.id).join(', ')}`, {
      offered: versions.data.map(v => ({ id: v.id, status: v.status })),
    });
  },
};
