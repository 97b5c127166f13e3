import { z } from 'zod';
import { OpenStackHttp, OpenStackHttpOptions } from '../client/http';
import { Credential, DomainRef, Scope } from '../client/identity/tokens';
import { OidcTokenSource, oidcTokenSource } from './oidcTokenSource';
import {
  CaCertificatesError,
  CaLocations,
  readCaCertificates,
} from './caCertificates';

/**
 * One account as configured, for `fedstack scan` (its JSON config, clouds.yaml, `OS_*`) and for
 * the backend's credential sets alike, and the one converter to the client's {@link Credential}.
 * The kinds are keystoneauth's: `password` (v3password), `application-credential`
 * (v3applicationcredential: by id, or by name with its user), `oidc-access-token` (v3oidcaccesstoken: identity provider, protocol,
 * access token → federated unscoped token → scoped token), `oidc-client-credentials`
 * (v3oidcclientcredentials) and `oidc-refresh-token` (a refresh token exchanged at the token
 * endpoint, as fedcloudclient and ARGO's token fetcher do). Every secret may be named by
 * environment variable (`passwordEnv`, …) instead of written.
 */

/** Other spellings of the kinds: keystoneauth's plugin names, the backend's earlier one. */
const TYPE_ALIASES: Record<string, string> = {
  v3password: 'password',
  applicationCredential: 'application-credential',
  v3applicationcredential: 'application-credential',
  v3oidcaccesstoken: 'oidc-access-token',
  oidcAccessToken: 'oidc-access-token',
  v3oidcclientcredentials: 'oidc-client-credentials',
  oidcClientCredentials: 'oidc-client-credentials',
  v3oidcrefreshtoken: 'oidc-refresh-token',
  oidcRefreshToken: 'oidc-refresh-token',
};

const name = z.string().min(1);
const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http or https URL',
});

/** A secret written in the config, or the name of the environment variable holding it. */
function secretFields<K extends string>(key: K) {
  return {
    [key]: name.optional(),
    [`${key}Env`]: name.optional(),
  } as Record<K | `${K}Env`, z.ZodOptional<z.ZodString>>;
}

/** The token's scope: a project by id, or by name in a domain (by id or name; default `Default`). */
const projectScopeFields = {
  project: name.optional(),
  projectId: name.optional(),
  projectDomain: name.optional(),
  projectDomainId: name.optional(),
};

/**
 * `identityScope: system`: Keystone's identity reads (federation, role assignments, users,
 * projects) with a system-scoped token, the services' reads with the project-scoped one: a
 * read-only account (reader on the system and on a project) under Keystone's default policies.
 */
const identityScopeFields = {
  identityScope: z.enum(['system']).optional(),
};

const identityScopeNeedsProject = (c: {
  identityScope?: string;
  project?: string;
  projectId?: string;
}) => !c.identityScope || !!c.project || !!c.projectId;
const identityScopeNeedsProjectMessage = {
  message:
    'identityScope: system needs a project (project or projectId) for the services’ reads: Nova, Glance, Cinder and Neutron take project-scoped tokens only',
  path: ['identityScope'],
};

/** Where the federation auth path is served when not at Keystone's URL (a proxy in front). */
const federationFields = {
  identityProvider: name,
  protocol: name,
  authUrl: httpUrl.optional(),
};

const tokenEndpointFields = {
  /** The issuer's token endpoint (keystoneauth's `access_token_endpoint`). */
  tokenUrl: httpUrl,
  clientId: name,
  ...secretFields('clientSecret'),
  /** Scopes asked for, space-separated (keystoneauth's `openid_scope`). */
  scope: name.optional(),
  /** PEM file of the token endpoint's CA, when not a public one (a directory is read as caPath). */
  caFile: name.optional(),
  /** Directory of the token endpoint's CA certificates (`<hash>.0`, *.pem), as OpenSSL's capath. */
  caPath: name.optional(),
};

const has = (value: object, key: string) =>
  !!(value as Record<string, unknown>)[key] ||
  !!(value as Record<string, unknown>)[`${key}Env`];

const needs = (key: string) => ({
  message: `needs ${key} or ${key}Env`,
  path: [key],
});

const passwordSchema = z
  .object({
    type: z.literal('password'),
    username: name,
    ...secretFields('password'),
    userDomain: name.optional(),
    userDomainId: name.optional(),
    ...projectScopeFields,
    ...identityScopeFields,
  })
  .strict()
  .refine(c => has(c, 'password'), needs('password'))
  .refine(identityScopeNeedsProject, identityScopeNeedsProjectMessage);

// By id, or by name with its owner (keystoneauth's application_credential_name with user_id, or
// username and the user's domain): names are unique per user only.
const applicationCredentialSchema = z
  .object({
    type: z.literal('application-credential'),
    id: name.optional(),
    name: name.optional(),
    userId: name.optional(),
    username: name.optional(),
    userDomain: name.optional(),
    userDomainId: name.optional(),
    ...secretFields('secret'),
  })
  .strict()
  .refine(c => has(c, 'secret'), needs('secret'))
  .refine(c => c.id || c.name, {
    message: 'needs id, or name with userId or username',
    path: ['id'],
  })
  .refine(c => c.id || !c.name || c.userId || c.username, {
    message:
      'name needs its owner: userId, or username (with userDomain or userDomainId; default Default)',
    path: ['name'],
  });

const oidcAccessTokenSchema = z
  .object({
    type: z.literal('oidc-access-token'),
    ...federationFields,
    ...secretFields('accessToken'),
    ...projectScopeFields,
    ...identityScopeFields,
  })
  .strict()
  .refine(c => has(c, 'accessToken'), needs('accessToken'))
  .refine(identityScopeNeedsProject, identityScopeNeedsProjectMessage);

const oidcClientCredentialsSchema = z
  .object({
    type: z.literal('oidc-client-credentials'),
    ...federationFields,
    ...tokenEndpointFields,
    ...projectScopeFields,
    ...identityScopeFields,
  })
  .strict()
  .refine(c => has(c, 'clientSecret'), needs('clientSecret'))
  .refine(identityScopeNeedsProject, identityScopeNeedsProjectMessage);

const oidcRefreshTokenSchema = z
  .object({
    type: z.literal('oidc-refresh-token'),
    ...federationFields,
    ...tokenEndpointFields,
    ...secretFields('refreshToken'),
    ...projectScopeFields,
    ...identityScopeFields,
  })
  .strict()
  .refine(c => has(c, 'refreshToken'), needs('refreshToken'))
  .refine(identityScopeNeedsProject, identityScopeNeedsProjectMessage);

export const CREDENTIAL_TYPES = [
  'password',
  'application-credential',
  'oidc-access-token',
  'oidc-client-credentials',
  'oidc-refresh-token',
] as const;

export const credentialConfigSchema = z.preprocess(
  value => {
    if (value && typeof value === 'object' && 'type' in value) {
      const type = (value as { type: unknown }).type;
      if (typeof type === 'string' && TYPE_ALIASES[type]) {
        return { ...value, type: TYPE_ALIASES[type] };
      }
    }
    return value;
  },
  z.discriminatedUnion(
    'type',
    [
      passwordSchema,
      applicationCredentialSchema,
      oidcAccessTokenSchema,
      oidcClientCredentialsSchema,
      oidcRefreshTokenSchema,
    ],
    {
      error: `type must be one of ${CREDENTIAL_TYPES.join(
        ', ',
      )} (or keystoneauth's v3password, v3applicationcredential, v3oidcaccesstoken, v3oidcclientcredentials)`,
    },
  ),
);

export type CredentialConfig = z.output<typeof credentialConfigSchema>;
export type CredentialType = CredentialConfig['type'];

export class CredentialConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** A secret of the config: written, or read from the environment variable it names. */
function secretOf(
  config: CredentialConfig,
  key: string,
  env: Env,
  where: string,
): string | undefined {
  const fields = config as Record<string, string | undefined>;
  if (fields[key]) return fields[key];
  const variable = fields[`${key}Env`];
  if (!variable) return undefined;
  const value = env[variable];
  if (!value) {
    throw new CredentialConfigError(
      `${where}: environment variable ${variable} is not set`,
    );
  }
  return value;
}

const SECRET_KEYS = [
  'password',
  'secret',
  'accessToken',
  'clientSecret',
  'refreshToken',
];

/** Every secret of an account (for the redactor), read as {@link toCredential} reads them. */
export function credentialSecrets(
  config: CredentialConfig,
  env: Env = {},
  where = 'credential',
): string[] {
  return SECRET_KEYS.map(key => secretOf(config, key, env, where)).filter(
    (s): s is string => !!s,
  );
}

function domainRef(id?: string, domainName?: string): DomainRef {
  if (id) return { id };
  return { name: domainName ?? 'Default' };
}

function projectScope(config: {
  project?: string;
  projectId?: string;
  projectDomain?: string;
  projectDomainId?: string;
}): Scope | undefined {
  if (config.projectId) return { project: { id: config.projectId } };
  if (config.project) {
    return {
      project: {
        name: config.project,
        domain: domainRef(config.projectDomainId, config.projectDomain),
      },
    };
  }
  return undefined;
}

/** The scope of the account's identity calls, when it names one (`identityScope`). */
function identityScope(config: {
  identityScope?: 'system';
}): Scope | undefined {
  return config.identityScope === 'system' ? { system: 'all' } : undefined;
}

export interface ToCredentialOptions {
  /** Where `*Env` secrets are read. */
  env?: Env;
  /** The account's place in the config, for messages (`credentials.reader`). */
  where?: string;
  /**
   * The token sources of `oidc-client-credentials` and `oidc-refresh-token` accounts: kept for
   * as long as the caller lives, so a rotated refresh token is the one used next.
   */
  tokenSources?: OidcTokenSources;
}

/** The client's credential and the secrets to redact. */
export function toCredential(
  config: CredentialConfig,
  options: ToCredentialOptions = {},
): { credential: Credential; secrets: string[] } {
  const env = options.env ?? {};
  const where = options.where ?? 'credential';
  const secrets = credentialSecrets(config, env, where);
  const secret = (key: string) => secretOf(config, key, env, where)!;
  switch (config.type) {
    case 'password':
      return {
        secrets,
        credential: {
          type: 'password',
          username: config.username,
          password: secret('password'),
          userDomain: domainRef(config.userDomainId, config.userDomain),
          scope: projectScope(config),
          identityScope: identityScope(config),
        },
      };
    case 'application-credential':
      return {
        secrets,
        credential: config.id
          ? {
              type: 'application-credential',
              id: config.id,
              secret: secret('secret'),
            }
          : {
              type: 'application-credential',
              name: config.name!,
              user: config.userId
                ? { id: config.userId }
                : {
                    name: config.username!,
                    domain: domainRef(config.userDomainId, config.userDomain),
                  },
              secret: secret('secret'),
            },
      };
    case 'oidc-access-token':
      return {
        secrets,
        credential: {
          type: 'oidc',
          identityProvider: config.identityProvider,
          protocol: config.protocol,
          accessToken: secret('accessToken'),
          authUrl: config.authUrl,
          scope: projectScope(config),
          identityScope: identityScope(config),
        },
      };
    default: {
      const sources = options.tokenSources;
      if (!sources) {
        throw new CredentialConfigError(
          `${where}: ${config.type} needs a token source (a caller error)`,
        );
      }
      const source = sources.for(config, {
        clientSecret: secretOf(config, 'clientSecret', env, where),
        refreshToken:
          config.type === 'oidc-refresh-token'
            ? secret('refreshToken')
            : undefined,
        where,
      });
      return {
        secrets,
        credential: {
          type: 'oidc',
          identityProvider: config.identityProvider,
          protocol: config.protocol,
          accessToken: () => source.accessToken(),
          authUrl: config.authUrl,
          scope: projectScope(config),
          identityScope: identityScope(config),
        },
      };
    }
  }
}

type TokenEndpointConfig = Extract<
  CredentialConfig,
  { type: 'oidc-client-credentials' | 'oidc-refresh-token' }
>;

/**
 * The token sources of the token-endpoint kinds, one per account config, each asking through an
 * http of its own CA file. `close()` closes those clients.
 */
export class OidcTokenSources {
  private readonly sources = new WeakMap<object, OidcTokenSource>();
  private readonly clients = new Map<string, OpenStackHttp>();

  constructor(private readonly httpOptions: OpenStackHttpOptions = {}) {}

  for(
    // The federated login's token source (sources.federationLogin) has these fields too.
    config: Pick<
      TokenEndpointConfig,
      'tokenUrl' | 'clientId' | 'scope' | 'caFile' | 'caPath'
    >,
    secrets: { clientSecret?: string; refreshToken?: string; where: string },
  ): OidcTokenSource {
    const known = this.sources.get(config);
    if (known) return known;
    const source = oidcTokenSource({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken,
      scope: config.scope,
      http: this.httpFor(config, secrets.where),
    });
    this.sources.set(config, source);
    return source;
  }

  close(): void {
    for (const http of this.clients.values()) http.close();
    this.clients.clear();
  }

  private httpFor(locations: CaLocations, where: string): OpenStackHttp {
    const key = JSON.stringify([locations.caFile, locations.caPath]);
    let http = this.clients.get(key);
    if (!http) {
      const ca = caCertificatesOf(locations, where);
      http = new OpenStackHttp({
        ...this.httpOptions,
        ca: ca ?? this.httpOptions.ca,
      });
      this.clients.set(key, http);
    }
    return http;
  }
}

/**
 * The CA certificates of a CA file and/or directory ({@link readCaCertificates}), a problem named
 * by its place in the config (`credentials.reader.caPath: no CA certificate in …`).
 */
export function caCertificatesOf(
  locations: CaLocations,
  where: string,
): string[] | undefined {
  try {
    return readCaCertificates(locations);
  } catch (error) {
    if (error instanceof CaCertificatesError) {
      throw new CredentialConfigError(
        `${where}.${error.key}: ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * An account as people name it, with nothing secret, e.g. `admin (project admin)` or
 * `OIDC client ops-prober through egi.eu (project ops)`: what the console says it runs with.
 */
export function describeAccount(config: CredentialConfig): string {
  const scope = (c: {
    project?: string;
    projectId?: string;
    identityScope?: 'system';
  }) => {
    const parts = [
      ...(c.project || c.projectId
        ? [`project ${c.project ?? c.projectId}`]
        : []),
      ...(c.identityScope === 'system' ? ['system scope for Keystone'] : []),
    ];
    return parts.length > 0 ? ` (${parts.join('; ')})` : '';
  };
  switch (config.type) {
    case 'password':
      return `${config.username}${scope(config)}`;
    case 'application-credential':
      return `application credential ${config.name ?? config.id}${
        config.username || config.userId
          ? ` of ${config.username ?? config.userId}`
          : ''
      }`;
    case 'oidc-access-token':
      return `an OIDC access token through ${config.identityProvider}${scope(
        config,
      )}`;
    case 'oidc-client-credentials':
    case 'oidc-refresh-token':
      return `OIDC client ${config.clientId} through ${
        config.identityProvider
      }${scope(config)}`;
    default:
      return 'the site’s reader account';
  }
}
