import { z } from 'zod';
import { isValidEntityRef } from './entityNames';
import { quotaKeyProblem, QuotaServiceName } from './quotaKeys';

/**
 * Tenants: a workspace's (a Backstage group's) project on a site, requested by its members,
 * approved where the landing zone asks for it, and replicated into the site's Keystone. The
 * REST API and the request form share these schemas.
 */

export const TENANT_STATUSES = [
  'requested',
  'requires-approval',
  'in-progress',
  'successful',
  'failed',
  'deletion-requested',
  'deleted',
  'rejected',
] as const;
export const tenantStatusSchema = z.enum(TENANT_STATUSES);
export type TenantStatus = z.infer<typeof tenantStatusSchema>;

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'lower-case letters, digits and -, starting with a letter or digit, at most 40',
  );

/** A tenant role (`admin`, `user`, `reader`, …): the landing zone maps it to an OpenStack role. */
export const tenantRoleSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _');

/**
 * One service's quota set: OpenStack's own key names (`cores`, `gigabytes`, `floatingip`…);
 * -1 = unlimited. Only the service's real keys (quotaKeys.ts), each named when refused; a
 * `__proto__` key too, which zod's records would drop without a word.
 */
const quotaValuesOf = (service: QuotaServiceName) =>
  z.preprocess((value, ctx) => {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return value;
    for (const key of Object.keys(value)) {
      const problem =
        key === '__proto__' ? 'not a quota key' : quotaKeyProblem(service, key);
      if (problem)
        ctx.issues.push({
          code: 'custom',
          message: problem,
          path: [key],
          input: value,
        });
    }
    return value;
  }, z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a quota key such as cores'), z.number().int().min(-1).max(1_000_000_000)));

export const quotaSetsSchema = z
  .object({
    compute: quotaValuesOf('compute').optional(),
    blockStorage: quotaValuesOf('blockStorage').optional(),
    network: quotaValuesOf('network').optional(),
  })
  .strict();
export type TenantQuotas = z.infer<typeof quotaSetsSchema>;

/**
 * A landing zone: how a tenant becomes Keystone objects. Name patterns use `{workspace}`,
 * `{project}` and `{role}` (not `${…}`, which app-config would substitute).
 */
export const landingZoneSchema = z
  .object({
    id: slug,
    title: z.string().min(1).max(100),
    description: z.string().max(1000).optional(),
    /** Tenant role → OpenStack role granted to that role's group. */
    roles: z
      .record(tenantRoleSchema, z.string().min(1).max(255))
      .default({ admin: 'member', user: 'member', reader: 'reader' }),
    projectNamePattern: z.string().min(1).default('{workspace}.{project}'),
    groupNamePattern: z.string().min(1).default('{workspace}.{project}-{role}'),
    /** `default`: every project in Keystone's `default` domain; `per-workspace`: a domain each. */
    domain: z.enum(['default', 'per-workspace']).default('default'),
    domainNamePattern: z.string().min(1).default('{workspace}'),
    tags: z
      .array(
        z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, - and _'),
      )
      .max(80)
      .default([]),
    /** Quotas a tenant gets unless its request asks for others. */
    quotas: quotaSetsSchema.default({}),
    /** The most a request may ask for (absent: no limit). */
    maxQuotas: quotaSetsSchema.optional(),
    /**
     * Requests within these quotas are approved at once; absent: every request waits. A key it
     * does not name is approved at once only up to the zone's own quota for it (`quotas`); a key
     * named by neither always waits for approval.
     */
    autoApproveUpTo: quotaSetsSchema.optional(),
    /** Whether a request may ask for -1 (unlimited); default false (a 400 naming the key). */
    allowUnlimitedQuotas: z.boolean().default(false),
    /**
     * The role the site's metering account gets on each tenant project, so it can sample it;
     * `null`: none (the metering account reads the system instead).
     */
    meteringRole: z.string().min(1).max(255).nullable().default('reader'),
    /** Whether deleting a tenant deletes its project (its resources are never touched). */
    deleteProjects: z.boolean().default(false),
  })
  .strict();
export type LandingZone = z.infer<typeof landingZoneSchema>;

/** A member's external user id (EGI Check-in's `…@egi.eu`), as it appears in `User.name`. */
export const euidSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._@+=:-]{1,255}$/,
    'an external user id such as 1a2b…@egi.eu',
  );

export const tenantMemberSchema = z
  .object({ euid: euidSchema, role: tenantRoleSchema })
  .strict();
export type TenantMember = z.infer<typeof tenantMemberSchema>;

const groupRefSchema = z
  .string()
  .regex(
    /^group:[a-z0-9-_.]+\/[A-Za-z0-9-_.]+$/i,
    'a group entity ref such as group:default/team-a',
  )
  .refine(
    ref => isValidEntityRef(ref, 'group'),
    'a group entity ref whose namespace and name the catalog accepts',
  );
const siteRefSchema = z
  .string()
  .regex(
    /^resource:[a-z0-9-_.]+\/[A-Za-z0-9-_.]+$/i,
    'a site entity ref such as resource:default/site-a',
  )
  .refine(
    ref => isValidEntityRef(ref, 'resource'),
    'a site entity ref whose namespace and name the catalog accepts',
  );

export const tenantRequestSchema = z
  .object({
    workspace: groupRefSchema,
    site: siteRefSchema,
    project: slug,
    landingZone: slug,
    description: z.string().max(255).optional(),
    members: z.array(tenantMemberSchema).max(500).default([]),
    quotas: quotaSetsSchema.optional(),
  })
  .strict();
export type TenantRequest = z.infer<typeof tenantRequestSchema>;

export const tenantMembersUpdateSchema = z
  .object({ members: z.array(tenantMemberSchema).max(500) })
  .strict();

export const approvalDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(1000).optional(),
  })
  .strict();
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

export const tenantEventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  comment: z.string().optional(),
});

export const tenantReplicationSchema = z.object({
  /** The last run that wrote to Keystone for the tenant (or failed, or changed its status). */
  runId: z.string(),
  at: z.string(),
  /** A later run that found Keystone already matching: when, and which. */
  checkedAt: z.string().optional(),
  checkedRunId: z.string().optional(),
  status: z.enum(['successful', 'failed', 'planned']),
  steps: z.array(z.object({ summary: z.string(), outcome: z.string() })),
  remarks: z.array(z.string()),
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
});

export const tenantSchema = z.object({
  id: z.string(),
  workspace: z.string(),
  site: z.string(),
  project: z.string(),
  landingZone: z.string(),
  description: z.string().optional(),
  members: z.array(tenantMemberSchema),
  /** The landing zone's quotas with the request's on top. */
  quotas: quotaSetsSchema,
  status: tenantStatusSchema,
  /** Names in Keystone, from the landing zone's patterns. */
  projectName: z.string(),
  domainName: z.string(),
  projectId: z.string().optional(),
  requestedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletionApproved: z.boolean(),
  lastReplication: tenantReplicationSchema.optional(),
});
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantDetailSchema = tenantSchema.extend({
  events: z.array(tenantEventSchema),
});
export type TenantDetail = z.infer<typeof tenantDetailSchema>;

export const listTenantsQuerySchema = z
  .object({
    workspace: groupRefSchema.optional(),
    site: siteRefSchema.optional(),
    status: tenantStatusSchema.optional(),
  })
  .strict();

export const listTenantsResponseSchema = z.object({
  tenants: z.array(tenantSchema),
});
export const listLandingZonesResponseSchema = z.object({
  landingZones: z.array(landingZoneSchema),
});

export const replicationRunSchema = z.object({
  id: z.string(),
  site: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  dryRun: z.boolean(),
  status: z.enum(['running', 'successful', 'failed', 'planned']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  keystoneCalls: z.number().int(),
  steps: z.array(
    z.object({
      summary: z.string(),
      tenantId: z.string().optional(),
      outcome: z.string().optional(),
    }),
  ),
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      projectName: z.string(),
      status: z.enum(['successful', 'failed', 'planned']),
      remarks: z.array(z.string()),
      warnings: z.array(z.string()),
      errors: z.array(z.string()),
    }),
  ),
});
export type ReplicationRun = z.infer<typeof replicationRunSchema>;

export const listReplicationRunsResponseSchema = z.object({
  runs: z.array(replicationRunSchema.omit({ steps: true, tenants: true })),
});

/** A set's own value for a key: never one inherited from Object.prototype (`constructor`). */
export function ownQuota(
  sets: TenantQuotas | undefined,
  service: keyof TenantQuotas,
  key: string,
): number | undefined {
  const values = sets?.[service];
  return values && Object.hasOwn(values, key) ? values[key] : undefined;
}

/** A quota of a request above what its landing zone approves at once, and that bound. */
export interface QuotaAboveAutoApproval {
  service: 'compute' | 'blockStorage' | 'network';
  key: string;
  value: number;
  /** The zone's `autoApproveUpTo` for the key, else its own quota; undefined: neither names it. */
  bound?: number;
}

/**
 * Why a tenant's quotas (the zone's with the request's on top) wait for an approver: each quota
 * above the zone's `autoApproveUpTo` for its key, else above the zone's own quota for it; a key
 * neither names always waits (nothing says how much is fine). Empty: within auto-approval
 * (a zone without `autoApproveUpTo` still makes every request wait).
 */
export function quotasAboveAutoApproval(
  zone: Pick<LandingZone, 'quotas' | 'autoApproveUpTo'>,
  quotas: TenantQuotas,
): QuotaAboveAutoApproval[] {
  const above: QuotaAboveAutoApproval[] = [];
  for (const service of ['compute', 'blockStorage', 'network'] as const) {
    for (const [key, value] of Object.entries(quotas[service] ?? {})) {
      const bound =
        ownQuota(zone.autoApproveUpTo, service, key) ??
        ownQuota(zone.quotas, service, key);
      if (bound === undefined) above.push({ service, key, value });
      else if (bound !== -1 && (value === -1 || value > bound)) {
        above.push({ service, key, value, bound });
      }
    }
  }
  return above;
}
