import { z } from 'zod';
import { Credential } from '../client/identity/tokens';
import { PROFILE_CHECKS, ProfileId } from '../checks/profiles';
import { scanSettingsOverridesSchema } from '../checks/scanSettingsSchema';

/**
 * What `fedstack scan` needs: the site, the profiles, and a credential set per account. From a
 * JSON file (`--config`), or from the environment the `openstack` CLI uses (OS_AUTH_URL,
 * OS_USERNAME, OS_PASSWORD, …), so an operator's existing openrc works as it is.
 * Secrets may be named by environment variable (`passwordEnv`) instead of written in the file.
 */

const profileIds = Object.keys(PROFILE_CHECKS) as [ProfileId, ...ProfileId[]];

const passwordCredentialSchema = z
  .object({
    type: z.literal('password'),
    username: z.string().min(1),
    password: z.string().min(1).optional(),
    passwordEnv: z.string().min(1).optional(),
    userDomain: z.string().min(1).default('Default'),
    project: z.string().min(1).optional(),
    projectDomain: z.string().min(1).default('Default'),
  })
  .strict()
  .refine(c => c.password || c.passwordEnv, {
    message: 'needs password or passwordEnv',
  });

const applicationCredentialSchema = z
  .object({
    type: z.literal('application-credential'),
    id: z.string().min(1),
    secret: z.string().min(1).optional(),
    secretEnv: z.string().min(1).optional(),
  })
  .strict()
  .refine(c => c.secret || c.secretEnv, {
    message: 'needs secret or secretEnv',
  });

const credentialSchema = z.union([
  passwordCredentialSchema,
  applicationCredentialSchema,
]);

export const scanConfigSchema = z
  .object({
    site: z
      .object({
        name: z.string().min(1),
        keystoneUrl: z.url({ protocol: /^https?$/ }),
        region: z.string().min(1).optional(),
        gocdbName: z.string().min(1).optional(),
        offersObjectStorage: z.boolean().optional(),
        /** Optional services offered, as catalog types (`object-store`, `orchestration`). */
        optionalServices: z.array(z.string().min(1)).optional(),
        declaredPorts: z
          .record(z.string(), z.number().int().min(1).max(65535))
          .optional(),
        vos: z.array(z.string().min(1)).optional(),
        accountingName: z.string().min(1).optional(),
        federationProtocol: z.string().min(1).optional(),
      })
      .strict(),
    profiles: z.array(z.enum(profileIds)).min(1).default(['egi-fedcloud']),
    credentials: z
      .object({
        reader: credentialSchema,
        replicator: credentialSchema.optional(),
        metering: credentialSchema.optional(),
        accounting: credentialSchema.optional(),
      })
      .strict(),
    sources: z
      .object({
        gocdbUrl: z.url().optional(),
        cloudInfoUrl: z.url().optional(),
        accounting: z
          .object({
            kind: z.enum(['accounting-portal', 'caso-spool']),
            location: z.string().min(1),
          })
          .strict()
          .optional(),
        federationLogin: z
          .object({
            tokenUrl: z.url({ protocol: /^https?$/ }),
            clientId: z.string().min(1),
            clientSecret: z.string().min(1).optional(),
            clientSecretEnv: z.string().min(1).optional(),
            refreshToken: z.string().min(1).optional(),
            refreshTokenEnv: z.string().min(1).optional(),
            scope: z.string().min(1).optional(),
            project: z.string().min(1).optional(),
            /** PEM file of the token endpoint's CA. */
            caFile: z.string().min(1).optional(),
            /** Where the login is posted when a front proxy is not on Keystone's URL. */
            authUrl: z.url({ protocol: /^https?$/ }).optional(),
          })
          .strict()
          .refine(
            l =>
              l.clientSecret ||
              l.clientSecretEnv ||
              l.refreshToken ||
              l.refreshTokenEnv,
            {
              message:
                'needs refreshToken(Env) (refresh-token grant) or clientSecret(Env) (client credentials)',
            },
          )
          .optional(),
      })
      .strict()
      .default({}),
    /** Thresholds and names over the defaults (the backend's `scans.settings`). */
    settings: scanSettingsOverridesSchema.optional(),
    requestTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  })
  .strict();

export type ScanConfig = z.infer<typeof scanConfigSchema>;
type CredentialConfig = z.infer<typeof credentialSchema>;
export type AccountRole = keyof ScanConfig['credentials'];

export class ScanConfigError extends Error {}

/** Builds the client's credential, reading secrets named by environment variable. */
export function toCredential(
  config: CredentialConfig,
  env: Record<string, string | undefined>,
  role: string,
): { credential: Credential; secret: string } {
  const fromEnv = (name: string | undefined) => {
    const value = name ? env[name] : undefined;
    if (name && !value) {
      throw new ScanConfigError(
        `credentials.${role}: environment variable ${name} is not set`,
      );
    }
    return value;
  };
  if (config.type === 'password') {
    const password = config.password ?? fromEnv(config.passwordEnv)!;
    return {
      secret: password,
      credential: {
        type: 'password',
        username: config.username,
        password,
        userDomain: { name: config.userDomain },
        scope: config.project
          ? {
              project: {
                name: config.project,
                domain: { name: config.projectDomain },
              },
            }
          : undefined,
      },
    };
  }
  const secret = config.secret ?? fromEnv(config.secretEnv)!;
  return {
    secret,
    credential: { type: 'application-credential', id: config.id, secret },
  };
}

/** `fedstack scan --keystone-url …` with the openstack CLI's environment. */
export function configFromEnvironment(
  env: Record<string, string | undefined>,
  options: {
    keystoneUrl?: string;
    name?: string;
    region?: string;
    profiles?: string[];
  },
): unknown {
  const keystoneUrl = options.keystoneUrl ?? env.OS_AUTH_URL;
  const reader = env.OS_APPLICATION_CREDENTIAL_ID
    ? {
        type: 'application-credential',
        id: env.OS_APPLICATION_CREDENTIAL_ID,
        secretEnv: 'OS_APPLICATION_CREDENTIAL_SECRET',
      }
    : {
        type: 'password',
        username: env.OS_USERNAME,
        passwordEnv: 'OS_PASSWORD',
        userDomain: env.OS_USER_DOMAIN_NAME ?? 'Default',
        project: env.OS_PROJECT_NAME,
        projectDomain: env.OS_PROJECT_DOMAIN_NAME ?? 'Default',
      };
  const account = (role: string) => {
    const username = env[`FEDSTACK_${role.toUpperCase()}_USERNAME`];
    return username
      ? {
          type: 'password',
          username,
          passwordEnv: `FEDSTACK_${role.toUpperCase()}_PASSWORD`,
          userDomain: 'Default',
        }
      : undefined;
  };
  return {
    site: {
      name:
        options.name ?? (keystoneUrl ? new URL(keystoneUrl).hostname : 'site'),
      keystoneUrl,
      region: options.region ?? env.OS_REGION_NAME,
    },
    profiles: options.profiles,
    credentials: {
      reader,
      replicator: account('replicator'),
      metering: account('metering'),
      accounting: account('accounting'),
    },
  };
}

export function parseScanConfig(raw: unknown): ScanConfig {
  const parsed = scanConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScanConfigError(
      parsed.error.issues
        .map(issue => `${issue.path.join('.') || '(config)'}: ${issue.message}`)
        .join('\n'),
    );
  }
  return parsed.data;
}
