import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { readVoProjects } from './voProjects';

/**
 * An enabled project serves the mandatory ops VO (the monitoring probes run there), usable by a
 * group: a disabled project takes no token, so it serves no one.
 */
export const voOps: Check<ScanContext> = {
  metadata: {
    id: 'vo.ops',
    title: 'Project for the ops VO',
    area: 'vo',
    severity: 'critical',
    reads:
      "Keystone's projects (`GET /v3/projects`) with their VO property (`egi.VO`, `VO`, `accounting:VO` or `egi.eu:VO` by default) and the role assignments (`GET /v3/role_assignments?include_names`).",
    rule: "Passes when an enabled project's VO property names ops and a group holds member (or admin) on it; fails when no project names ops, every ops project is disabled, or no group holds member on it; errors when a read fails.",
    remediation:
      'Create a project for ops with the VO property (`openstack project create --property egi.VO=ops ops`), keep it enabled (`openstack project set --enable ops`), and grant the ops group member on it; the mapping maps the ops entitlement to that group.',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#vo-mapping',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const read = await readVoProjects(context);
    if (!read.ok) return couldNotRead(read.what, read.error);
    const ops = read.projects.filter(p => p.vo === context.settings.opsVo);
    const details = {
      voProjects: read.projects.map(p => ({
        project: p.project.name,
        vo: p.vo,
        memberGroups: p.memberGroups,
        enabled: p.enabled,
      })),
    };
    if (ops.length === 0) {
      return fail(
        `No project carries a VO property (${context.settings.voPropertyKeys.join(
          ', ',
        )}) naming ${context.settings.opsVo}`,
        details,
      );
    }
    const enabled = ops.filter(p => p.enabled);
    if (enabled.length === 0) {
      return fail(
        `Project ${listed(
          ops.map(p => p.project.name),
        )} carries the VO property ${
          context.settings.opsVo
        } but is disabled: no one can get a token for it, so the monitoring cannot run`,
        details,
      );
    }
    const usable = enabled.filter(p => p.memberGroups.length > 0);
    if (usable.length === 0) {
      return fail(
        `Project ${enabled[0].project.name} serves ${context.settings.opsVo}, but no group holds member on it`,
        details,
      );
    }
    return pass(
      `Project ${usable[0].project.name} serves ${
        context.settings.opsVo
      }; group(s) ${usable[0].memberGroups.join(', ')} hold member on it`,
      details,
    );
  },
};
