import { Project } from '../../client/identity/projects';
import { RoleAssignment } from '../../client/identity/roleAssignments';
import { HttpError } from '../../client/http';
import { ScanContext } from '../context';
import {
  projects as projectList,
  roleAssignmentsWithNames,
} from '../sharedIdentityReads';

/** The VO a project serves, from whichever VO property the site uses. */
export function voOfProject(
  project: Project,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = (project as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

export interface VoProject {
  project: Project;
  vo: string;
  /** Groups holding `member` (or a role implying it) on the project. */
  memberGroups: string[];
  /** Whether the project is enabled: a disabled one does not serve its VO. */
  enabled: boolean;
}

/** Every project that names a VO, with the groups that may use it: one read of each list. */
export async function readVoProjects(
  context: ScanContext,
): Promise<
  | { ok: true; projects: VoProject[] }
  | { ok: false; what: string; error: HttpError }
> {
  const [projects, assignments] = await Promise.all([
    projectList(context),
    roleAssignmentsWithNames(context),
  ]);
  if (!projects.ok)
    return { ok: false, what: 'the projects', error: projects.error };
  if (!assignments.ok) {
    return {
      ok: false,
      what: 'the role assignments',
      error: assignments.error,
    };
  }
  const memberGroups = (projectId: string) =>
    assignments.data
      .filter(
        (a: RoleAssignment) =>
          a.group &&
          a.scope.project?.id === projectId &&
          ['member', 'admin'].includes(a.role.name ?? ''),
      )
      .map(a => a.group!.name ?? a.group!.id);
  const result: VoProject[] = [];
  for (const project of projects.data) {
    const vo = voOfProject(project, context.settings.voPropertyKeys);
    if (vo)
      result.push({
        project,
        vo,
        memberGroups: memberGroups(project.id),
        enabled: project.enabled,
      });
  }
  return { ok: true, projects: result };
}
