import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { federatedDomainOf } from './federatedDomainOf';

/** The identity provider's domain, where federated users are created, exists and is enabled. */
export const federationDomain: Check<ScanContext> = {
  metadata: {
    id: 'federation.domain',
    title: 'Federated domain exists and is enabled',
    area: 'federation',
    severity: 'critical',
    remediation:
      "Enable the identity provider's domain (`openstack domain set --enable <domain>`), or recreate the identity provider so Keystone generates it.",
    docsUrl:
      'https://docs.openstack.org/keystone/latest/admin/federation/configure_federation.html',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const { sessions } = context;
    const identity = sessions.reader.identity;
    const federated = await federatedDomainOf(context);
    if ('outcome' in federated) return federated.outcome;
    const { domainId } = federated;
    const domain = await identity.domain(domainId);
    if (!domain.ok && domain.error.status === 404) {
      return fail(`The federated domain ${domainId} does not exist`);
    }
    if (!domain.ok) return couldNotRead(`domain ${domainId}`, domain.error);
    const details = {
      id: domain.data.id,
      name: domain.data.name,
      description: domain.data.description,
      enabled: domain.data.enabled,
    };
    if (!domain.data.enabled) {
      return fail(
        `The federated domain ${
          domain.data.name === domainId
            ? domainId
            : `${domain.data.name} (${domainId})`
        } is disabled: federated users cannot log in`,
        details,
      );
    }
    return pass(
      `Federated users go to domain ${domain.data.name}, which is enabled`,
      details,
    );
  },
};
