import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Waiver, WaiverStatus } from '@fedstack/plugin-openstack-common';

interface WaiverRow {
  id: string;
  site_ref: string;
  check_id: string;
  reason: string;
  status: WaiverStatus;
  expires_at: Date | string;
  requested_by: string;
  requested_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
  revoked_by: string | null;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toWaiver(row: WaiverRow, now: Date): Waiver {
  return {
    id: row.id,
    siteRef: row.site_ref,
    checkId: row.check_id,
    reason: row.reason,
    status: row.status,
    active:
      row.status === 'approved' &&
      new Date(row.expires_at).getTime() > now.getTime(),
    expiresAt: iso(row.expires_at),
    requestedBy: row.requested_by,
    requestedAt: iso(row.requested_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? iso(row.decided_at) : null,
    decisionReason: row.decision_reason,
    revokedBy: row.revoked_by,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
  };
}

/** Thrown when a site's check already has a pending or active waiver. */
export class WaiverConflictError extends Error {}

/**
 * Waivers in the plugin's database. Whether one is active is decided at each read against the
 * caller's clock: an approved waiver stops counting at its expiry with no job to run.
 */
export class WaiverStore {
  constructor(private readonly db: Knex) {}

  /** Pending waivers, and approved ones not yet expired: what still counts or may. */
  private open(query: Knex.QueryBuilder, now: Date) {
    return query.where(q =>
      q
        .where('status', 'pending')
        .orWhere(a =>
          a.where('status', 'approved').andWhere('expires_at', '>', now),
        ),
    );
  }

  async create(
    waiver: Pick<Waiver, 'siteRef' | 'checkId' | 'reason' | 'requestedBy'> & {
      expiresAt: Date;
    },
    now: Date,
  ): Promise<Waiver> {
    const id = randomUUID();
    await this.db.transaction(async tx => {
      const open = await this.open(
        tx('openstack_waivers').where({
          site_ref: waiver.siteRef,
          check_id: waiver.checkId,
        }),
        now,
      ).first('id', 'status');
      if (open) {
        throw new WaiverConflictError(
          `${waiver.checkId} on ${waiver.siteRef} already has a ${
            open.status === 'pending' ? 'pending' : 'active'
          } waiver (${open.id})`,
        );
      }
      await tx('openstack_waivers').insert({
        id,
        site_ref: waiver.siteRef,
        check_id: waiver.checkId,
        reason: waiver.reason,
        status: 'pending',
        expires_at: waiver.expiresAt,
        requested_by: waiver.requestedBy,
        requested_at: now,
      });
    });
    return (await this.get(id, now))!;
  }

  async get(id: string, now: Date): Promise<Waiver | undefined> {
    const row = await this.db<WaiverRow>('openstack_waivers')
      .where('id', id)
      .first();
    return row ? toWaiver(row, now) : undefined;
  }

  /** A site's waivers, newest first; `open` only pending and active ones. */
  async listForSite(
    siteRef: string,
    state: 'open' | 'all',
    now: Date,
  ): Promise<Waiver[]> {
    let query = this.db<WaiverRow>('openstack_waivers').where(
      'site_ref',
      siteRef,
    );
    if (state === 'open') query = this.open(query, now);
    const rows = await query.orderBy('requested_at', 'desc');
    return rows.map(row => toWaiver(row, now));
  }

  /** Every site's waivers, newest first; `open` only pending and active ones. */
  async list(state: 'open' | 'all', now: Date): Promise<Waiver[]> {
    let query = this.db<WaiverRow>('openstack_waivers');
    if (state === 'open') query = this.open(query, now);
    const rows = await query.orderBy('requested_at', 'desc').limit(5000);
    return rows.map(row => toWaiver(row, now));
  }

  /** Active waivers by site ref (one query for the fleet). */
  async activeBySite(now: Date): Promise<Map<string, Waiver[]>> {
    const rows = await this.db<WaiverRow>('openstack_waivers')
      .where('status', 'approved')
      .andWhere('expires_at', '>', now);
    const bySite = new Map<string, Waiver[]>();
    for (const row of rows) {
      const list = bySite.get(row.site_ref) ?? [];
      list.push(toWaiver(row, now));
      bySite.set(row.site_ref, list);
    }
    return bySite;
  }

  /**
   * Approves or rejects a pending waiver, recording who and why; false when it was no longer
   * pending (another decision came first).
   */
  async decide(
    id: string,
    to: 'approved' | 'rejected',
    by: string,
    reason: string | undefined,
    now: Date,
  ): Promise<boolean> {
    const changed = await this.db('openstack_waivers')
      .where({ id, status: 'pending' })
      .update({
        status: to,
        decided_by: by,
        decided_at: now,
        decision_reason: reason ?? null,
      });
    return changed === 1;
  }

  /**
   * Active waivers that end within `days` and whose site's owners were not told yet; each is
   * marked told as it is returned, so two backends do not both tell.
   */
  async claimExpiring(now: Date, days: number): Promise<Waiver[]> {
    const until = new Date(now.getTime() + days * 24 * 3600_000);
    const rows = await this.db<WaiverRow>('openstack_waivers')
      .where('status', 'approved')
      .andWhere('expires_at', '>', now)
      .andWhere('expires_at', '<=', until)
      .whereNull('expiry_notified_at');
    const claimed: Waiver[] = [];
    for (const row of rows) {
      const won = await this.db('openstack_waivers')
        .where({ id: row.id })
        .whereNull('expiry_notified_at')
        .update({ expiry_notified_at: now });
      if (won === 1) claimed.push(toWaiver(row, now));
    }
    return claimed;
  }

  /** Ends a pending or approved waiver before its time; false when it was neither. */
  async revoke(id: string, by: string, now: Date): Promise<boolean> {
    const changed = await this.db('openstack_waivers')
      .where('id', id)
      .whereIn('status', ['pending', 'approved'])
      .update({ status: 'revoked', revoked_by: by, revoked_at: now });
    return changed === 1;
  }
}
