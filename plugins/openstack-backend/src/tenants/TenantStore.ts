import { Knex } from 'knex';
import {
  abandonStaleRuns,
  insertRunning,
  renewRunning,
} from '../database/runLease';
import {
  ReplicationRun,
  TenantMember,
  TenantQuotas,
  TenantStatus,
} from '@fedstack/plugin-openstack-common';

/** A tenant as stored: the request, its status and what replication learnt (the project id). */
export interface TenantRecord {
  id: string;
  workspace: string;
  siteRef: string;
  project: string;
  landingZone: string;
  description?: string;
  members: TenantMember[];
  /** The quotas the request asked for (the landing zone's apply to the rest). */
  quotas: TenantQuotas;
  status: TenantStatus;
  deletionApproved: boolean;
  projectId?: string;
  appliedQuotas?: TenantQuotas;
  lastReplication?: unknown;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; set by the store (a new record has none yet). */
  version?: number;
}

/** What a tenant's write may change. */
export type TenantChanges = Partial<
  Pick<
    TenantRecord,
    | 'members'
    | 'status'
    | 'deletionApproved'
    | 'projectId'
    | 'appliedQuotas'
    | 'lastReplication'
  >
>;

export interface TenantEvent {
  at: string;
  actor: string;
  action: string;
  comment?: string;
}

interface TenantRow {
  id: string;
  workspace: string;
  site_ref: string;
  project: string;
  landing_zone: string;
  description: string | null;
  members: string;
  quotas: string;
  status: TenantStatus;
  deletion_approved: boolean | number;
  project_id: string | null;
  applied_quotas: string | null;
  last_replication: string | null;
  requested_by: string;
  created_at: string | Date;
  updated_at: string | Date;
  version: number;
}

interface RunRow {
  id: string;
  site_ref: string;
  trigger: ReplicationRun['trigger'];
  dry_run: boolean | number;
  status: ReplicationRun['status'];
  started_at: string | Date;
  finished_at: string | Date | null;
  keystone_calls: number;
  error: string | null;
  heartbeat_at: string | Date | null;
  seen_changes: number | null;
  report: string;
}

const iso = (value: string | Date) => new Date(value).toISOString();
const json = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

function toRecord(row: TenantRow): TenantRecord {
  return {
    id: row.id,
    workspace: row.workspace,
    siteRef: row.site_ref,
    project: row.project,
    landingZone: row.landing_zone,
    description: row.description ?? undefined,
    members: JSON.parse(row.members),
    quotas: JSON.parse(row.quotas),
    status: row.status,
    deletionApproved: Boolean(row.deletion_approved),
    projectId: row.project_id ?? undefined,
    appliedQuotas: json(row.applied_quotas),
    lastReplication: json(row.last_replication),
    requestedBy: row.requested_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: Number(row.version),
  };
}

function toRun(row: RunRow): ReplicationRun {
  const report = JSON.parse(row.report) as Pick<
    ReplicationRun,
    'steps' | 'tenants'
  >;
  return {
    id: row.id,
    site: row.site_ref,
    trigger: row.trigger,
    dryRun: Boolean(row.dry_run),
    status: row.status,
    startedAt: iso(row.started_at),
    finishedAt: row.finished_at ? iso(row.finished_at) : undefined,
    error: row.error ?? undefined,
    keystoneCalls: row.keystone_calls,
    steps: report.steps ?? [],
    tenants: report.tenants ?? [],
  };
}

/** Tenants, their events and replication runs (same migrations and queries on SQLite and PostgreSQL). */
export class TenantStore {
  constructor(private readonly db: Knex) {}

  async createTenant(tenant: TenantRecord, event: TenantEvent): Promise<void> {
    await this.db.transaction(async tx => {
      await tx<TenantRow>('openstack_tenants').insert({
        id: tenant.id,
        workspace: tenant.workspace,
        site_ref: tenant.siteRef,
        project: tenant.project,
        landing_zone: tenant.landingZone,
        description: tenant.description ?? null,
        members: JSON.stringify(tenant.members),
        quotas: JSON.stringify(tenant.quotas),
        status: tenant.status,
        deletion_approved: tenant.deletionApproved,
        project_id: tenant.projectId ?? null,
        applied_quotas: null,
        last_replication: null,
        requested_by: tenant.requestedBy,
        created_at: new Date(tenant.createdAt),
        updated_at: new Date(tenant.updatedAt),
        version: 0,
      } as Partial<TenantRow>);
      await this.insertEvent(tx, tenant.id, event);
      await this.countChange(tx, tenant.siteRef);
    });
  }

  /** How many changes the site's tenants have had (requests, approvals, edits, deletions). */
  async siteChanges(siteRef: string): Promise<number> {
    const row = await this.db('openstack_site_changes')
      .where({ site_ref: siteRef })
      .first();
    return row ? Number(row.changes) : 0;
  }

  // In the change's own transaction, so that a run reading the count sees the change too.
  private async countChange(tx: Knex, siteRef: string) {
    await tx('openstack_site_changes')
      .insert({ site_ref: siteRef, changes: 1 })
      .onConflict('site_ref')
      .merge({
        changes: tx.raw('?? + 1', ['openstack_site_changes.changes']),
      });
  }

  async getTenant(id: string): Promise<TenantRecord | undefined> {
    const row = await this.db<TenantRow>('openstack_tenants')
      .where({ id })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listTenants(
    filter: {
      workspace?: string;
      /** Only these workspaces' tenants (lower-case refs): what a member may read. */
      workspaces?: string[];
      siteRef?: string;
      status?: TenantStatus;
    } = {},
  ): Promise<TenantRecord[]> {
    const query = this.db<TenantRow>('openstack_tenants').orderBy('created_at');
    if (filter.workspace) query.where('workspace', filter.workspace);
    if (filter.workspaces) query.whereIn('workspace', filter.workspaces);
    if (filter.siteRef) query.where('site_ref', filter.siteRef);
    if (filter.status) query.where('status', filter.status);
    return (await query).map(toRecord);
  }

  /** The projects metering samples: every tenant's that exists in Keystone. */
  async meteringTargets(): Promise<
    Array<{ siteRef: string; projectId: string }>
  > {
    const rows = await this.db<TenantRow>('openstack_tenants')
      .select('site_ref', 'project_id')
      .whereNotNull('project_id')
      .whereNotIn('status', ['deleted', 'rejected']);
    return rows.map(row => ({
      siteRef: row.site_ref,
      projectId: row.project_id!,
    }));
  }

  /** The sites that have tenants still to keep in shape. */
  async sitesWithTenants(): Promise<string[]> {
    const rows = await this.db<TenantRow>('openstack_tenants')
      .distinct('site_ref')
      .whereNotIn('status', ['deleted', 'rejected']);
    return rows.map(row => row.site_ref).sort();
  }

  /**
   * Changes a tenant and records why, in one transaction, and counts the change for its site
   * (so that a replication that did not see it is followed by one that does). `expectStatus`
   * guards against two approvers (or an approver and a replication) acting on the same tenant
   * at once.
   */
  async updateTenant(
    id: string,
    changes: TenantChanges,
    event?: TenantEvent,
    expectStatus?: TenantStatus[],
  ): Promise<TenantRecord | undefined> {
    return this.write(id, changes, { event, expectStatus, countChange: true });
  }

  /**
   * What a replication learnt about a tenant, only if the tenant still has the version the run
   * read: a change made meanwhile stands, and the follow-up run replicates it.
   */
  async recordReplication(
    id: string,
    expectVersion: number,
    changes: TenantChanges,
    event?: TenantEvent,
  ): Promise<TenantRecord | undefined> {
    return this.write(id, changes, {
      event,
      expectVersion,
      countChange: false,
    });
  }

  private async write(
    id: string,
    changes: TenantChanges,
    options: {
      event?: TenantEvent;
      expectStatus?: TenantStatus[];
      expectVersion?: number;
      countChange: boolean;
    },
  ): Promise<TenantRecord | undefined> {
    return this.db.transaction(async tx => {
      const row: Record<string, unknown> = {
        updated_at: new Date(),
        version: tx.raw('?? + 1', ['version']),
      };
      if (changes.members) row.members = JSON.stringify(changes.members);
      if (changes.status) row.status = changes.status;
      if (changes.deletionApproved !== undefined)
        row.deletion_approved = changes.deletionApproved;
      if ('projectId' in changes) row.project_id = changes.projectId ?? null;
      if ('appliedQuotas' in changes)
        row.applied_quotas = changes.appliedQuotas
          ? JSON.stringify(changes.appliedQuotas)
          : null;
      if ('lastReplication' in changes)
        row.last_replication = changes.lastReplication
          ? JSON.stringify(changes.lastReplication)
          : null;
      const query = tx<TenantRow>('openstack_tenants').where({ id });
      if (options.expectStatus) query.whereIn('status', options.expectStatus);
      if (options.expectVersion !== undefined)
        query.where('version', options.expectVersion);
      const updated = await query.update(row);
      if (updated === 0) return undefined;
      if (options.event) await this.insertEvent(tx, id, options.event);
      const fresh = await tx<TenantRow>('openstack_tenants')
        .where({ id })
        .first();
      if (!fresh) return undefined;
      if (options.countChange) await this.countChange(tx, fresh.site_ref);
      return toRecord(fresh);
    });
  }

  async listEvents(tenantId: string): Promise<TenantEvent[]> {
    const rows = await this.db('openstack_tenant_events')
      .where({ tenant_id: tenantId })
      .orderBy([{ column: 'at' }, { column: 'id' }]);
    return rows.map(row => ({
      at: iso(row.at),
      actor: row.actor,
      action: row.action,
      ...(row.comment ? { comment: row.comment } : {}),
    }));
  }

  private async insertEvent(tx: Knex, tenantId: string, event: TenantEvent) {
    await tx('openstack_tenant_events').insert({
      tenant_id: tenantId,
      at: new Date(event.at),
      actor: event.actor,
      action: event.action,
      comment: event.comment ?? null,
    });
  }

  /**
   * Records a run as running. False when the site already has a running replication (not a dry
   * run) on this backend or another one sharing the database: the caller joins that one.
   */
  async createRun(run: {
    id: string;
    siteRef: string;
    trigger: ReplicationRun['trigger'];
    dryRun: boolean;
    startedAt: Date;
  }): Promise<boolean> {
    return insertRunning(this.db, 'openstack_replication_runs', {
      id: run.id,
      site_ref: run.siteRef,
      trigger: run.trigger,
      dry_run: run.dryRun,
      status: 'running',
      started_at: run.startedAt,
      heartbeat_at: run.startedAt,
      keystone_calls: 0,
      report: '{}',
    } satisfies Partial<RunRow>);
  }

  /** The site's running replication (not a dry run), if any. */
  async runningRun(siteRef: string): Promise<ReplicationRun | undefined> {
    const row = await this.db<RunRow>('openstack_replication_runs')
      .where({ site_ref: siteRef, status: 'running', dry_run: false })
      .first();
    return row ? toRun(row) : undefined;
  }

  async completeRun(
    id: string,
    outcome: Pick<
      ReplicationRun,
      'status' | 'error' | 'keystoneCalls' | 'steps' | 'tenants'
    > & {
      finishedAt: Date;
      /** The site's change count the run read before it read the tenants. */
      seenChanges?: number;
    },
  ): Promise<void> {
    await this.db<RunRow>('openstack_replication_runs')
      .where({ id })
      .update({
        status: outcome.status,
        finished_at: outcome.finishedAt,
        keystone_calls: outcome.keystoneCalls,
        error: outcome.error ?? null,
        seen_changes: outcome.seenChanges ?? null,
        report: JSON.stringify({
          steps: outcome.steps,
          tenants: outcome.tenants,
        }),
      });
  }

  /** The site's change count a completed run had read (none for a run that never completed). */
  async seenChanges(runId: string): Promise<number | undefined> {
    const row = await this.db<RunRow>('openstack_replication_runs')
      .where({ id: runId })
      .first('seen_changes');
    return row?.seen_changes === null || row?.seen_changes === undefined
      ? undefined
      : Number(row.seen_changes);
  }

  async getRun(id: string): Promise<ReplicationRun | undefined> {
    const row = await this.db<RunRow>('openstack_replication_runs')
      .where({ id })
      .first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(siteRef: string, limit = 50): Promise<ReplicationRun[]> {
    const rows = await this.db<RunRow>('openstack_replication_runs')
      .where({ site_ref: siteRef })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  /** The backend running the replication is alive. */
  async renewRun(id: string, at = new Date()): Promise<void> {
    await renewRunning(this.db, 'openstack_replication_runs', id, at);
  }

  /**
   * Closes running replications whose backend stopped renewing them: their heartbeat is older
   * than `heartbeatBefore`.
   */
  async abandonRunningRuns(heartbeatBefore: Date): Promise<void> {
    await abandonStaleRuns(
      this.db,
      'openstack_replication_runs',
      heartbeatBefore,
    );
  }
}
