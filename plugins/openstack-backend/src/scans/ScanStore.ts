import { Knex } from 'knex';
import {
  abandonStaleRuns,
  insertRunning,
  renewRunning,
} from '../database/runLease';
import {
  CheckChange,
  CheckResult,
  CheckStatus,
  ProfileScore,
  ScanSummary,
} from '@fedstack/plugin-openstack-common';
import {
  notEvaluatedCheck,
  ComplianceCatalogue,
  Profile,
  profileReadiness,
  ProfileSettings,
} from '@fedstack/plugin-openstack-node';

/**
 * Scans, their results and scores, in the plugin's own database (SQLite in development,
 * PostgreSQL in production: the same migrations and queries run on both).
 */

interface ScanRow {
  id: string;
  site_ref: string;
  status: ScanSummary['status'];
  trigger: ScanSummary['trigger'];
  started_at: string | Date;
  finished_at: string | Date | null;
  duration_ms: number | null;
  tokens_issued: number | null;
  requests: number | null;
  error: string | null;
  heartbeat_at: string | Date | null;
  profiles: string;
  changes: string;
  plan: string | null;
}

/**
 * What a scan runs, recorded when it starts: whoever closes the scan after its backend died can
 * tell whether every check ended, and score the profiles as that backend would have.
 */
export interface ScanPlan {
  checks: string[];
  profiles: string[];
  profileSettings: Record<string, ProfileSettings>;
  /**
   * The profiles as the scan scores them (settings applied): kept, so the scan's scores can be
   * read (and a dead backend's scan completed) by the definition they were computed with.
   * Absent in plans stored before.
   */
  definitions?: Profile[];
}

/** A running scan whose backend stopped renewing it. */
export interface StaleScan {
  id: string;
  siteRef: string;
  startedAt: Date;
  /** Undefined for a scan started by a backend from before plans. */
  plan?: ScanPlan;
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** A profile score as stored; scans stored before "not evaluated" lack the last two fields. */
type StoredProfileScore = Omit<ProfileScore, 'readiness' | 'notEvaluated'> &
  Partial<Pick<ProfileScore, 'readiness' | 'notEvaluated'>>;

const isLegacy = (profile: StoredProfileScore) =>
  profile.readiness === undefined || profile.notEvaluated === undefined;

function toSummary(row: ScanRow): ScanSummary {
  return {
    id: row.id,
    siteRef: row.site_ref,
    status: row.status,
    trigger: row.trigger,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    durationMs: row.duration_ms,
    tokensIssued: row.tokens_issued,
    requests: row.requests,
    error: row.error,
    // Completed by `withReadiness` when stored by an older backend.
    profiles: JSON.parse(row.profiles),
    changes: JSON.parse(row.changes),
  };
}

const resultRow = (scanId: string, result: CheckResult) => ({
  scan_id: scanId,
  check_id: result.checkId,
  status: result.status,
  severity: result.severity,
  area: result.area,
  result: JSON.stringify(result),
});

// SQLite allows 999 bound variables a statement.
const IDS_PER_QUERY = 500;

export class ScanStore {
  constructor(private readonly db: Knex) {}

  /**
   * Scans stored before readiness could be "not evaluated" have no `readiness` and no
   * `notEvaluated`: both are derived from their stored skipped results, by the same rule new
   * scans follow, so an old "ready" that left major checks out reads as not evaluated. Only
   * such scans cost a query (one for all of them).
   */
  private async withReadiness(rows: ScanRow[]): Promise<ScanSummary[]> {
    const summaries = rows.map(toSummary);
    const legacy = summaries.filter(scan =>
      (scan.profiles as StoredProfileScore[]).some(isLegacy),
    );
    const withSkips = legacy
      .filter(scan => scan.profiles.some(p => (p.counts.skip ?? 0) > 0))
      .map(scan => scan.id);
    const skipped = new Map<string, CheckResult[]>();
    for (let i = 0; i < withSkips.length; i += IDS_PER_QUERY) {
      const found: { scan_id: string; result: string }[] = await this.db(
        'openstack_check_results',
      )
        .whereIn('scan_id', withSkips.slice(i, i + IDS_PER_QUERY))
        .andWhere('status', 'skip')
        .orderBy('check_id')
        .select('scan_id', 'result');
      for (const { scan_id: scanId, result } of found) {
        const results = skipped.get(scanId) ?? [];
        results.push(JSON.parse(result));
        skipped.set(scanId, results);
      }
    }
    for (const scan of legacy) {
      scan.profiles = (scan.profiles as StoredProfileScore[]).map(profile => {
        if (!isLegacy(profile)) return profile as ProfileScore;
        // Legacy scans predate modules' profiles: the built-in definition applies.
        const checks = new Set<string>(
          ComplianceCatalogue.builtIn().profile(profile.profileId)?.checks,
        );
        const notEvaluated = (skipped.get(scan.id) ?? [])
          .filter(result => checks.has(result.checkId))
          .map(result => notEvaluatedCheck(result));
        const readiness = profileReadiness(profile.blocking, notEvaluated);
        return {
          ...profile,
          readiness,
          ready: readiness === 'ready',
          notEvaluated,
        };
      });
    }
    return summaries;
  }

  private async oneWithReadiness(
    row: ScanRow | undefined,
  ): Promise<ScanSummary | undefined> {
    return row ? (await this.withReadiness([row]))[0] : undefined;
  }

  /** The scan's plan: what it was to check and how it scores (undefined before plans). */
  async getPlan(scanId: string): Promise<ScanPlan | undefined> {
    const row = await this.db('openstack_scans')
      .where('id', scanId)
      .first('plan');
    return row?.plan ? (JSON.parse(row.plan) as ScanPlan) : undefined;
  }

  /**
   * Records a scan as running. False when the site already has a running scan (on this backend
   * or another one sharing the database): the caller joins that one.
   */
  async createScan(scan: {
    id: string;
    siteRef: string;
    trigger: ScanSummary['trigger'];
    startedAt: Date;
    plan?: ScanPlan;
  }): Promise<boolean> {
    return insertRunning(this.db, 'openstack_scans', {
      id: scan.id,
      site_ref: scan.siteRef,
      status: 'running',
      trigger: scan.trigger,
      started_at: scan.startedAt,
      heartbeat_at: scan.startedAt,
      profiles: '[]',
      changes: '[]',
      plan: scan.plan ? JSON.stringify(scan.plan) : null,
    } satisfies Partial<ScanRow>);
  }

  /** The site's running scan, if any. */
  async runningScan(siteRef: string): Promise<ScanSummary | undefined> {
    const row = await this.db<ScanRow>('openstack_scans')
      .where({ site_ref: siteRef, status: 'running' })
      .first();
    return this.oneWithReadiness(row);
  }

  /** A scan's status and last heartbeat: whether whoever runs it is alive. */
  async scanLease(
    id: string,
  ): Promise<
    { status: ScanSummary['status']; heartbeatAt: Date | null } | undefined
  > {
    const row = await this.db<ScanRow>('openstack_scans')
      .where({ id })
      .first('status', 'heartbeat_at');
    if (!row) return undefined;
    return {
      status: row.status,
      heartbeatAt:
        row.heartbeat_at === null ? null : new Date(row.heartbeat_at),
    };
  }

  /** The backend running the scan is alive. */
  async renewScan(id: string, at = new Date()): Promise<void> {
    await renewRunning(this.db, 'openstack_scans', id, at);
  }

  /**
   * Stores a finished scan and its results in one transaction: all or nothing. Written again
   * after a lost answer (the database went away at the commit), it replaces the results.
   *
   * With `ifStaleBefore`, completes the scan only while it is still running with a heartbeat
   * older than that (its backend died): false when it is not, and nothing is written. Of the
   * backends that find the same dead scan, one completes it.
   */
  async completeScan(
    id: string,
    outcome: {
      finishedAt: Date;
      durationMs: number;
      /** Unknown (null) when the backend that ran the scan died before storing it. */
      tokensIssued: number | null;
      requests: number | null;
      profiles: ProfileScore[];
      changes: CheckChange[];
      results: CheckResult[];
    },
    options: {
      ifStaleBefore?: Date;
      /**
       * Checks whose result {@link ScanStore.saveResult} stored already (the same result):
       * not written again.
       */
      storedChecks?: ReadonlySet<string>;
    } = {},
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      let scan = tx<ScanRow>('openstack_scans').where({ id });
      if (options.ifStaleBefore)
        scan = scan
          .andWhere({ status: 'running' })
          .andWhere('heartbeat_at', '<', options.ifStaleBefore);
      const updated = await scan.update({
        status: 'completed',
        finished_at: outcome.finishedAt,
        duration_ms: Math.round(outcome.durationMs),
        tokens_issued: outcome.tokensIssued,
        requests: outcome.requests,
        profiles: JSON.stringify(outcome.profiles),
        changes: JSON.stringify(outcome.changes),
      } as Partial<ScanRow>);
      if (options.ifStaleBefore && updated === 0) return false;
      // The scan's results are these and no others.
      await tx('openstack_check_results')
        .where({ scan_id: id })
        .whereNotIn(
          'check_id',
          outcome.results.map(result => result.checkId),
        )
        .delete();
      const unsaved = outcome.results.filter(
        result => !options.storedChecks?.has(result.checkId),
      );
      // Batches keep each insert within SQLite's limit on bound variables.
      for (let i = 0; i < unsaved.length; i += 50) {
        await tx('openstack_check_results')
          .insert(unsaved.slice(i, i + 50).map(result => resultRow(id, result)))
          .onConflict(['scan_id', 'check_id'])
          .merge();
      }
      return true;
    });
  }

  /**
   * Stores one check's result while its scan runs, so that a backend that dies before the scan
   * is stored leaves what its checks found. The scan's completion writes every result again.
   */
  async saveResult(scanId: string, result: CheckResult): Promise<void> {
    await this.db('openstack_check_results')
      .insert(resultRow(scanId, result))
      .onConflict(['scan_id', 'check_id'])
      .merge();
  }

  /** Running scans whose heartbeat is older than `heartbeatBefore`: their backend died. */
  async staleRunningScans(heartbeatBefore: Date): Promise<StaleScan[]> {
    const rows = await this.db<ScanRow>('openstack_scans')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', heartbeatBefore)
      .select('id', 'site_ref', 'started_at', 'plan');
    const planOf = (text: string | null): ScanPlan | undefined => {
      try {
        return text ? (JSON.parse(text) as ScanPlan) : undefined;
      } catch {
        // Closed as abandoned, as a scan from before plans.
        return undefined;
      }
    };
    return rows.map(row => {
      const plan = planOf(row.plan);
      return {
        id: row.id,
        siteRef: row.site_ref,
        startedAt: new Date(row.started_at),
        ...(plan && { plan }),
      };
    });
  }

  async failScan(id: string, error: string, finishedAt: Date): Promise<void> {
    await this.db<ScanRow>('openstack_scans')
      .where({ id })
      .update({
        status: 'failed',
        error,
        finished_at: finishedAt,
      } as Partial<ScanRow>);
  }

  async getScan(id: string): Promise<ScanSummary | undefined> {
    const row = await this.db<ScanRow>('openstack_scans').where({ id }).first();
    return this.oneWithReadiness(row);
  }

  async getResults(scanId: string): Promise<CheckResult[]> {
    const rows = await this.db('openstack_check_results')
      .where({ scan_id: scanId })
      .select('result');
    return rows.map(row => JSON.parse(row.result));
  }

  /** Each check's status in a scan, without reading (and parsing) the results themselves. */
  async getStatuses(scanId: string): Promise<Map<string, CheckStatus>> {
    const rows = await this.db('openstack_check_results')
      .where({ scan_id: scanId })
      .select('check_id', 'status');
    return new Map(rows.map(row => [row.check_id, row.status]));
  }

  /** The newest finished scan of each site (one query for the whole fleet). */
  async latestCompletedScans(
    /** Only scans started before this time: the fleet as it stood then. */
    before?: Date,
  ): Promise<Map<string, ScanSummary>> {
    const newest = this.db('openstack_scans')
      .select('site_ref')
      .max({ started_at: 'started_at' })
      .where({ status: 'completed' })
      .modify(query => {
        if (before) query.andWhere('started_at', '<', before);
      })
      .groupBy('site_ref')
      .as('newest');
    const rows: ScanRow[] = await this.db('openstack_scans as s')
      .join(newest, function joinNewest() {
        this.on('s.site_ref', '=', 'newest.site_ref').andOn(
          's.started_at',
          '=',
          'newest.started_at',
        );
      })
      .where('s.status', 'completed')
      .select('s.*');
    const summaries = await this.withReadiness(rows);
    return new Map(summaries.map(scan => [scan.siteRef, scan]));
  }

  /** A site's scans, newest first. */
  async listScans(siteRef: string, limit: number): Promise<ScanSummary[]> {
    const rows = await this.db<ScanRow>('openstack_scans')
      .where({ site_ref: siteRef })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return this.withReadiness(rows);
  }

  /**
   * Closes running scans whose backend stopped renewing them (killed, crashed): their
   * heartbeat is older than `heartbeatBefore`. The results their checks stored stay with them.
   */
  async abandonRunningScans(heartbeatBefore: Date): Promise<number> {
    return abandonStaleRuns(this.db, 'openstack_scans', heartbeatBefore);
  }
}
