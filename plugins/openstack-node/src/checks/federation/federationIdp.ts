import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { identityProvider } from '../sharedIdentityReads';

const DOCS =
  'https://docs.egi.eu/providers/cloud-compute/openstack/#keystone-federation-support';

/** The identity provider for EGI Check-in exists, is enabled, and names Check-in's issuer. */
export const federationIdp: Check<ScanContext> = {
  metadata: {
    id: 'federation.idp',
    title: 'Identity provider for EGI Check-in',
    area: 'federation',
    severity: 'critical',
    reads:
      "The identity provider (`GET /v3/OS-FEDERATION/identity_providers/<idp>`, `egi.eu` by default, with the reader's token).",
    rule: "Passes when it exists, is enabled and lists Check-in's issuer (`https://aai.egi.eu/auth/realms/egi` by default) among its remote ids; fails when it is missing, disabled or lacks that remote id; errors when it cannot be read.",
    remediation:
      "Create the identity provider with Check-in's issuer as remote id: `openstack identity provider create --remote-id https://aai.egi.eu/auth/realms/egi egi.eu` (and enable it).",
    docsUrl: DOCS,
    requires: ['keystone.v3'],
  },
  async run(context) {
    const { settings } = context;
    const idp = await identityProvider(context);
    if (!idp.ok && idp.error.status === 404) {
      return fail(
        `Keystone has no identity provider ${settings.identityProvider}`,
      );
    }
    if (!idp.ok) {
      return couldNotRead(
        `identity provider ${settings.identityProvider}`,
        idp.error,
      );
    }
    const problems: string[] = [];
    if (!idp.data.enabled) problems.push('it is disabled');
    if (!idp.data.remote_ids.includes(settings.issuer)) {
      problems.push(
        idp.data.remote_ids.length === 0
          ? `it has no remote id (expected ${settings.issuer})`
          : `its remote ids (${idp.data.remote_ids.join(
              ', ',
            )}) do not include ${settings.issuer}`,
      );
    }
    const details = {
      enabled: idp.data.enabled,
      remoteIds: idp.data.remote_ids,
      domainId: idp.data.domain_id,
    };
    if (problems.length > 0) {
      return fail(
        `Identity provider ${settings.identityProvider}: ${listed(problems)}`,
        details,
      );
    }
    return pass(
      `Identity provider ${settings.identityProvider} is enabled and trusts ${settings.issuer}`,
      details,
    );
  },
};
