import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { mapping as sharedMapping } from '../sharedIdentityReads';

/** The `openid` protocol exists on the identity provider and is bound to a mapping that exists. */
export const federationProtocol: Check<ScanContext> = {
  metadata: {
    id: 'federation.protocol',
    title: 'OpenID Connect protocol bound to a mapping',
    area: 'federation',
    severity: 'critical',
    remediation:
      'Create the protocol on the identity provider: `openstack federation protocol create --identity-provider egi.eu --mapping <mapping> openid` (the name must be openid: the Check-in clients ask for it).',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#keystone-federation-support',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const { sessions, settings } = context;
    const { identityProvider, protocol } = settings;
    const found = await sessions.reader.identity.protocol(
      identityProvider,
      protocol,
    );
    if (!found.ok && found.error.status === 404) {
      const all = await sessions.reader.identity.protocols(identityProvider);
      if (!all.ok && all.error.status === 404) {
        return fail(
          `Identity provider ${identityProvider} does not exist, so it has no protocol ${protocol}`,
        );
      }
      const others = all.ok ? all.data.map(p => p.id) : [];
      return fail(
        `Identity provider ${identityProvider} has no protocol ${protocol}${
          others.length ? ` (it has ${others.join(', ')})` : ''
        }`,
        { protocols: others },
      );
    }
    if (!found.ok) {
      return couldNotRead(`protocol ${protocol}`, found.error);
    }
    const mapping = await sharedMapping(context, found.data.mapping_id);
    if (!mapping.ok && mapping.error.status === 404) {
      return fail(
        `Protocol ${protocol} is bound to mapping ${found.data.mapping_id}, which does not exist`,
      );
    }
    if (!mapping.ok) {
      return couldNotRead(`mapping ${found.data.mapping_id}`, mapping.error);
    }
    return pass(
      `Protocol ${protocol} of ${identityProvider} uses mapping ${found.data.mapping_id}`,
      { mappingId: found.data.mapping_id },
    );
  },
};
