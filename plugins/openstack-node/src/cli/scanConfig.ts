import { z } from 'zod';
import { Credential } from '../client/identity/tokens';
import {
  CredentialConfig,
  CredentialConfigError,
  credentialConfigSchema,
  OidcTokenSources,
  toCredential as convertCredential,
} from '../credentials/credentialConfig';
import {
  CloudSettings,
  OpenStackConfigError,
  resolveOpenStackSettings,
  scanInputsFromSettings,
} from './openstackConfig';
import { BUILT_IN_PROFILE_IDS } from '@fedstack/plugin-openstack-terms';
import { scanSettingsOverridesSchema } from '../checks/scanSettingsSchema';

/**
 * What `fedstack scan` needs: the site, the profiles, and a credential set per account. From a
 * JSON file (`--config`), or from the environment the `openstack` CLI uses (OS_AUTH_URL,
 * OS_USERNAME, OS_PASSWORD, …), so an operator's existing openrc works as it is.
 * Secrets may be named by environment variable (`passwordEnv`) instead of written in the file.
 */

const credentialSchema = credentialConfigSchema;

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
        /** Catalog interface: `public` (default), `internal` or `admin` (OS_INTERFACE). */
        interface: z.enum(['public', 'internal', 'admin']).optional(),
        /** PEM file of the site's CA when not a public one (OS_CACERT). */
        caFile: z.string().min(1).optional(),
      })
      .strict(),
    profiles: z
      .array(z.enum(BUILT_IN_PROFILE_IDS))
      .min(1)
      .default(['egi-fedcloud']),
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
export type AccountRole = keyof ScanConfig['credentials'];

export class ScanConfigError extends Error {}

/** The client's credential of one account, reading secrets named by environment variable. */
export function toCredential(
  config: CredentialConfig,
  env: Record<string, string | undefined>,
  role: string,
  tokenSources?: OidcTokenSources,
): { credential: Credential; secrets: string[] } {
  try {
    return convertCredential(config, {
      env,
      where: `credentials.${role}`,
      tokenSources,
    });
  } catch (error) {
    if (error instanceof CredentialConfigError) {
      throw new ScanConfigError(error.message);
    }
    throw error;
  }
}

/**
 * `fedstack scan` without `--config`: the reader's account and the site as the `openstack` CLI
 * finds them (flags over `OS_*` over the clouds.yaml cloud), platform accounts from
 * `FEDSTACK_{REPLICATOR,METERING,ACCOUNTING}_{USERNAME,PASSWORD}`.
 */
export function configFromEnvironment(
  env: Record<string, string | undefined>,
  options: {
    /** `--os-cloud`. */
    cloud?: string;
    /** The `--os-*` flags given, by flag name (`os-project-name`). */
    flags?: Record<string, string | undefined>;
    name?: string;
    profiles?: string[];
    /** Reads a cloud of clouds.yaml (tests). */
    loadCloud?: Parameters<typeof resolveOpenStackSettings>[0]['load'];
    /** Where `./clouds.yaml` is looked for. */
    cwd?: string;
  },
): unknown {
  let settings: CloudSettings;
  let cloud: string | undefined;
  let inputs;
  try {
    ({ settings, cloud } = resolveOpenStackSettings({
      cloud: options.cloud,
      env,
      flags: options.flags ?? {},
      load: options.loadCloud,
      cwd: options.cwd,
    }));
    inputs = scanInputsFromSettings(settings);
  } catch (error) {
    if (error instanceof OpenStackConfigError) {
      throw new ScanConfigError(error.message);
    }
    throw error;
  }
  const account = (role: string) => {
    const username = env[`FEDSTACK_${role.toUpperCase()}_USERNAME`];
    return username
      ? {
          type: 'password',
          username,
          passwordEnv: `FEDSTACK_${role.toUpperCase()}_PASSWORD`,
        }
      : undefined;
  };
  let siteName = options.name ?? cloud;
  if (!siteName) {
    try {
      siteName = inputs.keystoneUrl
        ? new URL(inputs.keystoneUrl).hostname
        : 'site';
    } catch {
      siteName = 'site';
    }
  }
  return {
    site: {
      name: siteName,
      keystoneUrl: inputs.keystoneUrl,
      region: inputs.region,
      interface: inputs.interface,
      caFile: inputs.caFile,
    },
    profiles: options.profiles,
    credentials: {
      reader: inputs.credential,
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
