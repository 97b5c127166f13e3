import { Check } from '../types';
import { ScanContext } from '../context';
import { fail, pass } from '../outcomes';
import { keystoneVersions } from '../sharedIdentityReads';

/** Keystone answers on its public URL: everything else starts here. */
export const keystoneReachable: Check<ScanContext> = {
  metadata: {
    id: 'keystone.reachable',
    title: 'Keystone answers on its public URL',
    area: 'identity',
    severity: 'critical',
    reads:
      "Keystone's version discovery: `GET /` on the version root of the site's Keystone URL, without a token (one request per scan, shared with keystone.v3 and the services checks).",
    rule: 'Passes when Keystone answers with any HTTP status below 500; fails when it does not answer at all (DNS, connection, TLS or timeout) or answers with a 5xx status.',
    remediation:
      "Open Keystone's public port (default 5000/TCP) to the outside and check that the URL registered for the site is the one Keystone serves.",
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#open-ports',
  },
  async run(context) {
    const { site } = context;
    const versions = await keystoneVersions(context);
    if (!versions.ok && !versions.error.status) {
      return fail(
        `Keystone does not answer at ${site.keystoneUrl}: ${versions.error.message}`,
      );
    }
    if (!versions.ok && versions.error.status && versions.error.status >= 500) {
      return fail(
        `Keystone answers at ${site.keystoneUrl} with an error: ${versions.error.message}`,
      );
    }
    const status = versions.ok ? versions.status : versions.error.status;
    return pass(`Keystone answers at ${site.keystoneUrl} (HTTP ${status})`);
  },
};
