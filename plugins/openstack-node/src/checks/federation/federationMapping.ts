import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import {
  analyseMapping,
  describeRule,
  groupLabel,
  judgeVoAdmission,
  ProjectRecord,
  servedVos,
} from './mappingAnalysis';
import {
  domains,
  groups,
  identityProviderProtocols,
  mapping as sharedMapping,
  projects,
  roleAssignmentsWithNames,
} from '../sharedIdentityReads';
import { voOfProject } from '../vo/voProjects';

/**
 * The mapping takes the user name from the OIDC subject, guards every rule on Check-in's
 * issuer, and maps VO entitlements to groups that exist: Keystone skips a missing group
 * silently, and users then log in without any project. Each rule is judged by whom it admits
 * and where: one putting users into a VO's group or project must pin them to that VO, and
 * every VO the site serves (ops first: the monitoring logs in with it) needs a rule admitting
 * its members into a group holding member on its project.
 */
export const federationMapping: Check<ScanContext> = {
  metadata: {
    id: 'federation.mapping',
    title: 'Mapping: subject, issuer guard, who is admitted where',
    area: 'federation',
    severity: 'critical',
    reads:
      "The mapping of the `openid` protocol (or of the provider's first protocol when none is named so), with Keystone's groups, domains, projects and role assignments (`GET /v3/groups`, `/v3/domains`, `/v3/projects`, `/v3/role_assignments?include_names`).",
    rule: "Fails when a rule maps a user without taking the name from HTTP_OIDC_SUB or without guarding on the Check-in issuer, maps to a group that does not exist, admits users into a VO's group or project without pinning that VO's entitlement, holds an entitlement that matches no one, or when a VO the site serves (ops first) has no rule admitting it into a group holding member on its project; errors when the provider has no protocol or a read fails; passes otherwise.",
    remediation:
      'Write the mapping as EGI documents it: user name "{0}" from HTTP_OIDC_SUB, a condition HTTP_OIDC_ISS any_one_of the Check-in issuer in every rule, and one rule per VO (ops first) whose OIDC-eduperson_entitlement condition names that VO\'s entitlement (as listed in fedcloud-catchall-operations vo-mappings.yaml, e.g. ^urn:mace:egi\\.eu:group:ops:role=vm_operator#aai\\.egi\\.eu$) and maps to an existing group holding member on the VO\'s project; no rule may put users into a VO group on a condition any entitlement satisfies; then `openstack mapping set --rules rules.json <mapping>`.',
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
    const projectsRead = projects(context);
    const grantsRead = roleAssignmentsWithNames(context);
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
    const [mapping, groupList, domainList, projectList, grantList] =
      await Promise.all([
        sharedMapping(context, protocol.mapping_id),
        groupsRead,
        domainsRead,
        projectsRead,
        grantsRead,
      ]);
    if (!mapping.ok) return couldNotRead('the mapping', mapping.error);
    if (!groupList.ok) return couldNotRead('the groups', groupList.error);
    if (!domainList.ok) return couldNotRead('the domains', domainList.error);
    if (!projectList.ok) return couldNotRead('the projects', projectList.error);
    if (!grantList.ok) {
      return couldNotRead('the role assignments', grantList.error);
    }

    const projectRecords: ProjectRecord[] = projectList.data.map(p => {
      const vo = voOfProject(p, settings.voPropertyKeys);
      return {
        id: p.id,
        name: p.name,
        enabled: p.enabled,
        ...(vo ? { vo } : {}),
      };
    });
    const grants = grantList.data.flatMap(a =>
      a.group && a.scope.project && a.role.name
        ? [
            {
              groupId: a.group.id,
              projectId: a.scope.project.id,
              role: a.role.name,
            },
          ]
        : [],
    );
    const vos = servedVos(settings.opsVo, projectRecords, context.site.vos);
    const analysis = analyseMapping(mapping.data.rules, {
      issuer: settings.issuer,
      groups: groupList.data.map(g => ({
        id: g.id,
        name: g.name,
        domain_id: g.domain_id,
      })),
      domains: domainList.data,
      knownVos: [
        ...new Set([
          ...vos,
          ...projectRecords.flatMap(p => (p.vo ? [p.vo] : [])),
        ]),
      ],
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
        } to ${groupLabel(
          group,
        )}, which does not exist (Keystone skips it silently)`,
      );
    }
    problems.push(
      ...judgeVoAdmission({
        analysis,
        projects: projectRecords,
        grants,
        servedVos: vos,
        opsVo: settings.opsVo,
      }),
    );
    const details = {
      mappingId: mapping.data.id,
      protocol: protocol.id,
      servedVos: vos,
      admission: analysis.rules.map(r => `rule ${r.rule}: ${describeRule(r)}`),
      ...analysis,
    };
    if (problems.length > 0) {
      return fail(`Mapping ${mapping.data.id}: ${listed(problems)}`, details);
    }
    return pass(
      `Mapping ${
        mapping.data.id
      } maps the OIDC subject, guards on the issuer in every rule, admits each VO the site serves (${vos.join(
        ', ',
      )}) into a group holding member on its project, and admits no one into a VO group without pinning the VO`,
      details,
    );
  },
};
