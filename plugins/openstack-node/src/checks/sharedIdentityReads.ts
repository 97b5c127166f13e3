import { ScanContext } from './context';

/** Keystone reads several checks make, each made once per scan through `context.shared`. */

export const keystoneVersions = (context: ScanContext) =>
  context.shared('identity.versions', s => s.reader.identity.versions());

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
