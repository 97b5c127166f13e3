import { HttpError } from '../../client/http';
import { RoleAssignment } from '../../client/identity/roleAssignments';
import { OpenStackSession } from '../../client/session';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { accountAssignments, projectsWithReader } from '../sharedIdentityReads';
import { readVoProjects } from '../vo/voProjects';

// Keystone answers a scope the user holds no role on, and a refused call, with these (a token
// request's refusal comes back as kind `auth`).
const REFUSED = new Set([401, 403]);
const refused = (error: HttpError) =>
  (error.kind === 'http' || error.kind === 'auth') &&
  error.status !== undefined &&
  REFUSED.has(error.status);

/**
 * The account cASO uses authenticates, may list users and projects, and reads every VO project.
 * cASO asks Keystone with a system-scoped token first (Keystone's default policy since Zed
 * allows `identity:list_users` and `identity:list_projects` to system readers), then extracts
 * each project with a token scoped to it: a system role alone does not reach Nova's usage.
 */
export const accountingCredentials: Check<ScanContext> = {
  metadata: {
    id: 'accounting.credentials',
    title: 'Accounting account may read what cASO reads',
    area: 'accounting',
    severity: 'critical',
    reads:
      "As cASO asks, with the site's accounting credential set: a system-scoped token (else its default scope), `GET /v3/users?name=<itself>`, `GET /v3/projects`, its role assignments (effective ones when the direct ones do not show reader everywhere), and the VO projects read by the reader.",
    rule: 'Errors when no accounting credential set is configured or a read fails unexpectedly; fails when the account cannot authenticate (401/403), is refused `identity:list_users` or `identity:list_projects`, or has no reader role on a VO project; passes otherwise, also when no project names a VO yet.',
    remediation:
      "Give the accounting account (the one in cASO's configuration) reader on the system (`openstack role add --user <accounting> --system all reader`) and on every VO project (`openstack role add --user <accounting> --project <project> reader`).",
    docsUrl:
      'https://caso.readthedocs.io/en/stable/configuration.html#user-credentials-required',
    requires: ['keystone.reachable'],
    ownerOnlyDetails: ['user'],
  },
  // The token cASO asks for first (below).
  prepare: ({ sessions }) =>
    sessions.accounting?.withScope({ system: 'all' }).token(),
  async run(context) {
    const { sessions } = context;
    if (!sessions.accounting) {
      return {
        status: 'error',
        message:
          'No accounting credential set is configured for this site, so the account cASO uses cannot be tried',
      };
    }
    // As cASO asks: system-scoped first (one token when that works), else the account's own.
    const system = sessions.accounting.withScope({ system: 'all' });
    const systemToken = await system.token();
    if (!systemToken.ok && !refused(systemToken.error)) {
      return couldNotRead(
        'a system-scoped token for the accounting account',
        systemToken.error,
      );
    }
    const token = systemToken.ok
      ? systemToken
      : await sessions.accounting.token();
    if (!token.ok && refused(token.error)) {
      return fail(
        `The accounting account cannot authenticate: ${token.error.message}`,
      );
    }
    if (!token.ok) {
      return couldNotRead('a token for the accounting account', token.error);
    }
    const user = token.value.user;
    const lister: OpenStackSession = systemToken.ok
      ? system
      : sessions.accounting;
    const [users, projects, voProjects] = await Promise.all([
      // By name: the permission is the same, the answer stays small on sites with many users.
      lister.identity.users({ name: user.name }),
      lister.identity.projects(),
      readVoProjects(context),
    ]);
    // The VO projects these assignments give no reader role on.
    const unreadableWith = (list: RoleAssignment[]) => {
      const readable = projectsWithReader(list);
      return voProjects.ok
        ? voProjects.projects.filter(p => !readable.has(p.project.id))
        : [];
    };
    const assignments = await accountAssignments(
      context,
      user.id,
      direct => voProjects.ok && unreadableWith(direct).length === 0,
    );
    const refusedCalls: string[] = [];
    for (const [call, result] of [
      ['identity:list_users', users],
      ['identity:list_projects', projects],
    ] as const) {
      if (result.ok) continue;
      if (!refused(result.error))
        return couldNotRead(`${call} as the accounting account`, result.error);
      refusedCalls.push(call);
    }
    if (!voProjects.ok) return couldNotRead(voProjects.what, voProjects.error);
    if (!assignments.ok) {
      return couldNotRead(
        "the accounting account's role assignments",
        assignments.error,
      );
    }

    // Direct assignments, or (when those do not show it) effective ones, which expand groups
    // and implied roles (member and admin imply reader).
    const unreadable = unreadableWith(assignments.data);
    const details = {
      user: user.name,
      systemScope: systemToken.ok
        ? 'issued'
        : `refused: ${systemToken.error.message}`,
      refused: refusedCalls,
      voProjects: voProjects.projects.map(p => ({
        project: p.project.name,
        vo: p.vo,
      })),
      unreadable: unreadable.map(p => p.project.name),
    };

    const problems: string[] = [];
    if (refusedCalls.length > 0) {
      problems.push(
        `it may not call ${listed(refusedCalls)}${
          systemToken.ok
            ? ''
            : ` (Keystone refused it a system-scoped token, which the default policy since Zed requires: ${systemToken.error.message})`
        }`,
      );
    }
    if (unreadable.length > 0) {
      problems.push(
        `it has no reader role on VO project(s) ${listed(
          unreadable.map(p => `${p.project.name} (${p.vo})`),
        )}`,
      );
    }
    if (problems.length > 0) {
      return fail(`The accounting account: ${problems.join('; ')}`, details);
    }
    if (voProjects.projects.length === 0) {
      return pass(
        `The accounting account authenticates and may list users and projects; no project names a VO yet`,
        details,
      );
    }
    return pass(
      `The accounting account authenticates, may list users and projects${
        systemToken.ok ? ' (system scope)' : ''
      }, and reads all ${voProjects.projects.length} VO projects`,
      details,
    );
  },
};
