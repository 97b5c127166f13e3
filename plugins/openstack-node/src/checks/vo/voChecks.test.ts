import { z } from 'zod';
import { projectSchema } from '../../client/identity/projects';
import { roleAssignmentSchema } from '../../client/identity/roleAssignments';
import { loadFixture } from '../../testing/sandboxFixtures';
import { DEFAULT_SCAN_SETTINGS, ScanContext } from '../context';
import { voCommunity } from './voCommunity';
import { voOps } from './voOps';

// Site-a's projects and role assignments as its real Keystone answered them (sandbox/record),
// with a project disabled as `openstack project set --disable` leaves it.
function siteA(disabled: string[] = []): ScanContext {
  const body = (name: string) => loadFixture('site-a', name).response.body;
  const projects = z
    .object({ projects: z.array(projectSchema) })
    .parse(body('projects'))
    .projects.map(p =>
      disabled.includes(p.name) ? { ...p, enabled: false } : p,
    );
  const assignments = z
    .object({ role_assignments: z.array(roleAssignmentSchema) })
    .parse(body('role-assignments-include-names')).role_assignments;
  const answers: Record<string, unknown> = {
    'identity.projects': { ok: true, status: 200, data: projects },
    'identity.role-assignments': { ok: true, status: 200, data: assignments },
  };
  return {
    settings: DEFAULT_SCAN_SETTINGS,
    shared: async (key: string) => {
      if (!(key in answers)) throw new Error(`unexpected read ${key}`);
      return answers[key];
    },
  } as unknown as ScanContext;
}

describe('a disabled VO project does not serve its VO', () => {
  it('passes site-a as recorded', async () => {
    expect((await voOps.run(siteA())).status).toBe('pass');
    expect((await voCommunity.run(siteA())).status).toBe('pass');
  });

  it('fails vo.ops when the ops project is disabled', async () => {
    const outcome = await voOps.run(siteA(['ops']));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      'Project ops carries the VO property ops but is disabled: no one can get a token for it, so the monitoring cannot run',
    );
  });

  it('does not count a disabled community project', async () => {
    const outcome = await voCommunity.run(siteA(['vo.access.egi.eu']));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      'No enabled project serves a VO other than ops (disabled: vo.access.egi.eu for vo.access.egi.eu)',
    );
  });
});
