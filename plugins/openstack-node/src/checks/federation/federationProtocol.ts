import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import {
  identityProviderProtocols,
  mapping as sharedMapping,
} from '../sharedIdentityReads';

/** The `openid` protocol exists on the identity provider and is bound to a mapping that exists. */
export const federationProtocol: Check<ScanContext> = {
  metadata: {
    id: 'federation.protocol',
    title: 'OpenID Connect protocol bound to a mapping',
    area: 'federation',
    severity: 'critical',
    reads:
      "The identity provider's protocols (`GET /v3/OS-FEDERATION/identity_providers/<idp>/protocols`) and the mapping the `openid` protocol is bound to (`GET /v3/OS-FEDERATION/mappings/<id>`).",
    rule: 'Passes when the `openid` protocol exists and its mapping exists; fails when the identity provider, the protocol or the mapping is missing; errors when one of them cannot be read.',
    remediation:
      'Create the protocol on the identity provider: `openstack federation protocol create --identity-provider egi.eu --mapping <mapping> openid` (the name must be openid: the Check-in clients ask for it).',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#keystone-federation-support',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const { settings } = context;
    const { identityProvider, protocol } = settings;
    // The identity provider's protocols, listed once per scan (federation.mapping reads the
    // same list): the list holds each protocol's mapping, no need to show the one.
    const all = await identityProviderProtocols(context);
    if (!all.ok && all.error.status === 404) {
      return fail(
        `Identity provider ${identityProvider} does not exist, so it has no protocol ${protocol}`,
      );
    }
    if (!all.ok) {
      return couldNotRead(`the protocols of ${identityProvider}`, all.error);
    }
    const found = all.data.find(p => p.id === protocol);
    if (!found) {
      const others = all.data.map(p => p.id);
      return fail(
        `Identity provider ${identityProvider} has no protocol ${protocol}${
          others.length ? ` (it has ${others.join(', ')})` : ''
        }`,
        { protocols: others },
      );
    }
    const mapping = await sharedMapping(context, found.mapping_id);
    if (!mapping.ok && mapping.error.status === 404) {
      return fail(
        `Protocol ${protocol} is bound to mapping ${found.mapping_id}, which does not exist`,
      );
    }
    if (!mapping.ok) {
      return couldNotRead(`mapping ${found.mapping_id}`, mapping.error);
    }
    return pass(
      `Protocol ${protocol} of ${identityProvider} uses mapping ${found.mapping_id}`,
      { mappingId: found.mapping_id },
    );
  },
};
