/*
 * Sign-in with EGI Check-in (or any OpenID Connect provider issuing Check-in's claims): Backstage's
 * own OIDC authenticator (@backstage/plugin-auth-backend-module-oidc-provider), registered as the
 * `oidc` provider with one more sign-in resolver, `checkinEntitlements`, beside the module's own.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
  createSignInResolverFactory,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import {
  oidcAuthenticator,
  OidcAuthResult,
  oidcSignInResolvers,
} from '@backstage/plugin-auth-backend-module-oidc-provider';
import { z } from 'zod/v3';

/**
 * How the resolver turns Check-in's claims into a Backstage identity.
 *
 * @public
 */
export interface CheckinSignInOptions {
  /** Namespace of the user entity ref (`user:<namespace>/<name>`). Default `default`. */
  userNamespace?: string;
  /** Namespace of the groups a VO maps to by name. Default `default`. */
  groupNamespace?: string;
  /** What an entitlement starts with before the group path. Default `urn:mace:egi.eu:group:`. */
  entitlementPrefix?: string;
  /** The authority after `#`: entitlements of any other are ignored. Default `aai.egi.eu`. */
  authority?: string;
  /** Roles that make a membership (`role=<role>`; none written means member). Default `[member]`. */
  roles?: string[];
  /** Group paths (a VO, or `<vo>:<subgroup>`) mapped to given catalog groups. */
  groups?: Array<{ checkinGroup: string; catalogGroup: string }>;
  /**
   * What a VO that `groups` does not list maps to: `by-name` (default), the group of the same
   * name in `groupNamespace`; `ignore`, nothing. Subgroups map only when listed.
   */
  unlistedGroups?: 'by-name' | 'ignore';
}

// An entity name: letters and digits, separated by single - _ or . (at most 63 characters).
const ENTITY_NAME = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;
const validName = (name: string) => name.length <= 63 && ENTITY_NAME.test(name);

/**
 * The user entity ref of a Check-in subject: `<id>@egi.eu` gives `user:<namespace>/<id>` (cut
 * to the 63 characters an entity name may have: Check-in's ids are 64 hex digits).
 *
 * @public
 */
export function userRefFromSubject(
  subject: string,
  namespace = 'default',
): string {
  const at = subject.lastIndexOf('@');
  const name = (at > 0 ? subject.slice(0, at) : subject).slice(0, 63);
  if (!validName(name))
    throw new Error(
      `The subject ${JSON.stringify(subject)} does not make a user name`,
    );
  return stringifyEntityRef({ kind: 'user', namespace, name }).toLowerCase();
}

/**
 * The catalog groups a user's entitlements make them a member of (AARC-G002:
 * `<prefix><vo>[:<subgroup>…][:role=<role>]#<authority>`), as lower-case entity refs.
 *
 * @public
 */
export function groupRefsFromEntitlements(
  entitlements: readonly unknown[],
  options: CheckinSignInOptions = {},
): string[] {
  const prefix = options.entitlementPrefix ?? 'urn:mace:egi.eu:group:';
  const authority = options.authority ?? 'aai.egi.eu';
  const roles = new Set(options.roles ?? ['member']);
  const groupNamespace = options.groupNamespace ?? 'default';
  const listed = new Map<string, string[]>();
  for (const { checkinGroup, catalogGroup } of options.groups ?? []) {
    const ref = stringifyEntityRef(
      parseEntityRef(catalogGroup, {
        defaultKind: 'group',
        defaultNamespace: groupNamespace,
      }),
    ).toLowerCase();
    listed.set(checkinGroup, [...(listed.get(checkinGroup) ?? []), ref]);
  }
  const refs = new Set<string>();
  for (const entitlement of entitlements) {
    if (typeof entitlement !== 'string' || !entitlement.startsWith(prefix))
      continue;
    const hash = entitlement.lastIndexOf('#');
    if (hash < 0 || entitlement.slice(hash + 1) !== authority) continue;
    const parts = entitlement.slice(prefix.length, hash).split(':');
    const role = parts[parts.length - 1].startsWith('role=')
      ? parts.pop()!.slice('role='.length)
      : 'member';
    if (!roles.has(role) || parts.some(part => !part)) continue;
    const path = parts.join(':');
    const mapped = listed.get(path);
    if (mapped) mapped.forEach(ref => refs.add(ref));
    else if (
      parts.length === 1 &&
      (options.unlistedGroups ?? 'by-name') === 'by-name' &&
      validName(path)
    )
      refs.add(`group:${groupNamespace}/${path}`.toLowerCase());
  }
  return [...refs].sort();
}

const optionsSchema = z
  .object({
    userNamespace: z.string().optional(),
    groupNamespace: z.string().optional(),
    entitlementPrefix: z.string().optional(),
    authority: z.string().optional(),
    roles: z.array(z.string()).optional(),
    groups: z
      .array(z.object({ checkinGroup: z.string(), catalogGroup: z.string() }))
      .optional(),
    unlistedGroups: z.enum(['by-name', 'ignore']).optional(),
  })
  .optional();

/**
 * Signs in the subject as `user:<namespace>/<id>` whether or not the catalog holds that user:
 * the token's ownership refs are the user, the groups a catalog entity of that name is a member
 * of (when there is one), and the groups its entitlements map to.
 *
 * @public
 */
export function checkinSignInResolver(
  options: CheckinSignInOptions = {},
): SignInResolver<OAuthAuthenticatorResult<OidcAuthResult>> {
  return async ({ result }, ctx) => {
    const { userinfo } = result.fullProfile;
    const userRef = userRefFromSubject(userinfo.sub, options.userNamespace);
    const entitlements = userinfo.eduperson_entitlement;
    const groups = groupRefsFromEntitlements(
      Array.isArray(entitlements) ? entitlements : [],
      options,
    );
    let catalogGroups: string[] = [];
    try {
      const { entity } = await ctx.findCatalogUser({ entityRef: userRef });
      catalogGroups = (entity.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef.toLowerCase());
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
    }
    return ctx.issueToken({
      claims: {
        sub: userRef,
        ent: [...new Set([userRef, ...catalogGroups, ...groups])],
      },
    });
  };
}

/**
 * The `checkinEntitlements` sign-in resolver factory, for `signInResolverFactories`.
 *
 * @public
 */
export const checkinSignInResolvers = {
  checkinEntitlements: createSignInResolverFactory({
    optionsSchema,
    create: options => checkinSignInResolver(options ?? {}),
  }),
};

/**
 * The `oidc` auth provider: Backstage's OIDC authenticator with Check-in's resolver added.
 *
 * @public
 */
export const authModuleCheckinOidcProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'checkin-oidc-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolverFactories: {
              ...oidcSignInResolvers,
              ...checkinSignInResolvers,
            },
          }),
        });
      },
    });
  },
});
