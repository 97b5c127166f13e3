import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { RoleAssignment } from '../../client/identity/roleAssignments';
import {
  accountAssignments,
  projects,
  projectsWithReader,
} from '../sharedIdentityReads';

/** The metering account can read every project (reader on each, or reader on the system). */
export const accountsMetering: Check<ScanContext> = {
  metadata: {
    id: 'accounts.metering',
    title: 'Metering account reads every project',
    area: 'accounts',
    severity: 'major',
    reads:
      "A token for the metering credential set, Keystone's projects (`GET /v3/projects`) and the account's role assignments (effective ones when the direct ones do not settle it).",
    rule: 'Passes when the account is a system reader or holds reader on every project; fails when it cannot authenticate or some project is left unreadable; errors when no metering credential set is configured or a read fails.',
    remediation:
      'Grant the metering account reader on every project (`openstack role add --user <metering> --project <project> reader`) or on the system (`--system all`).',
    docsUrl:
      'https://docs.openstack.org/keystone/latest/admin/service-api-protection.html',
    requires: ['keystone.reachable'],
    ownerOnlyDetails: ['user'],
  },
  prepare: ({ sessions }) => sessions.metering?.token(),
  async run(context) {
    const { sessions } = context;
    if (!sessions.metering) {
      return {
        status: 'error',
        message:
          'No metering credential set is configured for this site, so its rights cannot be read',
      };
    }
    const token = await sessions.metering.token();
    if (!token.ok) {
      return fail(
        `The metering account cannot authenticate: ${token.error.message}`,
      );
    }
    const user = token.value.user;
    const projectList = await projects(context);
    if (!projectList.ok) return couldNotRead('the projects', projectList.error);
    const systemReader = (list: RoleAssignment[]) =>
      list.some(a => a.role.name === 'reader' && a.scope.system);
    // The projects these assignments give no reader role on.
    const unreadableWith = (list: RoleAssignment[]) => {
      const readable = projectsWithReader(list);
      return projectList.data.filter(p => !p.is_domain && !readable.has(p.id));
    };
    const assignments = await accountAssignments(
      context,
      user.id,
      direct => systemReader(direct) || unreadableWith(direct).length === 0,
    );
    if (!assignments.ok) {
      return couldNotRead(
        "the metering account's role assignments",
        assignments.error,
      );
    }
    if (systemReader(assignments.data)) {
      return pass(`The metering account ${user.name} is a system reader`);
    }
    const unreadable = unreadableWith(assignments.data);
    const details = {
      user: user.name,
      unreadable: unreadable.map(p => p.name),
    };
    if (unreadable.length > 0) {
      return fail(
        `The metering account cannot read ${
          unreadable.length
        } project(s): ${unreadable.map(p => p.name).join(', ')}`,
        details,
      );
    }
    return pass(
      `The metering account reads all ${projectList.data.length} projects`,
      details,
    );
  },
};
