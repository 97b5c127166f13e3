import { z } from 'zod';
import { HttpResult } from '../http';
import { ServiceClient } from '../service';
import { catalogSchema } from './catalog';

/**
 * Keystone authentication (`POST /v3/auth/tokens`, and the OIDC federation auth URL): the
 * request bodies of each method and the token they give back.
 */

export type DomainRef = { id: string } | { name: string };

export type Scope =
  | { project: { id: string } | { name: string; domain: DomainRef } }
  | { domain: DomainRef }
  | { system: 'all' }
  | 'unscoped';

export interface PasswordCredential {
  type: 'password';
  username: string;
  password: string;
  /** Default `{ id: 'default' }`. */
  userDomain?: DomainRef;
  /** Default: unscoped (Keystone then uses the user's default project, if any). */
  scope?: Scope;
  /**
   * The scope of the token for Keystone's own API, when not `scope`. A read-only account under
   * Keystone's default policies (`enforce_new_defaults`) needs two: Keystone's identity reads
   * (identity providers, mappings, role assignments, users, groups, domains, projects) want
   * admin or a system-scoped token with the reader role, while Nova, Glance, Cinder and Neutron
   * take project-scoped tokens only. `identityScope: { system: 'all' }` with a project `scope`
   * gives it both: identity calls use the system-scoped token, the services (and the catalog)
   * the project-scoped one.
   */
  identityScope?: Scope;
}

/** By id, or by name with its owner (names are unique per user only), as Keystone takes it. */
export type ApplicationCredential = {
  type: 'application-credential';
  secret: string;
} & (
  | { id: string }
  | {
      name: string;
      user: { id: string } | { name: string; domain: DomainRef };
    }
);

export interface OidcCredential {
  type: 'oidc';
  /** `egi.eu` on EGI sites. */
  identityProvider: string;
  /** `openid` on EGI sites. */
  protocol: string;
  /** An OIDC access token, or a function that gets a fresh one (e.g. a refresh-token grant). */
  accessToken: string | (() => Promise<string>);
  /** Where the federation auth path is served, when not at Keystone's URL (a proxy in front). */
  authUrl?: string;
  scope?: Scope;
  /** As the password credential's: the scope of identity calls, when not `scope`. */
  identityScope?: Scope;
}

export type Credential =
  | PasswordCredential
  | ApplicationCredential
  | OidcCredential;

const nameRef = z.looseObject({ id: z.string(), name: z.string().optional() });

export const tokenBodySchema = z.looseObject({
  token: z.looseObject({
    methods: z.array(z.string()),
    expires_at: z.string(),
    issued_at: z.string().optional(),
    audit_ids: z.array(z.string()).optional(),
    user: z.looseObject({
      id: z.string(),
      name: z.string(),
      domain: nameRef,
      'OS-FEDERATION': z.looseObject({}).optional(),
    }),
    project: z
      .looseObject({ id: z.string(), name: z.string(), domain: nameRef })
      .optional(),
    domain: nameRef.optional(),
    system: z.record(z.string(), z.unknown()).optional(),
    roles: z
      .array(z.looseObject({ id: z.string(), name: z.string() }))
      .optional(),
    catalog: catalogSchema.optional(),
  }),
});

type TokenBody = z.infer<typeof tokenBodySchema>['token'];

/** An issued token: its id (the X-Subject-Token header) and what Keystone said about it. */
export interface Token {
  id: string;
  expiresAt: Date;
  issuedAt?: Date;
  methods: string[];
  user: TokenBody['user'];
  project?: TokenBody['project'];
  domain?: TokenBody['domain'];
  system?: TokenBody['system'];
  roles: NonNullable<TokenBody['roles']>;
  catalog: NonNullable<TokenBody['catalog']>;
}

/** The `scope` part of an auth body. */
export function scopeBody(scope: Scope | undefined): object | undefined {
  if (!scope || scope === 'unscoped') return undefined;
  if ('system' in scope) return { system: { all: true } };
  return scope;
}

/** The auth body of a password or application credential (OIDC uses another URL). */
export function authBody(
  credential: PasswordCredential | ApplicationCredential,
  scope?: Scope,
): object {
  if (credential.type === 'application-credential') {
    // An application credential carries its own scope: Keystone refuses another one.
    return {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential:
            'id' in credential
              ? { id: credential.id, secret: credential.secret }
              : {
                  name: credential.name,
                  user: credential.user,
                  secret: credential.secret,
                },
        },
      },
    };
  }
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: credential.username,
            domain: credential.userDomain ?? { id: 'default' },
            password: credential.password,
          },
        },
      },
      scope: scopeBody(scope ?? credential.scope),
    },
  };
}

/** The auth body that trades a token for another scope (no password involved). */
export function tokenAuthBody(tokenId: string, scope: Scope): object {
  return {
    auth: {
      identity: { methods: ['token'], token: { id: tokenId } },
      scope: scopeBody(scope),
    },
  };
}

/** `POST /v3/auth/tokens` with an auth body. */
export async function createToken(
  identity: ServiceClient,
  body: object,
): Promise<HttpResult<Token>> {
  const result = await identity.request({
    method: 'POST',
    path: '/v3/auth/tokens',
    body,
    authenticated: false,
    schema: tokenBodySchema,
  });
  return toToken(identity, result);
}

/**
 * `POST /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth` with an OIDC
 * access token: an unscoped token of the federated user (how EGI's monitoring logs in).
 */
export async function createFederatedToken(
  identity: ServiceClient,
  input: {
    identityProvider: string;
    protocol: string;
    accessToken: string;
    /** Base URL (up to and without `/v3`) when not Keystone's own. */
    authUrl?: string;
  },
): Promise<HttpResult<Token>> {
  identity.http.addSecrets(input.accessToken);
  const path = `/v3/OS-FEDERATION/identity_providers/${encodeURIComponent(
    input.identityProvider,
  )}/protocols/${encodeURIComponent(input.protocol)}/auth`;
  const result = await identity.request({
    method: 'POST',
    path,
    url: input.authUrl
      ? `${input.authUrl.replace(/\/+$/, '').replace(/\/v3$/, '')}${path}`
      : undefined,
    headers: { Authorization: `Bearer ${input.accessToken}` },
    authenticated: false,
    schema: tokenBodySchema,
  });
  return toToken(identity, result);
}

function toToken(
  identity: ServiceClient,
  result: HttpResult<z.infer<typeof tokenBodySchema>>,
): HttpResult<Token> {
  if (!result.ok) return result;
  const id = result.headers['x-subject-token'];
  if (!id) {
    return {
      ok: false,
      error: {
        kind: 'schema',
        status: result.status,
        message: 'token issued without an X-Subject-Token header',
      },
      evidence: result.evidence,
    };
  }
  const body = result.data.token;
  const expiresAt = new Date(body.expires_at);
  // From now on this token is a secret wherever it shows up (until well after it expires).
  if (Number.isNaN(expiresAt.getTime())) identity.http.addSecrets(id);
  else identity.http.addExpiringSecret(id, expiresAt);
  if (Number.isNaN(expiresAt.getTime())) {
    return {
      ok: false,
      error: {
        kind: 'schema',
        status: result.status,
        message: `token.expires_at: not a date (${body.expires_at})`,
      },
      evidence: result.evidence,
    };
  }
  const issuedAt = body.issued_at ? new Date(body.issued_at) : undefined;
  return {
    ...result,
    data: {
      id,
      expiresAt,
      issuedAt:
        issuedAt && !Number.isNaN(issuedAt.getTime()) ? issuedAt : undefined,
      methods: body.methods,
      user: body.user,
      project: body.project,
      domain: body.domain,
      system: body.system,
      roles: body.roles ?? [],
      catalog: body.catalog ?? [],
    },
  };
}
