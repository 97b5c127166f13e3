import { ServiceClient } from '../service';
import { getAuthCatalog } from './catalog';
import { getDomain, listDomains } from './domains';
import {
  getIdentityProvider,
  getMapping,
  getProtocol,
  listIdentityProviders,
  listMappings,
  listProtocols,
} from './federation';
import { listGroupUsers, listGroups } from './groups';
import { getProject, listAuthProjects, listProjects } from './projects';
import { RoleAssignmentFilters, listRoleAssignments } from './roleAssignments';
import { listRoles } from './roles';
import { getUser, listUsers } from './users';
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
  };
}

export type IdentityApi = ReturnType<typeof identityApi>;
