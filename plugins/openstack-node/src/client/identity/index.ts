import { ServiceClient } from '../service';
import { getAuthCatalog } from './catalog';
import {
  createDomain,
  deleteDomain,
  getDomain,
  listDomains,
  updateDomain,
} from './domains';
import {
  getIdentityProvider,
  getMapping,
  getProtocol,
  listIdentityProviders,
  listMappings,
  listProtocols,
} from './federation';
import {
  createGroup,
  deleteGroup,
  groupMembership,
  listGroupUsers,
  listGroups,
} from './groups';
import {
  ProjectWrite,
  createProject,
  deleteProject,
  getProject,
  listAuthProjects,
  listProjects,
  updateProject,
} from './projects';
import { RoleAssignmentFilters, listRoleAssignments } from './roleAssignments';
import { listRoles, projectGroupRole, projectUserRole } from './roles';
import { createUser, deleteUser, getUser, listUsers } from './users';
import { getIdentityV3Version, listIdentityVersions } from './versions';

/** Keystone's calls bound to one session's identity client: `session.identity.listUsers()`. */
export function identityApi(identity: ServiceClient) {
  return {
    client: identity,
    versions: () => listIdentityVersions(identity),
    v3Version: () => getIdentityV3Version(identity),
    authCatalog: () => getAuthCatalog(identity),
    authProjects: () => listAuthProjects(identity),
    domains: (filters?: Parameters<typeof listDomains>[1]) =>
      listDomains(identity, filters),
    domain: (id: string) => getDomain(identity, id),
    projects: (filters?: Parameters<typeof listProjects>[1]) =>
      listProjects(identity, filters),
    project: (id: string) => getProject(identity, id),
    groups: (filters?: Parameters<typeof listGroups>[1]) =>
      listGroups(identity, filters),
    groupUsers: (groupId: string) => listGroupUsers(identity, groupId),
    users: (filters?: Parameters<typeof listUsers>[1]) =>
      listUsers(identity, filters),
    user: (id: string) => getUser(identity, id),
    roles: (filters?: Parameters<typeof listRoles>[1]) =>
      listRoles(identity, filters),
    roleAssignments: (filters?: RoleAssignmentFilters) =>
      listRoleAssignments(identity, filters),
    identityProviders: () => listIdentityProviders(identity),
    identityProvider: (id: string) => getIdentityProvider(identity, id),
    protocols: (identityProviderId: string) =>
      listProtocols(identity, identityProviderId),
    protocol: (identityProviderId: string, protocolId: string) =>
      getProtocol(identity, identityProviderId, protocolId),
    mappings: () => listMappings(identity),
    mapping: (id: string) => getMapping(identity, id),

    // Writes: only the replicator's plan (and test set-up) call these.
    createDomain: (domain: Parameters<typeof createDomain>[1]) =>
      createDomain(identity, domain),
    updateDomain: (id: string, changes: Parameters<typeof updateDomain>[2]) =>
      updateDomain(identity, id, changes),
    deleteDomain: (id: string) => deleteDomain(identity, id),
    createProject: (project: ProjectWrite) => createProject(identity, project),
    updateProject: (id: string, changes: ProjectWrite) =>
      updateProject(identity, id, changes),
    deleteProject: (id: string) => deleteProject(identity, id),
    createGroup: (group: Parameters<typeof createGroup>[1]) =>
      createGroup(identity, group),
    deleteGroup: (id: string) => deleteGroup(identity, id),
    addUserToGroup: (groupId: string, userId: string) =>
      groupMembership(identity, 'PUT', groupId, userId),
    removeUserFromGroup: (groupId: string, userId: string) =>
      groupMembership(identity, 'DELETE', groupId, userId),
    checkUserInGroup: (groupId: string, userId: string) =>
      groupMembership(identity, 'HEAD', groupId, userId),
    grantProjectGroupRole: (
      projectId: string,
      groupId: string,
      roleId: string,
    ) => projectGroupRole(identity, 'PUT', { projectId, groupId, roleId }),
    revokeProjectGroupRole: (
      projectId: string,
      groupId: string,
      roleId: string,
    ) => projectGroupRole(identity, 'DELETE', { projectId, groupId, roleId }),
    checkProjectGroupRole: (
      projectId: string,
      groupId: string,
      roleId: string,
    ) => projectGroupRole(identity, 'HEAD', { projectId, groupId, roleId }),
    grantProjectUserRole: (projectId: string, userId: string, roleId: string) =>
      projectUserRole(identity, 'PUT', { projectId, userId, roleId }),
    revokeProjectUserRole: (
      projectId: string,
      userId: string,
      roleId: string,
    ) => projectUserRole(identity, 'DELETE', { projectId, userId, roleId }),
    checkProjectUserRole: (projectId: string, userId: string, roleId: string) =>
      projectUserRole(identity, 'HEAD', { projectId, userId, roleId }),
    createUser: (user: Parameters<typeof createUser>[1]) =>
      createUser(identity, user),
    deleteUser: (id: string) => deleteUser(identity, id),
  };
}

export type IdentityApi = ReturnType<typeof identityApi>;
