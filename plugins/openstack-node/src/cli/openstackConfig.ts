import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The connection settings an `openstack` CLI user already has, read as python-openstackclient
 * and openstacksdk read them: a cloud of clouds.yaml (named by `--os-cloud` or `OS_CLOUD`) with
 * secure.yaml merged over it, then the `OS_*` environment over that, then command-line flags
 * over both. Keys are openstacksdk's (`auth.project_name`, `region_name`), hyphens or
 * underscores alike.
 */

/** One setting: its key (under `auth` or not), environment variable and flag. */
export interface OpenStackOption {
  key: string;
  auth: boolean;
  env: string[];
  /** Absent for secrets: on a command line every user of the machine can read them. */
  flag?: string;
  help: string;
}

const option = (
  key: string,
  auth: boolean,
  env: string | string[],
  flag: boolean,
  help: string,
): OpenStackOption => ({
  key,
  auth,
  env: Array.isArray(env) ? env : [env],
  flag: flag ? `os-${key.replace(/_/g, '-')}` : undefined,
  help,
});

export const OPENSTACK_OPTIONS: OpenStackOption[] = [
  option(
    'auth_type',
    false,
    'OS_AUTH_TYPE',
    true,
    'password, v3applicationcredential, v3oidcaccesstoken, v3oidcclientcredentials or v3oidcrefreshtoken',
  ),
  option('auth_url', true, 'OS_AUTH_URL', true, "Keystone's URL"),
  option(
    'username',
    true,
    'OS_USERNAME',
    true,
    'user name (password; owner of an application credential by name)',
  ),
  option(
    'user_id',
    true,
    'OS_USER_ID',
    true,
    'user id (owner of an application credential by name)',
  ),
  option('password', true, 'OS_PASSWORD', false, 'password'),
  option(
    'user_domain_name',
    true,
    'OS_USER_DOMAIN_NAME',
    true,
    "the user's domain by name",
  ),
  option(
    'user_domain_id',
    true,
    'OS_USER_DOMAIN_ID',
    true,
    "the user's domain by id",
  ),
  option(
    'project_name',
    true,
    ['OS_PROJECT_NAME', 'OS_TENANT_NAME'],
    true,
    'the project to scope to, by name',
  ),
  option(
    'project_id',
    true,
    ['OS_PROJECT_ID', 'OS_TENANT_ID'],
    true,
    'the project to scope to, by id',
  ),
  option(
    'project_domain_name',
    true,
    'OS_PROJECT_DOMAIN_NAME',
    true,
    "the project's domain by name",
  ),
  option(
    'project_domain_id',
    true,
    'OS_PROJECT_DOMAIN_ID',
    true,
    "the project's domain by id",
  ),
  option(
    'default_domain',
    false,
    'OS_DEFAULT_DOMAIN',
    true,
    'domain id of the user and project when neither names one',
  ),
  option(
    'application_credential_id',
    true,
    'OS_APPLICATION_CREDENTIAL_ID',
    true,
    'application credential id',
  ),
  option(
    'application_credential_name',
    true,
    'OS_APPLICATION_CREDENTIAL_NAME',
    true,
    "application credential name, with its user's id, or name and domain",
  ),
  option(
    'application_credential_secret',
    true,
    'OS_APPLICATION_CREDENTIAL_SECRET',
    false,
    'application credential secret',
  ),
  option(
    'identity_provider',
    true,
    'OS_IDENTITY_PROVIDER',
    true,
    'federation: identity provider (egi.eu)',
  ),
  option(
    'protocol',
    true,
    'OS_PROTOCOL',
    true,
    'federation: protocol (openid)',
  ),
  option('access_token', true, 'OS_ACCESS_TOKEN', false, 'OIDC access token'),
  option('client_id', true, 'OS_CLIENT_ID', true, 'OIDC client id'),
  option(
    'client_secret',
    true,
    'OS_CLIENT_SECRET',
    false,
    'OIDC client secret',
  ),
  option(
    'access_token_endpoint',
    true,
    'OS_ACCESS_TOKEN_ENDPOINT',
    true,
    "the OIDC issuer's token endpoint",
  ),
  option(
    'refresh_token',
    true,
    'OS_REFRESH_TOKEN',
    false,
    'OIDC refresh token',
  ),
  option(
    'openid_scope',
    true,
    'OS_OPENID_SCOPE',
    true,
    'OIDC scopes asked for',
  ),
  option('region_name', false, 'OS_REGION_NAME', true, 'the catalog region'),
  option(
    'interface',
    false,
    'OS_INTERFACE',
    true,
    'catalog interface: public (default), internal or admin',
  ),
  option(
    'cacert',
    false,
    'OS_CACERT',
    true,
    'CA of Keystone and the token endpoint: a PEM file, or a directory of hashed certificates (/etc/grid-security/certificates)',
  ),
];

/** A cloud's settings, as openstacksdk holds them once read. */
export interface CloudSettings {
  auth: Record<string, string>;
  [key: string]: unknown;
}

export class OpenStackConfigError extends Error {}

type Env = Record<string, string | undefined>;

const cloudsFileSchema = z.looseObject({
  clouds: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
});

const SUFFIXES = ['.yaml', '.yml', '.json'];

/**
 * openstacksdk's search path: the current directory, the user's config directory
 * (`$XDG_CONFIG_HOME/openstack`, `~/.config/openstack`), `/etc/openstack`; the first file
 * found wins. `OS_CLIENT_CONFIG_FILE` (`OS_CLIENT_SECURE_FILE`) is looked at first.
 */
export function configFileCandidates(
  base: 'clouds' | 'secure',
  env: Env,
  cwd: string = process.cwd(),
  home: string = os.homedir(),
): string[] {
  const override =
    env[base === 'clouds' ? 'OS_CLIENT_CONFIG_FILE' : 'OS_CLIENT_SECURE_FILE'];
  const dirs = [
    cwd,
    ...(env.XDG_CONFIG_HOME
      ? [path.join(env.XDG_CONFIG_HOME, 'openstack')]
      : []),
    path.join(home, '.config', 'openstack'),
    '/etc/openstack',
  ];
  return [
    ...(override ? [override] : []),
    ...dirs.flatMap(dir => SUFFIXES.map(s => path.join(dir, `${base}${s}`))),
  ];
}

function readFirst(
  candidates: string[],
  exists: (file: string) => boolean,
): { file: string; clouds: Record<string, unknown> } | undefined {
  const file = candidates.find(exists);
  if (!file) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OpenStackConfigError(
      `${file}: not YAML: ${(error as Error).message}`,
    );
  }
  const checked = cloudsFileSchema.safeParse(parsed ?? {});
  if (!checked.success) {
    throw new OpenStackConfigError(
      `${file}: needs a "clouds" mapping of cloud names to settings`,
    );
  }
  return { file, clouds: checked.data.clouds };
}

/** openstacksdk's key normalization: `project-id` and `project_id` are one key. */
function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replace(/-/g, '_'),
        normalizeKeys(v),
      ]),
    );
  }
  return value;
}

function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = merged[key];
    merged[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      old &&
      typeof old === 'object' &&
      !Array.isArray(old)
        ? deepMerge(
            old as Record<string, unknown>,
            value as Record<string, unknown>,
          )
        : value;
  }
  return merged;
}

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : undefined;

/** A cloud of clouds.yaml with secure.yaml merged over it (secure.yaml wins), keys normalized. */
export function loadCloud(
  cloud: string,
  env: Env,
  options: {
    cwd?: string;
    home?: string;
    exists?: (file: string) => boolean;
  } = {},
): { settings: CloudSettings; file: string } {
  const exists =
    options.exists ??
    ((file: string) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    });
  const clouds = readFirst(
    configFileCandidates('clouds', env, options.cwd, options.home),
    exists,
  );
  const secure = readFirst(
    configFileCandidates('secure', env, options.cwd, options.home),
    exists,
  );
  const entry = clouds?.clouds[cloud];
  if (!clouds || entry === undefined) {
    throw new OpenStackConfigError(
      clouds
        ? `cloud ${cloud} is not in ${clouds.file} (it has ${
            Object.keys(clouds.clouds).join(', ') || 'none'
          })`
        : `cloud ${cloud}: no clouds.yaml found (looked in ${configFileCandidates(
            'clouds',
            env,
            options.cwd,
            options.home,
          )
            .filter(f => f.endsWith('.yaml'))
            .join(', ')})`,
    );
  }
  const merged = deepMerge(
    normalizeKeys(entry ?? {}) as Record<string, unknown>,
    normalizeKeys(secure?.clouds[cloud] ?? {}) as Record<string, unknown>,
  );
  const auth: Record<string, string> = {};
  const rawAuth = merged.auth;
  if (rawAuth && typeof rawAuth === 'object') {
    for (const [key, value] of Object.entries(rawAuth)) {
      const text = scalar(value);
      if (text !== undefined) auth[key] = text;
    }
  }
  return { settings: { ...merged, auth }, file: clouds.file };
}

/**
 * The settings to use: the cloud's (when one is named), the environment's over them, the
 * command line's over both, as the `openstack` CLI takes them.
 */
export function resolveOpenStackSettings(input: {
  cloud?: string;
  env: Env;
  flags: Record<string, string | undefined>;
  load?: typeof loadCloud;
  /** Where `./clouds.yaml` is looked for (default the process's directory). */
  cwd?: string;
}): { settings: CloudSettings; cloud?: string; file?: string } {
  const cloud = input.cloud ?? input.env.OS_CLOUD;
  let settings: CloudSettings = { auth: {} };
  let file: string | undefined;
  if (cloud) {
    const loaded = (input.load ?? loadCloud)(cloud, input.env, {
      cwd: input.cwd,
    });
    settings = loaded.settings;
    file = loaded.file;
  }
  const set = (o: OpenStackOption, value: string) => {
    if (o.auth) settings.auth[o.key] = value;
    else settings[o.key] = value;
  };
  for (const o of OPENSTACK_OPTIONS) {
    const fromEnv = o.env.map(name => input.env[name]).find(v => !!v);
    if (fromEnv) set(o, fromEnv);
  }
  for (const o of OPENSTACK_OPTIONS) {
    const fromFlag = o.flag ? input.flags[o.flag] : undefined;
    if (fromFlag) set(o, fromFlag);
  }
  return { settings, cloud, file };
}

const AUTH_TYPES: Record<string, string> = {
  password: 'password',
  v3password: 'password',
  v3applicationcredential: 'application-credential',
  v3oidcaccesstoken: 'oidc-access-token',
  v3oidcclientcredentials: 'oidc-client-credentials',
  v3oidcrefreshtoken: 'oidc-refresh-token',
};

/** The region: `region_name`, else the first of `regions` (strings or `{name, values}`). */
function regionOf(settings: CloudSettings): string | undefined {
  const named = scalar(settings.region_name);
  if (named) return named;
  const regions = settings.regions;
  if (Array.isArray(regions) && regions.length > 0) {
    const first = regions[0] as unknown;
    return typeof first === 'string'
      ? first
      : scalar((first as { name?: unknown })?.name);
  }
  return undefined;
}

/**
 * The site and the reader's account of `fedstack scan` from the settings (the scan config's
 * shapes; secrets written as found). Throws {@link OpenStackConfigError} for what fedstack
 * cannot use.
 */
export function scanInputsFromSettings(settings: CloudSettings): {
  keystoneUrl?: string;
  region?: string;
  interface?: string;
  caFile?: string;
  credential: Record<string, unknown>;
} {
  const auth = { ...settings.auth };
  if (settings.verify === false || settings.insecure === true) {
    throw new OpenStackConfigError(
      'verify: false (insecure) is not supported: give the CA with cacert or OS_CACERT',
    );
  }
  if (settings.profile && !auth.auth_url) {
    throw new OpenStackConfigError(
      `vendor profiles (profile: ${String(
        settings.profile,
      )}) are not supported: set auth.auth_url`,
    );
  }
  // openstacksdk: a domain given alone is the user's and the project's when a project is named.
  for (const suffix of ['id', 'name']) {
    const domain = auth[`domain_${suffix}`];
    if (domain && (auth.project_name || auth.project_id)) {
      auth[`user_domain_${suffix}`] ??= domain;
      auth[`project_domain_${suffix}`] ??= domain;
    }
  }
  // Legacy v2 names.
  auth.project_name ??= auth.tenant_name;
  auth.project_id ??= auth.tenant_id;
  const defaultDomain = scalar(settings.default_domain);
  const rawType =
    scalar(settings.auth_type) ??
    (auth.application_credential_id || auth.application_credential_name
      ? 'v3applicationcredential'
      : 'password');
  const type = AUTH_TYPES[rawType];
  if (!type) {
    throw new OpenStackConfigError(
      `auth_type ${rawType} is not supported (password, v3applicationcredential, v3oidcaccesstoken, v3oidcclientcredentials, v3oidcrefreshtoken)`,
    );
  }
  const caFile = scalar(settings.cacert);
  const project = {
    project: auth.project_name,
    projectId: auth.project_id,
    projectDomain: auth.project_domain_name,
    projectDomainId:
      auth.project_domain_id ??
      (auth.project_domain_name ? undefined : defaultDomain),
  };
  const federation = {
    identityProvider: auth.identity_provider,
    protocol: auth.protocol,
  };
  const tokenEndpoint = {
    tokenUrl: auth.access_token_endpoint,
    clientId: auth.client_id,
    clientSecret: auth.client_secret,
    scope: auth.openid_scope,
    caFile,
  };
  // The secret each kind needs, named as a user would set it.
  const SECRETS: Record<string, [string, string]> = {
    password: ['password', 'OS_PASSWORD'],
    'application-credential': [
      'application_credential_secret',
      'OS_APPLICATION_CREDENTIAL_SECRET',
    ],
    'oidc-access-token': ['access_token', 'OS_ACCESS_TOKEN'],
    'oidc-client-credentials': ['client_secret', 'OS_CLIENT_SECRET'],
    'oidc-refresh-token': ['refresh_token', 'OS_REFRESH_TOKEN'],
  };
  const [secretKey, secretEnv] = SECRETS[type];
  if (!auth[secretKey]) {
    throw new OpenStackConfigError(
      `${rawType} needs a secret: environment variable ${secretEnv} is not set (nor auth.${secretKey} in clouds.yaml or secure.yaml)`,
    );
  }
  let credential: Record<string, unknown>;
  switch (type) {
    case 'password':
      credential = {
        type,
        username: auth.username,
        password: auth.password,
        userDomain: auth.user_domain_name,
        userDomainId:
          auth.user_domain_id ??
          (auth.user_domain_name ? undefined : defaultDomain),
        ...project,
      };
      break;
    case 'application-credential':
      // keystoneauth's v3applicationcredential: the id alone, or the name with its user.
      if (auth.application_credential_id) {
        credential = {
          type,
          id: auth.application_credential_id,
          secret: auth.application_credential_secret,
        };
      } else if (!auth.user_id && !auth.username) {
        throw new OpenStackConfigError(
          'application_credential_name needs its user: OS_USER_ID, or OS_USERNAME with OS_USER_DOMAIN_NAME or OS_USER_DOMAIN_ID (or give OS_APPLICATION_CREDENTIAL_ID)',
        );
      } else {
        credential = {
          type,
          name: auth.application_credential_name,
          secret: auth.application_credential_secret,
          ...(auth.user_id
            ? { userId: auth.user_id }
            : {
                username: auth.username,
                userDomain: auth.user_domain_name,
                userDomainId:
                  auth.user_domain_id ??
                  (auth.user_domain_name ? undefined : defaultDomain),
              }),
        };
      }
      break;
    case 'oidc-access-token':
      credential = {
        type,
        ...federation,
        accessToken: auth.access_token,
        ...project,
      };
      break;
    case 'oidc-client-credentials':
      credential = { type, ...federation, ...tokenEndpoint, ...project };
      break;
    default:
      credential = {
        type,
        ...federation,
        ...tokenEndpoint,
        refreshToken: auth.refresh_token,
        ...project,
      };
  }
  return {
    keystoneUrl: auth.auth_url,
    region: regionOf(settings),
    interface: scalar(settings.interface),
    caFile,
    credential: Object.fromEntries(
      Object.entries(credential).filter(([, v]) => v !== undefined),
    ),
  };
}
