import { z } from 'zod';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config, ConfigReader } from '@backstage/config';
import { landingZoneSchema } from '@fedstack/plugin-openstack-common';
import {
  CaCertificatesError,
  credentialConfigSchema,
  invalidRanges,
  readCaCertificates,
  scanSettingsOverridesSchema,
} from '@fedstack/plugin-openstack-node';
import { RunLeaseTiming } from './database/runLease';

/**
 * One account of a credential set: the node library's schema, shared with `fedstack scan`
 * (password, application credential, OIDC access token, OIDC client credentials or refresh
 * token; `applicationCredential` is still read as `application-credential`).
 */
export const credentialSchema = credentialConfigSchema;

export type CredentialConfig = z.output<typeof credentialSchema>;

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http or https URL',
});

/** The accounts of a credential set, by the part each plays. */
export const ACCOUNT_ROLES = [
  'reader',
  'replicator',
  'metering',
  'accounting',
] as const;

/**
 * A site's accounts: `reader` reads the site for scans (an admin or system reader); the
 * platform accounts are checked (accounts.*, accounting.*) and used by replication and metering.
 * `keystoneUrls` binds the set to its site: a catalog entity is untrusted input, and one naming
 * this set with another Keystone would otherwise receive these passwords.
 */
export const credentialSetSchema = z
  .object({
    keystoneUrls: z
      .array(httpUrl, {
        error: 'must list the Keystone URLs this set may be sent to',
      })
      .min(1, {
        message: 'must list the Keystone URLs this set may be sent to',
      }),
    reader: credentialSchema,
    replicator: credentialSchema.optional(),
    metering: credentialSchema.optional(),
    accounting: credentialSchema.optional(),
    /**
     * The site's CA when no public one signed its certificate (IGTF's, a private one): a PEM
     * file (a directory is read as caPath, as `OS_CACERT` is), and/or a directory of hashed
     * certificates as OpenSSL's capath, e.g. `/etc/grid-security/certificates`. Trusted instead
     * of Node's store for this set's sites; read at start, so a bad path stops the backend.
     */
    caFile: z.string().min(1).optional(),
    caPath: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((set, context) => {
    try {
      readCaCertificates(set);
    } catch (error) {
      if (!(error instanceof CaCertificatesError)) throw error;
      context.addIssue({
        code: 'custom',
        path: [error.key],
        message: error.message,
      });
    }
  });

/** Whether a set may be used with this Keystone URL: the same origin as one it lists. */
export function credentialSetCovers(
  set: Pick<CredentialSet, 'keystoneUrls'>,
  keystoneUrl: string,
): boolean {
  const origin = originOf(keystoneUrl);
  return (
    origin !== undefined &&
    set.keystoneUrls.some(listed => originOf(listed) === origin)
  );
}

function originOf(url: string): string | undefined {
  try {
    // Lower-cased scheme and host, default port dropped.
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export type CredentialSet = z.infer<typeof credentialSetSchema>;

/**
 * What the registration, accounting and federated-login checks ask outside the sites. Each
 * absent source leaves its checks "not evaluated", with the reason on the scorecard.
 */
const sourcesSchema = z
  .object({
    /** GOCDB's public API, e.g. `https://goc.egi.eu/gocdbpi/public/`. */
    gocdb: z.object({ url: httpUrl }).strict().optional(),
    /** The cloud information API, e.g. `https://is.cloud.egi.eu/`. */
    cloudInfo: z.object({ url: httpUrl }).strict().optional(),
    accounting: z
      .discriminatedUnion('kind', [
        z
          .object({ kind: z.literal('accounting-portal'), url: httpUrl })
          .strict(),
        // A folder on the backend's machine, or an http(s) URL serving it.
        z
          .object({
            kind: z.literal('caso-spool'),
            location: z.string().min(1),
          })
          .strict(),
      ])
      .optional(),
    federationLogin: z
      .object({
        tokenUrl: httpUrl,
        clientId: z.string().min(1),
        clientSecret: z.string().min(1).optional(),
        refreshToken: z.string().min(1).optional(),
        scope: z.string().min(1).optional(),
        /** The project the test account scopes to; default the ops VO's. */
        project: z.string().min(1).optional(),
        /** PEM file of the token endpoint's CA, when not a public one. */
        caFile: z.string().min(1).optional(),
        /**
         * The Keystones the test account's access token may be sent to (a catalog entity never
         * chooses where it goes): the login runs only for sites at these URLs. `authUrl` where
         * the front proxy (Apache with mod_auth_openidc) is not on Keystone's own URL.
         */
        sites: z
          .array(
            z
              .object({ keystoneUrl: httpUrl, authUrl: httpUrl.optional() })
              .strict(),
          )
          .min(1, {
            message:
              'must list the Keystone URLs the test token may be sent to',
          }),
      })
      .strict()
      .refine(login => login.refreshToken || login.clientSecret, {
        message:
          'needs refreshToken (refresh-token grant) or clientSecret (client credentials)',
      })
      .optional(),
    /** How long one read of GOCDB, the information system or the portal serves the fleet. */
    cacheSeconds: z.number().min(0).max(86_400).default(300),
  })
  .strict()
  .prefault({});

export type SourcesConfig = z.output<typeof sourcesSchema>;

type ConfigData = ConstructorParameters<typeof ConfigReader>[0];

/**
 * A task's schedule as Backstage's scheduler reads it (`frequency`, `timeout`, `initialDelay`,
 * `scope`; durations as objects, ISO strings or cron), `fallback` when absent.
 */
function scheduleSchema(
  section: 'scans' | 'metering' | 'replication',
  fallback: SchedulerServiceTaskScheduleDefinition,
) {
  return z
    .unknown()
    .optional()
    .transform((value, context): SchedulerServiceTaskScheduleDefinition => {
      if (value === undefined) return fallback;
      try {
        // Read where it stands in app-config, so that an error names its key.
        const config = new ConfigReader(
          { openstack: { [section]: { schedule: value } } } as ConfigData,
          'app-config',
        );
        return readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(`openstack.${section}.schedule`),
        );
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
}

const DEFAULT_REPLICATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { hours: 1 },
  initialDelay: { minutes: 1 },
};

const DEFAULT_SCAN_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 30 },
};

const DEFAULT_METERING_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};

/**
 * The `openstack` section, with every default; its output is the plugin's configuration
 * ({@link OpenStackPluginConfig}). `config.d.ts` describes the same section to Backstage.
 */
const openStackConfigSchema = z
  .object({
    credentialSets: z
      .record(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'bad set name'),
        credentialSetSchema,
      )
      .default({}),
    scans: z
      .object({
        schedule: scheduleSchema('scans', DEFAULT_SCAN_SCHEDULE),
        concurrency: z.number().int().min(1).max(64).default(4),
        requestTimeoutMs: z
          .number()
          .int()
          .min(100)
          .max(300_000)
          .default(10_000),
        /** Thresholds and names of every scan (DEFAULT_SCAN_SETTINGS overridden). */
        settings: scanSettingsOverridesSchema.default({}),
      })
      .strict()
      .prefault({}),
    sources: sourcesSchema,
    metering: z
      .object({
        schedule: scheduleSchema('metering', DEFAULT_METERING_SCHEDULE),
        /** How many projects are sampled at once. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /** `tenants`: the tenants' projects; `visible`: every project the metering account may scope to. */
        projects: z.enum(['tenants', 'visible']).default('tenants'),
      })
      .strict()
      .prefault({}),
    /** Address ranges the backend may reach (over the always-denied link-local ones). */
    network: z
      .object({
        allow: z.array(z.string()).optional(),
        deny: z.array(z.string()).optional(),
      })
      .strict()
      .superRefine((ranges, context) => {
        const bad = invalidRanges(ranges);
        if (bad.length > 0) {
          context.addIssue({
            code: 'custom',
            message: `allow and deny must be IP ranges such as 10.0.0.0/8, not ${bad.join(
              ', ',
            )}`,
          });
        }
      })
      .prefault({}),
    replication: z
      .object({
        schedule: scheduleSchema('replication', DEFAULT_REPLICATION_SCHEDULE),
        landingZones: z
          .array(landingZoneSchema)
          .default([])
          .superRefine((zones, context) => {
            const ids = zones.map(zone => zone.id);
            const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
            if (twice.length > 0)
              context.addIssue({
                code: 'custom',
                message: `landing zone ids must be unique: ${twice.join(', ')}`,
              });
          }),
        /** Tenants written at once on one site. */
        concurrency: z.number().int().min(1).max(32).default(4),
      })
      .strict()
      .prefault({}),
    /**
     * Notifications about tenants (Backstage's notifications plugin): to the approvers when a
     * request waits for them, to the requester and the workspace when it is decided, replicated
     * or fails, and to a member whose pending membership was added.
     */
    notifications: z
      .object({
        enabled: z.boolean().default(true),
        /** Users and groups told what waits for approval; absent: `fedstack.platformOperators`. */
        approvers: z
          .array(
            z.string().refine(
              ref => {
                try {
                  const { kind } = parseEntityRef(ref);
                  return ['user', 'group'].includes(kind.toLowerCase());
                } catch {
                  return false;
                }
              },
              { message: 'must be user or group entity refs' },
            ),
          )
          .optional(),
        /** Where the app mounts the tenant pages: a tenant's link is `<tenantsPath>/<id>`. */
        tenantsPath: z
          .string()
          .regex(/^\/[A-Za-z0-9/_.-]*$/, {
            message: 'must be a path such as /openstack/tenants',
          })
          .default('/openstack/tenants'),
        /**
         * Namespace of the users named after members' Check-in subjects (the Check-in sign-in
         * module's `userNamespace`): `1a2b…@egi.eu` is `user:<namespace>/1a2b…`.
         */
        memberUserNamespace: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, {
            message: 'must be an entity namespace',
          })
          .default('default'),
        /**
         * Notifications to a site's owners: a check that passed fails or recovers, readiness
         * lost or regained, scans failing `failedScansInARow` times, a waiver ending within
         * `waiverExpiryDays`; each change at once, or a daily digest per site.
         */
        sites: z
          .object({
            failedScansInARow: z.number().int().min(1).max(100).default(3),
            waiverExpiryDays: z.number().int().min(1).max(90).default(7),
            digest: z.enum(['none', 'daily']).default('none'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Liveness of running scans and replications. */
    runs: z
      .object({
        heartbeatSeconds: z.number().min(0.1).max(600).default(15),
        staleAfterSeconds: z.number().min(0.3).max(3600).default(90),
      })
      .strict()
      .refine(r => r.staleAfterSeconds >= 3 * r.heartbeatSeconds, {
        message:
          'staleAfterSeconds must be at least three heartbeats, or a live run could look stopped',
      })
      .transform(
        (r): RunLeaseTiming => ({
          heartbeatMs: r.heartbeatSeconds * 1000,
          staleAfterMs: r.staleAfterSeconds * 1000,
        }),
      )
      .prefault({}),
    /** Per-user limits of the site console. */
    console: z
      .object({
        /** Lines one user may send in a window: a person types a few a minute. */
        rateLimit: z
          .object({
            lines: z.number().int().min(1).max(100_000).default(60),
            windowSeconds: z.number().min(1).max(86_400).default(60),
          })
          .strict()
          .prefault({}),
        /** Lines of one user running at once (a scan line runs for minutes). */
        concurrentLines: z.number().int().min(1).max(1000).default(4),
      })
      .strict()
      .prefault({}),
    /** Waivers of a check on a site: how far ahead they may end, and how a waived failure counts. */
    waivers: z
      .object({
        maxDays: z.number().int().min(1).max(3650).default(90),
        countsAs: z.enum(['pass', 'excluded']).default('excluded'),
      })
      .strict()
      .prefault({}),
    // Validated by the catalog module that reads it (@fedstack/plugin-catalog-backend-module-openstack).
    siteProviders: z.unknown().optional(),
    // Keyed by profile id: the built-in ones and those modules add (checked against them at start).
    profiles: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, {
          message: 'must be a profile id (lower case, digits, dots and dashes)',
        }),
        z
          .object({
            weights: z.record(z.string(), z.number().min(0)).default({}),
            disabledChecks: z.array(z.string()).default([]),
            /** Settings for sites checked against this profile, over `scans.settings`. */
            settings: scanSettingsOverridesSchema.default({}),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

/** The plugin's configuration: the `openstack` section read, checked and completed. */
export type OpenStackPluginConfig = z.output<typeof openStackConfigSchema>;

/** Per-user limits of the site console. */
export type ConsoleLimits = OpenStackPluginConfig['console'];

/** Raised at start-up so that a bad `openstack` section stops the backend with a clear message. */
export class OpenStackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid openstack configuration in app-config:\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'OpenStackConfigError';
  }
}

/** Reads and validates the `openstack` section; never echoes secret values in its errors. */
export function readOpenStackConfig(config: Config): OpenStackPluginConfig {
  const raw = config.getOptional('openstack') ?? {};
  const parsed = openStackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OpenStackConfigError(
      parsed.error.issues.map(
        issue => `openstack.${issue.path.join('.')}: ${issue.message}`,
      ),
    );
  }
  return parsed.data;
}
