import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  LandingZone,
  ReplicationRun,
  SiteDescriptor,
  TenantStatus,
  tenantReplicationSchema,
} from '@fedstack/plugin-openstack-common';
import {
  DesiredTenant,
  ReplicationReport,
  replicate,
} from '@fedstack/plugin-openstack-node';
import { CredentialSet, OpenStackPluginConfig } from '../config';
import { TenantRecord, TenantStore } from './TenantStore';
import { SiteRegistry } from '../sites/SiteRegistry';
import {
  createMeteringSession,
  createReplicatorSession,
} from '../sites/siteSessions';
import {
  claimRun,
  keepAlive,
  persist,
  RunLeaseTiming,
  waitUntilEnded,
} from '../database/runLease';
import { desiredTenantOf } from './tenantModel';
import {
  memberNotices,
  replicationNotice,
  TenantNotices,
} from './tenantNotices';

export class SiteNotReplicableError extends Error {}

// Tenants replication keeps in shape; the others wait for approval or are gone.
const REPLICATED: TenantStatus[] = [
  'requested',
  'in-progress',
  'successful',
  'failed',
  'deletion-requested',
];

/**
 * Replicates a site's tenants into its Keystone with the replicator account: on demand and on a
 * schedule. One run per site at a time, across the instances sharing the database (a second
 * trigger joins the running one); a run reads Keystone afresh, so runs still converge. A run
 * writes a tenant's outcome only if nobody changed the tenant meanwhile, and a trigger is
 * answered by a run that saw every change made before it: one that started earlier is followed
 * by another.
 */
export class ReplicationService {
  private readonly running = new Map<string, Promise<ReplicationRun>>();
  private readonly meteringAccounts = new Map<
    string,
    { id: string; name: string }
  >();

  constructor(
    private readonly options: {
      store: TenantStore;
      registry: SiteRegistry;
      config: OpenStackPluginConfig;
      logger: LoggerService;
      /** Tells the requester, the workspace and added members how a tenant's replication went. */
      notices?: TenantNotices;
    },
  ) {
    this.lease = options.config.runs;
  }

  private readonly lease: RunLeaseTiming;

  /** Closes running replications whose backend stopped renewing them. */
  private closeStale(
    heartbeatBefore = new Date(Date.now() - this.lease.staleAfterMs),
  ) {
    return this.options.store.abandonRunningRuns(heartbeatBefore);
  }

  landingZones(): LandingZone[] {
    return this.options.config.replication.landingZones;
  }

  landingZone(id: string): LandingZone | undefined {
    return this.options.config.replication.landingZones.find(z => z.id === id);
  }

  async replicateSite(
    siteRef: string,
    options: { trigger: ReplicationRun['trigger']; dryRun?: boolean },
  ): Promise<ReplicationRun> {
    if (options.dryRun) return this.run(siteRef, options.trigger, true);
    const { store } = this.options;
    // The store counts each site's tenant changes; the caller's own change is in this count.
    const wanted = await store.siteChanges(siteRef);
    let previous: Promise<ReplicationRun> | undefined;
    for (let attempt = 1; ; attempt++) {
      const current = this.running.get(siteRef);
      const run =
        current && current !== previous
          ? current
          : this.start(siteRef, options.trigger);
      previous = run;
      const result = await run;
      const seen = await store.seenChanges(result.id);
      if (seen !== undefined && seen >= wanted) return result;
      // The run started before a change (or never completed): the follow-up starts only now,
      // after it, so several changes made during one run share one follow-up. The third run
      // started after the call; a third miss means runs keep failing, which the log tells.
      if (attempt === 3) {
        this.options.logger.warn(
          `Replication of ${siteRef}: run ${result.id} did not record the changes it saw`,
        );
        return result;
      }
    }
  }

  /** A run of this instance (or, inside, the one another instance is carrying out). */
  private start(
    siteRef: string,
    trigger: ReplicationRun['trigger'],
  ): Promise<ReplicationRun> {
    const run = this.run(siteRef, trigger, false);
    this.running.set(siteRef, run);
    run
      .finally(() => {
        if (this.running.get(siteRef) === run) this.running.delete(siteRef);
      })
      .catch(() => undefined);
    return run;
  }

  /** Every site with tenants, one after the other (each site's tenants go in parallel). */
  async replicateAll(): Promise<void> {
    // Runs a stopped backend left running will never finish: close them first.
    await this.closeStale();
    for (const siteRef of await this.options.store.sitesWithTenants()) {
      try {
        const run = await this.replicateSite(siteRef, { trigger: 'schedule' });
        this.options.logger.info(
          `Replication of ${siteRef}: ${run.status}, ${run.steps.length} step(s), ${run.keystoneCalls} Keystone call(s)`,
        );
      } catch (error) {
        this.options.logger.warn(
          `Replication of ${siteRef} did not run: ${(error as Error).message}`,
        );
      }
    }
  }

  private async run(
    siteRef: string,
    trigger: ReplicationRun['trigger'],
    dryRun: boolean,
  ): Promise<ReplicationRun> {
    const { store, registry, config } = this.options;
    const registered = await registry.getSite(siteRef);
    if (!registered?.site || registered.problems.length > 0)
      throw new SiteNotReplicableError(
        registered
          ? `Site ${siteRef} cannot be replicated: ${registered.problems.join(
              '; ',
            )}`
          : `No OpenStack site ${siteRef}`,
      );
    const set = config.credentialSets[registered.site.credentials];
    const session = createReplicatorSession(registered.site, set, {
      requestTimeoutMs: config.scans.requestTimeoutMs,
      network: config.network,
    });
    if (!session)
      throw new SiteNotReplicableError(
        `Site ${siteRef} has no replicator account in credential set ${registered.site.credentials}`,
      );

    const runId = randomUUID();
    const startedAt = new Date();
    const row = { id: runId, siteRef, trigger, dryRun, startedAt };
    const created = await claimRun(
      () => store.createRun(row),
      () => this.closeStale(),
    );
    if (!created) {
      // Another backend sharing the database replicates the site: its run is this one's.
      session.close();
      const other = await store.runningRun(siteRef);
      if (!other) return this.run(siteRef, trigger, dryRun);
      return this.finishedRun(other.id);
    }
    const stopRenewing = keepAlive(
      () => store.renewRun(runId),
      this.lease,
      this.options.logger,
    );
    try {
      // Counted before the tenants are read: a change counted here is one this run sees.
      const seenChanges = await store.siteChanges(siteRef);
      const read = (await store.listTenants({ siteRef })).filter(t =>
        REPLICATED.includes(t.status),
      );
      // Each tenant's version as this run last read or wrote it: its writes are conditional on it.
      const versions = new Map(read.map(t => [t.id, t.version ?? 0]));
      if (!dryRun) {
        for (const tenant of read.filter(t => t.status === 'requested')) {
          const written = await store.recordReplication(
            tenant.id,
            versions.get(tenant.id)!,
            { status: 'in-progress' },
          );
          // Changed since it was read: the follow-up run replicates it as it is now.
          if (written) versions.set(tenant.id, written.version ?? 0);
          else versions.delete(tenant.id);
        }
      }
      const tenants = read.filter(t => versions.has(t.id));
      const metering = await this.meteringAccount(
        siteRef,
        registered.site,
        set,
      );
      const desired: DesiredTenant[] = [];
      const unplaceable: TenantRecord[] = [];
      for (const tenant of tenants) {
        const zone = this.landingZone(tenant.landingZone);
        if (zone) desired.push(desiredTenantOf(tenant, zone, metering));
        else unplaceable.push(tenant);
      }

      const report = await replicate(session, desired, {
        dryRun,
        concurrency: config.replication.concurrency,
      });
      const run = toRun(runId, siteRef, trigger, dryRun, startedAt, report);
      for (const tenant of unplaceable)
        run.tenants.push({
          tenantId: tenant.id,
          projectName: '',
          status: 'failed',
          remarks: [],
          warnings: [],
          errors: [`landing zone ${tenant.landingZone} is not configured`],
        });
      const finishedAt = new Date();
      // The database may be away longer than the run: its report waits for it.
      await persist(
        () =>
          store.completeRun(runId, {
            ...run,
            finishedAt,
            ...(dryRun ? {} : { seenChanges }),
          }),
        {
          what: `replication run ${runId} of ${siteRef}`,
          logger: this.options.logger,
        },
      );
      if (!dryRun && !report.error)
        await this.recordOutcomes(tenants, versions, desired, report, run);
      if (!dryRun && report.error) {
        for (const tenant of tenants.filter(t => t.status === 'requested')) {
          const written = await store.recordReplication(
            tenant.id,
            versions.get(tenant.id)!,
            { status: 'failed' },
          );
          if (written)
            await this.options.notices?.send(
              replicationNotice(tenant, written, report.error),
            );
        }
      }
      return { ...run, finishedAt: finishedAt.toISOString() };
    } catch (error) {
      await store
        .completeRun(runId, {
          status: 'failed',
          error: (error as Error).message,
          keystoneCalls: 0,
          steps: [],
          tenants: [],
          finishedAt: new Date(),
        })
        .catch(failed =>
          // Closed by the next run once its heartbeat is stale.
          this.options.logger.error(
            `Could not record replication run ${runId} as failed: ${failed}`,
          ),
        );
      throw error;
    } finally {
      stopRenewing();
      session.close();
    }
  }

  /** A run another backend carries out, once it is no longer running (or closed as stale). */
  private async finishedRun(runId: string): Promise<ReplicationRun> {
    const run = await waitUntilEnded({
      read: () => this.options.store.getRun(runId),
      closeStale: before => this.closeStale(before),
      timing: this.lease,
    });
    if (!run) throw new Error(`Replication run ${runId} disappeared`);
    return run;
  }

  /**
   * The site's metering account (id and name, from its own token): tenant projects grant it the
   * landing zone's metering role. Remembered; an account that cannot log in is left out (and the
   * accounts.metering check says why).
   */
  private async meteringAccount(
    siteRef: string,
    site: SiteDescriptor,
    set: CredentialSet,
  ): Promise<{ id: string; name: string } | undefined> {
    if (!set.metering) return undefined;
    const known = this.meteringAccounts.get(siteRef);
    if (known) return known;
    const session = createMeteringSession(site, set, {
      requestTimeoutMs: this.options.config.scans.requestTimeoutMs,
      network: this.options.config.network,
    });
    try {
      const token = await session?.token();
      if (!token?.ok) {
        this.options.logger.warn(
          `Replication of ${siteRef}: the metering account cannot log in, so tenant projects do not grant it a role${
            token && !token.ok ? ` (${token.error.message})` : ''
          }`,
        );
        return undefined;
      }
      const account = { id: token.value.user.id, name: token.value.user.name };
      this.meteringAccounts.set(siteRef, account);
      return account;
    } finally {
      session?.close();
    }
  }

  private async recordOutcomes(
    tenants: TenantRecord[],
    versions: Map<string, number>,
    desired: DesiredTenant[],
    report: ReplicationReport,
    run: ReplicationRun,
  ) {
    const { store } = this.options;
    for (const outcome of report.tenants) {
      const tenant = tenants.find(t => t.id === outcome.key);
      const wanted = desired.find(d => d.key === outcome.key);
      if (!tenant || !wanted) continue;
      const ok = outcome.status === 'successful';
      let status: TenantStatus = tenant.status;
      if (wanted.phase === 'active') status = ok ? 'successful' : 'failed';
      else if (wanted.phase === 'removed' && ok) status = 'deleted';
      const steps = outcome.steps.map(index => {
        const step = report.steps[index];
        return {
          summary: step.summary,
          outcome: step.outcome?.status ?? 'planned',
        };
      });
      // A run that found nothing to write keeps the run that made the change on show (with
      // when it was checked again): "the last run" would otherwise be a no-op, not the change.
      const previous = tenantReplicationSchema.safeParse(
        tenant.lastReplication,
      );
      const noChange =
        ok &&
        steps.length === 0 &&
        status === tenant.status &&
        previous.success &&
        previous.data.status === 'successful';
      const lastReplication = noChange
        ? {
            ...previous.data,
            remarks: outcome.remarks,
            warnings: outcome.warnings,
            checkedAt: report.finishedAt,
            checkedRunId: run.id,
          }
        : {
            runId: run.id,
            at: report.finishedAt,
            status: outcome.status,
            steps,
            remarks: outcome.remarks,
            warnings: outcome.warnings,
            errors: outcome.errors,
          };
      // A tenant changed during the run keeps its new state; the follow-up run records its own.
      const written = await store.recordReplication(
        tenant.id,
        versions.get(tenant.id)!,
        {
          status,
          projectId: outcome.projectId,
          ...(ok && wanted.phase === 'active'
            ? { appliedQuotas: wanted.quotas }
            : {}),
          lastReplication,
        },
        steps.length > 0 || status !== tenant.status
          ? {
              at: report.finishedAt,
              actor: 'replication',
              action: `replicated: ${status}, ${steps.length} write(s)`,
              ...(outcome.errors.length > 0
                ? { comment: outcome.errors.join('; ') }
                : {}),
            }
          : undefined,
      );
      // Only the run whose write landed tells anyone: a tenant changed meanwhile is told by
      // the follow-up run, and a run that changed nothing sends nothing.
      const notices = this.options.notices;
      if (written && notices) {
        const added = outcome.steps.flatMap(index => {
          const step = report.steps[index];
          return step.kind === 'add-member' && step.outcome?.status === 'done'
            ? [step.userName]
            : [];
        });
        await notices.send(
          replicationNotice(tenant, written),
          ...memberNotices(tenant, written, added, notices.memberUserNamespace),
        );
      }
    }
  }
}

function toRun(
  id: string,
  siteRef: string,
  trigger: ReplicationRun['trigger'],
  dryRun: boolean,
  startedAt: Date,
  report: ReplicationReport,
): ReplicationRun {
  return {
    id,
    site: siteRef,
    trigger,
    dryRun,
    status: report.status,
    startedAt: startedAt.toISOString(),
    finishedAt: report.finishedAt,
    ...(report.error ? { error: report.error } : {}),
    keystoneCalls: report.keystoneCalls,
    steps: report.steps.map(step => ({
      summary: step.summary,
      ...(step.tenantKey ? { tenantId: step.tenantKey } : {}),
      ...(step.outcome ? { outcome: step.outcome.status } : {}),
    })),
    tenants: report.tenants.map(t => ({
      tenantId: t.key,
      projectName: t.projectName,
      status: t.status,
      remarks: t.remarks,
      warnings: t.warnings,
      errors: t.errors,
    })),
  };
}
