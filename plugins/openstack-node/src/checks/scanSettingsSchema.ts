import { z } from 'zod';
import { ScanSettings } from './context';

const serviceType = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, {
  message: 'must be a catalog service type such as compute',
});

/**
 * Overrides of the scan's thresholds and names (`DEFAULT_SCAN_SETTINGS`), as an operator writes
 * them in config: every key optional, unknown keys refused so a misspelt one is named.
 */
export const scanSettingsOverridesSchema = z
  .object({
    identityProvider: z.string().min(1).max(255),
    protocol: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
      message: 'must be a protocol id such as openid',
    }),
    issuer: z.url(),
    federatedUserSuffixes: z.array(z.string().min(2).startsWith('@')).min(1),
    voPropertyKeys: z.array(z.string().min(1)).min(1),
    opsVo: z.string().min(1),
    monitoringFlavorMinDiskGb: z.number().int().min(0),
    tlsWarnDays: z.number().int().min(0).max(365),
    defaultPorts: z.record(serviceType, z.number().int().min(1).max(65535)),
    minimumVersions: z.record(
      serviceType,
      z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    ),
    requiredServiceTypes: z.array(z.array(serviceType).min(1)).min(1),
    accountingWarnDays: z.number().min(0),
    accountingFailDays: z.number().min(0),
  })
  .partial()
  .strict()
  .refine(
    s =>
      s.accountingWarnDays === undefined ||
      s.accountingFailDays === undefined ||
      s.accountingWarnDays <= s.accountingFailDays,
    { message: 'accountingWarnDays must not exceed accountingFailDays' },
  ) satisfies z.ZodType<Partial<ScanSettings>>;

export type ScanSettingsOverrides = z.output<
  typeof scanSettingsOverridesSchema
>;
