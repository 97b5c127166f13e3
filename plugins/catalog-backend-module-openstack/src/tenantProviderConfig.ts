import { z } from 'zod';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/** Tenants change when people ask for them: every few minutes is soon enough for the catalog. */
export const DEFAULT_TENANT_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 30 },
  };

export interface TenantProviderConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const ROOT = 'catalog.providers.openstackTenants';

const tenantProviderSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    // Read with Backstage's own reader below, which knows every form a schedule can take.
    schedule: z.unknown().optional(),
  })
  .strict();

/**
 * Reads `catalog.providers.openstackTenants`. Absent, tenants are imported on the default schedule: the
 * module is installed beside the OpenStack backend, whose tenants it reads.
 */
export function readTenantProviderConfig(config: Config): TenantProviderConfig {
  const parsed = tenantProviderSchema.safeParse(config.getOptional(ROOT) ?? {});
  if (!parsed.success) {
    throw new Error(
      `Invalid ${ROOT} in app-config: ${parsed.error.issues
        .map(i => `${[ROOT, ...i.path.map(String)].join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  let schedule = DEFAULT_TENANT_PROVIDER_SCHEDULE;
  if (parsed.data.schedule !== undefined) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(`${ROOT}.schedule`),
      );
    } catch (error) {
      throw new Error(
        `Invalid ${ROOT}.schedule in app-config: ${(error as Error).message}`,
      );
    }
  }
  return { enabled: parsed.data.enabled, schedule };
}
