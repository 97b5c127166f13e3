import { RoleAssignment } from '../../client/identity/roleAssignments';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass } from '../outcomes';
import { accountAssignments } from '../sharedIdentityReads';

function scopeName(scope: RoleAssignment['scope']): string {
  if (scope.project) return `project ${scope.project.name ?? scope.project.id}`;
  if (scope.domain) return `domain ${scope.domain.name ?? scope.domain.id}`;
  return 'system';
}

/**
 * The replicator account may create projects, groups and role assignments: it holds admin
 * (on a project, a domain or the system). Read from its role assignments; nothing is written.
 */
export const accountsReplicator: Check<ScanContext> = {
  metadata: {
    id: 'accounts.replicator',
    title: 'Replicator account may manage projects and groups',
    area: 'accounts',
    severity: 'critical',
    reads:
      'A token for the replicator credential set, and its role assignments (direct ones from `GET /v3/role_assignments?include_names`, effective ones when those show no admin); nothing is written.',
    rule: 'Passes when the account holds admin on a project, a domain or the system; fails when it cannot authenticate or holds no admin; errors when no replicator credential set is configured or its assignments cannot be read.',
    remediation:
      'Grant the replicator account admin: `openstack role add --user <replicator> --project admin admin`.',
    docsUrl: 'https://docs.meshcloud.io/meshstack.openstack.index/',
    requires: ['keystone.reachable'],
    ownerOnlyDetails: ['user'],
  },
  prepare: ({ sessions }) => sessions.replicator?.token(),
  async run(context) {
    const { sessions } = context;
    if (!sessions.replicator) {
      return {
        status: 'error',
        message:
          'No replicator credential set is configured for this site, so its rights cannot be read',
      };
    }
    const token = await sessions.replicator.token();
    if (!token.ok) {
      return fail(
        `The replicator account cannot authenticate: ${token.error.message}`,
      );
    }
    const user = token.value.user;
    const assignments = await accountAssignments(context, user.id, direct =>
      direct.some(a => a.role.name === 'admin'),
    );
    if (!assignments.ok) {
      return couldNotRead(
        "the replicator's role assignments",
        assignments.error,
      );
    }
    const roles = assignments.data.map(a => ({
      role: a.role.name ?? a.role.id,
      on: scopeName(a.scope),
    }));
    const admin = roles.filter(r => r.role === 'admin');
    const details = { user: user.name, roles };
    if (admin.length === 0) {
      return fail(
        `The replicator account holds no admin role (it has ${
          roles.map(r => `${r.role} on ${r.on}`).join(', ') || 'no role'
        })`,
        details,
      );
    }
    return pass(
      `The replicator account holds admin on ${admin[0].on}`,
      details,
    );
  },
};
