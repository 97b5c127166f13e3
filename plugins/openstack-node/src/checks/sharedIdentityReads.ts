import { HttpResult } from '../client/http';
import { ApiVersion } from '../client/discovery';
import { versionRootUrl } from '../client/endpointUrl';
import { RoleAssignment } from '../client/identity/roleAssignments';
import { IDENTITY_VERSION_DISCOVERY } from '../client/identity/versions';
import { rootAnswer } from './sharedReads';
import { ScanContext } from './context';

/** Keystone reads several checks make, each made once per scan through `context.shared`. */

/**
 * Keystone's `GET /`, judged as version discovery. The services.* checks read the same URL
 * (the catalog's identity endpoint, as a rule): one request for all of them.
 */
export async function keystoneVersions(
  context: ScanContext,
): Promise<HttpResult<ApiVersion[]>> {
  const { reader } = context.sessions;
  const answer = await rootAnswer(context, versionRootUrl(reader.keystoneUrl));
  return answer.ok
    ? reader.http.judgeAnswer(IDENTITY_VERSION_DISCOVERY, answer)
    : answer;
}

export const identityProvider = (context: ScanContext) =>
  context.shared(`identity.provider:${context.settings.identityProvider}`, s =>
    s.reader.identity.identityProvider(context.settings.identityProvider),
  );

export const identityProviderProtocols = (context: ScanContext) =>
  context.shared(`identity.protocols:${context.settings.identityProvider}`, s =>
    s.reader.identity.protocols(context.settings.identityProvider),
  );

export const projects = (context: ScanContext) =>
  context.shared('identity.projects', s => s.reader.identity.projects());

export const groups = (context: ScanContext) =>
  context.shared('identity.groups', s => s.reader.identity.groups());

export const domains = (context: ScanContext) =>
  context.shared('identity.domains', s => s.reader.identity.domains());

export const roleAssignmentsWithNames = (context: ScanContext) =>
  context.shared('identity.role-assignments', s =>
    s.reader.identity.roleAssignments({ include_names: true }),
  );

export const mapping = (context: ScanContext, id: string) =>
  context.shared(`identity.mapping:${id}`, s => s.reader.identity.mapping(id));

/** The projects on which these assignments give the reader role. */
export function projectsWithReader(list: RoleAssignment[]): Set<string> {
  return new Set(
    list.flatMap(a =>
      a.role.name === 'reader' && a.scope.project ? [a.scope.project.id] : [],
    ),
  );
}

/**
 * A platform account's role assignments, for a check looking for a role. Its direct assignments
 * come from the scan's shared list; when they already show what the check wants (`enough`),
 * that is the answer. Otherwise one more read: the account's effective assignments (groups,
 * inherited and implied roles expanded: admin implies member implies reader). Sites usually
 * grant these accounts directly, so the per-account read, among Keystone's costlier ones, is
 * mostly saved.
 */
export async function accountAssignments(
  context: ScanContext,
  userId: string,
  enough: (direct: RoleAssignment[]) => boolean,
): Promise<HttpResult<RoleAssignment[]>> {
  const all = await roleAssignmentsWithNames(context);
  if (all.ok) {
    const direct = all.data.filter(a => a.user?.id === userId);
    if (enough(direct)) return { ...all, data: direct };
  }
  return context.sessions.reader.identity.roleAssignments({
    'user.id': userId,
    effective: true,
    include_names: true,
  });
}
