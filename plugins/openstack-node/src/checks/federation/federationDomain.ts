import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { domains } from '../sharedIdentityReads';
import { federatedDomainOf } from './federatedDomainOf';

/** The identity provider's domain, where federated users are created, exists and is enabled. */
export const federationDomain: Check<ScanContext> = {
  metadata: {
    id: 'federation.domain',
    title: 'Federated domain exists and is enabled',
    area: 'federation',
    severity: 'critical',
    reads:
      "The identity provider's `domain_id` (`GET /v3/OS-FEDERATION/identity_providers/<idp>`) and Keystone's domains (`GET /v3/domains`).",
    rule: 'Passes when the federated domain exists and is enabled; fails when the identity provider is missing or names no domain, or the domain is missing or disabled; errors when a read fails.',
    remediation:
      "Enable the identity provider's domain (`openstack domain set --enable <domain>`), or recreate the identity provider so Keystone generates it.",
    docsUrl:
      'https://docs.openstack.org/keystone/latest/admin/federation/configure_federation.html',
    requires: ['keystone.v3'],
  },
  async run(context) {
    // The domain list is read once per scan anyway (federation.mapping resolves domains by
    // name); asked for beside the identity provider, not after it.
    const [federated, all] = await Promise.all([
      federatedDomainOf(context),
      domains(context),
    ]);
    if ('outcome' in federated) return federated.outcome;
    const { domainId } = federated;
    if (!all.ok) return couldNotRead('the domains', all.error);
    const domain = all.data.find(d => d.id === domainId);
    if (!domain) {
      return fail(`The federated domain ${domainId} does not exist`);
    }
    const details = {
      id: domain.id,
      name: domain.name,
      description: domain.description,
      enabled: domain.enabled,
    };
    if (!domain.enabled) {
      return fail(
        `The federated domain ${
          domain.name === domainId ? domainId : `${domain.name} (${domainId})`
        } is disabled: federated users cannot log in`,
        details,
      );
    }
    return pass(
      `Federated users go to domain ${domain.name}, which is enabled`,
      details,
    );
  },
};
