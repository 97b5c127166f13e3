import { z } from 'zod';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { PROFILE_IDS } from '@fedstack/plugin-openstack-common';
import {
  AddressPolicyOptions,
  invalidRanges,
} from '@fedstack/plugin-openstack-node';

const passwordCredentialSetSchema = z.object({
  type: z.literal('password'),
  username: z.string().min(1),
  password: z.string().min(1),
  userDomain: z.string().min(1).default('Default'),
  project: z.string().min(1).optional(),
  projectDomain: z.string().min(1).default('Default'),
});

const applicationCredentialSetSchema = z.object({
  type: z.literal('applicationCredential'),
  id: z.string().min(1),
  secret: z.string().min(1),
});

export const credentialSchema = z.discriminatedUnion('type', [
  passwordCredentialSetSchema,
  applicationCredentialSetSchema,
]);

export type CredentialConfig = z.infer<typeof credentialSchema>;

/**
 * A site's accounts: `reader` reads the site for scans (an admin or system reader); the
 * platform accounts are checked (accounts.*, accounting.*) and used by replication and metering.
 */
export const credentialSetSchema = z
  .object({
    reader: credentialSchema,
    replicator: credentialSchema.optional(),
    metering: credentialSchema.optional(),
    accounting: credentialSchema.optional(),
  })
  .strict();

export type CredentialSet = z.infer<typeof credentialSetSchema>;

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
        schedule: z.unknown().optional(),
        concurrency: z.number().int().min(1).max(64).default(4),
        requestTimeoutMs: z
          .number()
          .int()
          .min(100)
          .max(300_000)
          .default(10_000),
      })
      .strict()
      .default({ concurrency: 4, requestTimeoutMs: 10_000 }),
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
      .default({}),
    // Validated by the catalog module that reads it (provider/config.ts).
    siteProviders: z.unknown().optional(),
    profiles: z
      .partialRecord(
        z.enum(PROFILE_IDS),
        z
          .object({
            weights: z.record(z.string(), z.number().min(0)).default({}),
            disabledChecks: z.array(z.string()).default([]),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

export interface OpenStackPluginConfig {
  credentialSets: Record<string, CredentialSet>;
  scans: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    concurrency: number;
    requestTimeoutMs: number;
  };
  profiles: z.infer<typeof openStackConfigSchema>['profiles'];
  /** Address ranges the backend may reach (over the always-denied link-local ones). */
  network: AddressPolicyOptions;
}

const DEFAULT_SCAN_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 30 },
};

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
  let schedule = DEFAULT_SCAN_SCHEDULE;
  if (config.has('openstack.scans.schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('openstack.scans.schedule'),
      );
    } catch (error) {
      throw new OpenStackConfigError([
        `openstack.scans.schedule: ${(error as Error).message}`,
      ]);
    }
  }
  return {
    credentialSets: parsed.data.credentialSets,
    scans: {
      schedule,
      concurrency: parsed.data.scans.concurrency,
      requestTimeoutMs: parsed.data.scans.requestTimeoutMs,
    },
    profiles: parsed.data.profiles,
    network: parsed.data.network,
  };
}
