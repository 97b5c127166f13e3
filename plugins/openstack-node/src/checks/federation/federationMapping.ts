import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { analyseMapping } from './mappingAnalysis';
import {
  domains,
  groups,
  identityProviderProtocols,
  mapping as sharedMapping,
} from '../sharedIdentityReads';

/**
 * The mapping takes the user name from the OIDC subject, guards every rule on Check-in's
 * issuer, and maps VO entitlements to groups that exist: Keystone skips a missing group
 * silently, and users then log in without any project.
 */
export const federationMapping: Check<ScanContext> = {
  metadata: {
    id: 'federation.mapping',
    title: 'Mapping: subject, issuer guard, VO groups',
    area: 'federation',
    severity: 'critical',
    remediation:
      'Write the mapping as EGI documents it: user name "{0}" from HTTP_OIDC_SUB, a condition HTTP_OIDC_ISS any_one_of the Check-in issuer in every rule, and each VO entitlement (urn:mace:egi.eu:group:<vo>:role=vm_operator#aai.egi.eu) mapped to a group that exists; then `openstack mapping set --rules rules.json <mapping>`.',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#keystone-federation-support',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const { settings } = context;
    // The mapping of the openid protocol; when the protocol is misnamed (federation.protocol
    // says so), the mapping another protocol of the provider binds is still worth judging.
    // The group and domain lists do not depend on the protocol: ask for them at once, so they
    // are not one more round trip after the mapping.
    const groupsRead = groups(context);
    const domainsRead = domains(context);
    const protocols = await identityProviderProtocols(context);
    if (!protocols.ok) return couldNotRead('the protocols', protocols.error);
    const protocol =
      protocols.data.find(p => p.id === settings.protocol) ?? protocols.data[0];
    if (!protocol) {
      return {
        status: 'error',
        message: `Identity provider ${settings.identityProvider} has no protocol, so no mapping is in use`,
      };
    }
    const [mapping, groupList, domainList] = await Promise.all([
      sharedMapping(context, protocol.mapping_id),
      groupsRead,
      domainsRead,
    ]);
    if (!mapping.ok) return couldNotRead('the mapping', mapping.error);
    if (!groupList.ok) return couldNotRead('the groups', groupList.error);
    if (!domainList.ok) return couldNotRead('the domains', domainList.error);

    const analysis = analyseMapping(mapping.data.rules, {
      issuer: settings.issuer,
      groups: groupList.data.map(g => ({
        id: g.id,
        name: g.name,
        domain_id: g.domain_id,
      })),
      domains: domainList.data,
    });
    const problems: string[] = [];
    if (analysis.userRules.length === 0) {
      problems.push('no rule maps a user');
    } else if (analysis.subjectRules.length < analysis.userRules.length) {
      const others = analysis.userRules.filter(
        r => !analysis.subjectRules.includes(r),
      );
      problems.push(
        `rule(s) ${others.join(
          ', ',
        )} do not take the user name from the OIDC subject`,
      );
    }
    if (analysis.unguardedRules.length > 0) {
      problems.push(
        `rule(s) ${analysis.unguardedRules.join(
          ', ',
        )} do not guard on HTTP_OIDC_ISS being ${settings.issuer}`,
      );
    }
    const missing = analysis.groups.filter(group => !group.exists);
    for (const group of missing) {
      problems.push(
        `rule ${group.rule} maps ${
          group.vo ? `VO ${group.vo}` : 'users'
        } to group ${
          group.name ?? group.id
        }, which does not exist (Keystone skips it silently)`,
      );
    }
    const details = {
      mappingId: mapping.data.id,
      protocol: protocol.id,
      ...analysis,
    };
    if (problems.length > 0) {
      return fail(`Mapping ${mapping.data.id}: ${listed(problems)}`, details);
    }
    return pass(
      `Mapping ${
        mapping.data.id
      } maps the OIDC subject, guards on the issuer in every rule, and maps ${
        analysis.vos.length
      } VO(s) (${analysis.vos.join(', ')}) to existing groups`,
      details,
    );
  },
};
