import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { readVoProjects } from './voProjects';

/** Besides ops, the site serves at least one community VO from an enabled project. */
export const voCommunity: Check<ScanContext> = {
  metadata: {
    id: 'vo.community',
    title: 'At least one community VO project',
    area: 'vo',
    severity: 'major',
    reads:
      "Keystone's projects (`GET /v3/projects`) with their VO property, and the role assignments (read with vo.ops's).",
    rule: 'Passes when at least one enabled project names a VO other than ops; fails when none does (disabled ones are listed); errors when a read fails.',
    remediation:
      "Create a project per supported VO with its VO property (e.g. `--property egi.VO=vo.access.egi.eu`), a group holding member on it, and a mapping rule for the VO's entitlement.",
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#vo-mapping',
    requires: ['keystone.v3'],
  },
  async run(context) {
    const read = await readVoProjects(context);
    if (!read.ok) return couldNotRead(read.what, read.error);
    const others = read.projects.filter(p => p.vo !== context.settings.opsVo);
    // A disabled project takes no token: it serves no one.
    const community = others.filter(p => p.enabled);
    const disabled = others.filter(p => !p.enabled);
    const vos = [...new Set(community.map(p => p.vo))];
    if (vos.length === 0) {
      return fail(
        `No enabled project serves a VO other than ${context.settings.opsVo}${
          disabled.length > 0
            ? ` (disabled: ${disabled
                .map(p => `${p.project.name} for ${p.vo}`)
                .join(', ')})`
            : ''
        }`,
        disabled.length > 0
          ? {
              disabled: disabled.map(p => ({
                project: p.project.name,
                vo: p.vo,
              })),
            }
          : undefined,
      );
    }
    return pass(`Community VO project(s): ${vos.join(', ')}`, {
      vos,
      projects: community.map(p => p.project.name),
    });
  },
};
