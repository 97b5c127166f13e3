import { Knex } from 'knex';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  CheckChange,
  ProfileScore,
  ScanSummary,
} from '@fedstack/plugin-openstack-common';

/**
 * What changed on a site that its owners are told: a check that passed now fails
 * (`regression`) or the reverse (`recovery`), a profile's readiness lost or regained, and scans
 * that failed (or reached no Keystone) several times in a row. Found by comparing a scan with
 * the one before, so one change is told once, not at every scan.
 */
export type SiteEventKind =
  | 'regression'
  | 'recovery'
  | 'readiness-lost'
  | 'readiness-regained'
  | 'scans-failing'
  | 'waiver-expiring';

export interface SiteEvent {
  kind: SiteEventKind;
  /** What it is about: a check id, a profile id, a waiver id; the site itself for failures. */
  subject: string;
  /** One line an owner can act on. */
  text: string;
}

const PASSING = new Set(['pass', 'warn']);
const FAILING = new Set(['fail', 'error']);

/** Regressions and recoveries among a scan's changes since the previous one. */
export function checkEvents(changes: readonly CheckChange[]): SiteEvent[] {
  const events: SiteEvent[] = [];
  for (const change of changes) {
    if (change.from && PASSING.has(change.from) && FAILING.has(change.to)) {
      events.push({
        kind: 'regression',
        subject: change.checkId,
        text: `${change.checkId} ${
          change.from === 'warn' ? 'warned' : 'passed'
        } and now ${change.to === 'fail' ? 'fails' : 'cannot run'}`,
      });
    }
    if (change.from && FAILING.has(change.from) && change.to === 'pass') {
      events.push({
        kind: 'recovery',
        subject: change.checkId,
        text: `${change.checkId} passes again`,
      });
    }
  }
  return events;
}

/** Profiles whose readiness was lost or regained between two scans. */
export function readinessEvents(
  before: readonly ProfileScore[] | undefined,
  after: readonly ProfileScore[],
): SiteEvent[] {
  if (!before) return [];
  const events: SiteEvent[] = [];
  for (const profile of after) {
    const was = before.find(p => p.profileId === profile.profileId);
    if (!was) continue;
    if (was.ready && !profile.ready) {
      const blocking = profile.blocking.length
        ? `blocking: ${profile.blocking.join(', ')}`
        : `not evaluated: ${profile.notEvaluated
            .filter(check => check.blocksReadiness)
            .map(check => `${check.checkId} (${check.reason})`)
            .join(', ')}`;
      events.push({
        kind: 'readiness-lost',
        subject: profile.profileId,
        text: `no longer ready for ${profile.profileId} (${blocking})`,
      });
    }
    if (!was.ready && profile.ready) {
      events.push({
        kind: 'readiness-regained',
        subject: profile.profileId,
        text: `ready again for ${profile.profileId}`,
      });
    }
  }
  return events;
}

/** A scan that failed as a whole, or whose Keystone did not answer. */
export function scanErrored(
  scan: Pick<ScanSummary, 'status' | 'profiles'>,
): boolean {
  return (
    scan.status === 'failed' ||
    scan.profiles.some(p => p.blocking.includes('keystone.reachable'))
  );
}

/**
 * Told once, at the `inARow`th errored scan in a row (latest first in `recent`, the scan just
 * ended included); nothing more until a scan succeeds and they start failing again.
 */
export function failingEvents(
  recent: ReadonlyArray<Pick<ScanSummary, 'status' | 'profiles'>>,
  inARow: number,
): SiteEvent[] {
  const run = recent.findIndex(scan => !scanErrored(scan));
  const errored = run === -1 ? recent.length : run;
  return errored === inARow
    ? [
        {
          kind: 'scans-failing',
          subject: 'scans',
          text: `its last ${inARow} scans failed or reached no Keystone`,
        },
      ]
    : [];
}

const TITLES: Record<SiteEventKind, string> = {
  regression: 'a check fails',
  recovery: 'a check passes again',
  'readiness-lost': 'lost readiness',
  'readiness-regained': 'is ready again',
  'scans-failing': 'scans keep failing',
  'waiver-expiring': 'a waiver ends soon',
};

const HIGH: ReadonlySet<SiteEventKind> = new Set([
  'regression',
  'readiness-lost',
  'scans-failing',
]);

/**
 * What a notification is about, so that the latest news of it replaces the earlier: a check's
 * regression and recovery share one, as do a profile's readiness lost and regained.
 */
function scopeOf(event: SiteEvent): string {
  switch (event.kind) {
    case 'regression':
    case 'recovery':
      return `check:${event.subject}`;
    case 'readiness-lost':
    case 'readiness-regained':
      return `readiness:${event.subject}`;
    case 'waiver-expiring':
      return `waiver:${event.subject}`;
    default:
      return 'scans';
  }
}

function siteParts(siteRef: string) {
  const [, namespaceAndName = ''] = siteRef.split(':');
  const [namespace = 'default', name = siteRef] = namespaceAndName.split('/');
  return { namespace, name };
}

export interface SiteNoticeOptions {
  notifications: NotificationService;
  db: Knex;
  /** `none`: each change at once; `daily`: one digest per site a day. */
  digest: 'none' | 'daily';
  now?: () => Date;
}

/**
 * Tells a site's owners (the notifications backend resolves a Resource to its owner) what
 * changed. Each notification's scope is the site and what it is about, so a check that flaps or
 * a readiness that comes and goes updates one notification instead of piling up. With a daily
 * digest, events wait in `openstack_site_notices` and `sendDigests` sends one per site.
 */
export class SiteNotices {
  constructor(private readonly options: SiteNoticeOptions) {}

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  async tell(siteRef: string, events: readonly SiteEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (this.options.digest === 'daily') {
      const at = this.now();
      await this.options.db('openstack_site_notices').insert(
        events.map(event => ({
          site_ref: siteRef,
          kind: event.kind,
          subject: event.subject,
          text: event.text,
          created_at: at,
        })),
      );
      return;
    }
    const { namespace, name } = siteParts(siteRef);
    for (const event of events) {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: siteRef },
        payload: {
          title: `OpenStack site ${name}: ${TITLES[event.kind]}`,
          description: `${name}: ${event.text}.`,
          link: `/catalog/${namespace}/resource/${name}/openstack`,
          severity: HIGH.has(event.kind) ? 'high' : 'normal',
          topic: 'openstack-site',
          scope: `openstack-site:${siteRef}:${scopeOf(event)}`,
        },
      });
    }
  }

  /** Sends each site's waiting events as one notification, then forgets them. */
  async sendDigests(): Promise<number> {
    const rows: Array<{
      id: number;
      site_ref: string;
      kind: SiteEventKind;
      text: string;
    }> = await this.options
      .db('openstack_site_notices')
      .orderBy('id')
      .select('id', 'site_ref', 'kind', 'text');
    const bySite = new Map<string, typeof rows>();
    for (const row of rows) {
      bySite.set(row.site_ref, [...(bySite.get(row.site_ref) ?? []), row]);
    }
    const day = this.now().toISOString().slice(0, 10);
    for (const [siteRef, events] of bySite) {
      const { namespace, name } = siteParts(siteRef);
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: siteRef },
        payload: {
          title: `OpenStack site ${name}: ${events.length} change${
            events.length === 1 ? '' : 's'
          } since the last digest`,
          description: events.map(event => `${event.text}.`).join(' '),
          link: `/catalog/${namespace}/resource/${name}/openstack`,
          severity: events.some(event => HIGH.has(event.kind))
            ? 'high'
            : 'normal',
          topic: 'openstack-site',
          scope: `openstack-site:${siteRef}:digest:${day}`,
        },
      });
      await this.options
        .db('openstack_site_notices')
        .whereIn(
          'id',
          events.map(event => event.id),
        )
        .delete();
    }
    return bySite.size;
  }
}
