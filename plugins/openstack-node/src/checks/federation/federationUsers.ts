import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, pass, warn } from '../outcomes';
import { federatedDomainOf } from './federatedDomainOf';

/** Federated user names look like `<opaque id>@<issuer suffix>`, as Check-in gives them. */
export const federationUsers: Check<ScanContext> = {
  metadata: {
    id: 'federation.users',
    title: 'Federated user names carry the issuer suffix',
    area: 'federation',
    severity: 'minor',
    reads:
      "The users of the identity provider's domain (`GET /v3/users?domain_id=<federated domain>`).",
    rule: 'Warns when a user name is not `<id>` followed by one of the expected suffixes (`@egi.eu` or `@sram.surf.nl` by default); passes when every name is (or there is no user); fails when the identity provider is missing or names no domain; errors when a read fails.',
    remediation:
      'Federated users should only be created by federated logins; remove users created by hand in the federated domain, and keep the mapping\'s user name "{0}" from HTTP_OIDC_SUB.',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#federated-users',
    requires: ['keystone.v3'],
    ownerOnlyDetails: ['unexpectedNames'],
  },
  async run(context) {
    const { sessions, settings } = context;
    const identity = sessions.reader.identity;
    const federated = await federatedDomainOf(context);
    if ('outcome' in federated) return federated.outcome;
    const users = await identity.users({ domain_id: federated.domainId });
    if (!users.ok) return couldNotRead('the federated users', users.error);
    const suffixes = settings.federatedUserSuffixes;
    const odd = users.data
      .map(user => user.name)
      .filter(name => {
        const at = name.lastIndexOf('@');
        return at <= 0 || !suffixes.includes(name.slice(at));
      });
    const details = { users: users.data.length, unexpectedNames: odd };
    if (odd.length > 0) {
      return warn(
        `${odd.length} of ${
          users.data.length
        } federated users have names without ${suffixes.join(
          ' or ',
        )} (the names are in the details, for the site's owners)`,
        details,
      );
    }
    return pass(
      `All ${users.data.length} federated users are named <id>${suffixes.join(
        ' or <id>',
      )}`,
      details,
    );
  },
};
