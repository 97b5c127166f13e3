import { Knex } from 'knex';
import { isUniqueViolation } from './uniqueViolation';
import { ABANDONED } from '../service/runLease';
import {
  CheckChange,
  CheckResult,
  ProfileScore,
  ScanSummary,
} from '@fedstack/plugin-openstack-common';

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
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

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
    profiles: JSON.parse(row.profiles),
    changes: JSON.parse(row.changes),
  };
}

export class ScanStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records a scan as running. False when the site already has a running scan (on this backend
   * or another one sharing the database): the caller joins that one.
   */
  async createScan(scan: {
    id: string;
    siteRef: string;
    trigger: ScanSummary['trigger'];
    startedAt: Date;
  }): Promise<boolean> {
    try {
      await this.db<ScanRow>('openstack_scans').insert({
        id: scan.id,
        site_ref: scan.siteRef,
        status: 'running',
        trigger: scan.trigger,
        started_at: scan.startedAt,
        heartbeat_at: scan.startedAt,
        profiles: '[]',
        changes: '[]',
      } as Partial<ScanRow>);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** The site's running scan, if any. */
  async runningScan(siteRef: string): Promise<ScanSummary | undefined> {
    const row = await this.db<ScanRow>('openstack_scans')
      .where({ site_ref: siteRef, status: 'running' })
      .first();
    return row ? toSummary(row) : undefined;
  }

  /** The backend running the scan is alive. */
  async renewScan(id: string, at = new Date()): Promise<void> {
    await this.db<ScanRow>('openstack_scans')
      .where({ id, status: 'running' })
      .update({ heartbeat_at: at } as Partial<ScanRow>);
  }

  /**
   * Stores a finished scan and its results in one transaction: all or nothing. Written again
   * after a lost answer (the database went away at the commit), it replaces the results.
   */
  async completeScan(
    id: string,
    outcome: {
      finishedAt: Date;
      durationMs: number;
      tokensIssued: number;
      requests: number;
      profiles: ProfileScore[];
      changes: CheckChange[];
      results: CheckResult[];
    },
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx<ScanRow>('openstack_scans')
        .where({ id })
        .update({
          status: 'completed',
          finished_at: outcome.finishedAt,
          duration_ms: Math.round(outcome.durationMs),
          tokens_issued: outcome.tokensIssued,
          requests: outcome.requests,
          profiles: JSON.stringify(outcome.profiles),
          changes: JSON.stringify(outcome.changes),
        } as Partial<ScanRow>);
      await tx('openstack_check_results').where({ scan_id: id }).delete();
      // Batches keep each insert within SQLite's limit on bound variables.
      await tx.batchInsert(
        'openstack_check_results',
        outcome.results.map(result => ({
          scan_id: id,
          check_id: result.checkId,
          status: result.status,
          severity: result.severity,
          area: result.area,
          result: JSON.stringify(result),
        })),
        50,
      );
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
    return row ? toSummary(row) : undefined;
  }

  async getResults(scanId: string): Promise<CheckResult[]> {
    const rows = await this.db('openstack_check_results')
      .where({ scan_id: scanId })
      .select('result');
    return rows.map(row => JSON.parse(row.result));
  }

  /** The newest finished scan of each site (one query for the whole fleet). */
  async latestCompletedScans(): Promise<Map<string, ScanSummary>> {
    const newest = this.db('openstack_scans')
      .select('site_ref')
      .max({ started_at: 'started_at' })
      .where({ status: 'completed' })
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
    return new Map(rows.map(row => [row.site_ref, toSummary(row)]));
  }

  /** A site's scans, newest first. */
  async listScans(siteRef: string, limit: number): Promise<ScanSummary[]> {
    const rows = await this.db<ScanRow>('openstack_scans')
      .where({ site_ref: siteRef })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toSummary);
  }

  /**
   * Closes running scans whose backend stopped renewing them (killed, crashed): their
   * heartbeat is older than `heartbeatBefore`.
   */
  async abandonRunningScans(heartbeatBefore: Date): Promise<number> {
    return this.db<ScanRow>('openstack_scans')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', heartbeatBefore)
      .update({
        status: 'failed',
        error: ABANDONED,
        finished_at: new Date(),
      } as Partial<ScanRow>);
  }
}
