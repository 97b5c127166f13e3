import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckChange,
  ProfileScore,
  ScanSummary,
  CheckResult,
  ScanEvent,
} from '@fedstack/plugin-openstack-common';
import {
  ComplianceCatalogue,
  scanSite,
  scoreProfile,
} from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import {
  checkEvents,
  failingEvents,
  readinessEvents,
  scanErrored,
  SiteNotices,
} from './siteNotices';
import { ScanPlan, ScanStore, StaleScan } from './ScanStore';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';
import { createSiteClients, SiteClients } from '../sites/siteSessions';
import { ScanInputs, siteUnderTest } from './scanInputs';
import {
  claimRun,
  keepAlive,
  persist,
  RunLeaseTiming,
  waitUntilEnded,
} from '../database/runLease';

interface RunningScan {
  scanId: string;
  siteRef: string;
  /** Every event so far, so that a late watcher sees the whole scan. */
  events: ScanEvent[];
  emitter: EventEmitter;
  done: Promise<void>;
}

export class SiteNotScannableError extends Error {}

/** A scan started here, or joined. */
interface StartedScan {
  scanId: string;
  joined: boolean;
  /** The scan is over and stored. */
  done: Promise<void>;
  /** Its checks have ended, before it is stored (a scan this backend runs). */
  checked?: Promise<void>;
}

/**
 * Test-only: with this variable set, a scan whose checks all ended (and whose results are
 * stored one by one) waits forever before the scan itself is stored, after printing
 * `paused before storing scan <id>` on stdout. A test kills the backend there, deterministically
 * between the checks' end and the scan's completion.
 */
const PAUSE_BEFORE_STORING = 'FEDSTACK_TEST_PAUSE_BEFORE_STORING_SCAN';

// Clients of a site not scanned for this long are closed: its tokens are near expiry anyway.
const CLIENTS_IDLE_MS = 15 * 60 * 1000;

/**
 * Runs scans: on demand (concurrent triggers for one site join the running scan) and for the
 * whole fleet on a schedule, with a concurrency limit. Progress goes to watchers as events.
 */
export class ScanService {
  private readonly running = new Map<string, RunningScan>();
  /** Scans being recorded as running (between the trigger and the store's answer). */
  private readonly starting = new Map<
    string,
    Promise<{ scanId: string; joined: boolean; done: Promise<void> }>
  >();
  /** Each site's http and sessions: kept between manual scans so that tokens carry over. */
  private readonly clients = new Map<
    string,
    { key: string; clients: SiteClients; lastUsed: number }
  >();

  constructor(
    private readonly options: {
      store: ScanStore;
      registry: SiteRegistry;
      config: OpenStackPluginConfig;
      /** The checks and profiles (built-in and the modules'); the built-in ones by default. */
      catalogue?: ComplianceCatalogue;
      logger: LoggerService;
      /** Tells a site's owners what changed (regressions, readiness, failing scans); optional. */
      siteNotices?: SiteNotices;
      /** Sources and settings shared with the console; made from config when absent. */
      inputs?: ScanInputs;
    },
  ) {
    this.lease = options.config.runs;
    this.inputs = options.inputs ?? new ScanInputs(options.config);
    this.catalogue = options.catalogue ?? ComplianceCatalogue.builtIn();
  }

  private readonly catalogue: ComplianceCatalogue;

  private readonly inputs: ScanInputs;

  /**
   * Whether each scheduled scan this backend ran errored (failed, or Keystone did not answer),
   * known from its report: the fleet run decides its retry without reading the scan back.
   */
  private readonly erroredScans = new Map<string, boolean>();

  private readonly lease: RunLeaseTiming;

  /**
   * Closes running scans whose backend stopped renewing them. A scan whose checks had all ended
   * (their results stored one by one) is completed with those results: only storing it was
   * left. Any other is closed as abandoned, keeping the results of the checks that ended.
   * Resolves to how many scans it closed.
   */
  private async closeStale(
    heartbeatBefore = new Date(Date.now() - this.lease.staleAfterMs),
  ): Promise<number> {
    const { store } = this.options;
    let completed = 0;
    for (const scan of await store.staleRunningScans(heartbeatBefore)) {
      // A scan that cannot be completed (an unreadable stored result) is still closed below:
      // it must not hold its site's running slot.
      const done = await this.completeFromStored(scan, heartbeatBefore).catch(
        error => {
          this.options.logger.warn(
            `Could not complete scan ${scan.id} of ${scan.siteRef} from its stored results: ${error}`,
          );
          return false;
        },
      );
      if (done) completed++;
    }
    return completed + (await store.abandonRunningScans(heartbeatBefore));
  }

  /**
   * Completes a dead backend's scan whose planned checks all have a stored result, as that
   * backend would have (scores, changes since the previous scan, notice of lost readiness).
   * False when a check is missing, the scan predates plans, or another backend closed it first.
   */
  private async completeFromStored(
    scan: StaleScan,
    heartbeatBefore: Date,
  ): Promise<boolean> {
    const { store, logger } = this.options;
    const plan = scan.plan;
    if (!plan) return false;
    const stored = new Map(
      (await store.getResults(scan.id)).map(result => [result.checkId, result]),
    );
    if (!plan.checks.every(checkId => stored.has(checkId))) return false;
    // In the order the scan would have stored them.
    const results = plan.checks.map(checkId => stored.get(checkId)!);
    const ends = results.map(
      r => new Date(r.startedAt).getTime() + r.durationMs,
    );
    const finishedAt = new Date(
      Math.max(scan.startedAt.getTime(), ...ends.filter(Number.isFinite)),
    );
    const previous = (await store.listScans(scan.siteRef, 10)).find(
      s =>
        s.status === 'completed' &&
        new Date(s.startedAt).getTime() < scan.startedAt.getTime(),
    );
    // Stored as scanSite reported them (the common type reads `area` as any string).
    const scored = results as Parameters<
      ComplianceCatalogue['scoreProfile']
    >[1];
    // By the definitions the scan started with, when its plan kept them.
    const profiles = plan.profiles.map(profile => {
      const kept = plan.definitions?.find(
        definition => definition.id === profile,
      );
      return kept
        ? scoreProfile(kept, scored)
        : this.catalogue.scoreProfile(
            profile,
            scored,
            plan.profileSettings[profile],
          );
    });
    const changes = await this.changesSince(previous?.id, results);
    const claimed = await store.completeScan(
      scan.id,
      {
        finishedAt,
        durationMs: finishedAt.getTime() - scan.startedAt.getTime(),
        // Counted by the backend that died.
        tokensIssued: null,
        requests: null,
        profiles,
        changes,
        results,
      },
      // The results were read from the store: nothing to write again.
      { ifStaleBefore: heartbeatBefore, storedChecks: new Set(stored.keys()) },
    );
    if (!claimed) return false;
    logger.info(
      `Completed scan ${scan.id} of ${scan.siteRef} from its stored results: the backend running it stopped after its checks ended`,
    );
    await this.noticeChanges(
      scan.siteRef,
      previous?.profiles,
      { status: 'completed', profiles },
      changes,
    );
    return true;
  }

  /**
   * Tells a site's owners what this scan changed: regressions and recoveries, readiness lost or
   * regained, and scans failing several times in a row. A failed notification is logged.
   */
  private async noticeChanges(
    siteRef: string,
    before: ProfileScore[] | undefined,
    after: Pick<ScanSummary, 'status' | 'profiles'>,
    changes: CheckChange[],
  ): Promise<void> {
    const notices = this.options.siteNotices;
    if (!notices) return;
    try {
      const inARow = this.options.config.notifications.sites.failedScansInARow;
      // The scans before are read only when this one failed: a streak ends with a good scan.
      const recent = scanErrored(after)
        ? await this.options.store.listScans(siteRef, inARow + 1)
        : [];
      await notices.tell(siteRef, [
        ...checkEvents(changes),
        ...readinessEvents(before, after.profiles),
        ...failingEvents(
          recent.filter(scan => scan.status !== 'running'),
          inARow,
        ),
      ]);
    } catch (error) {
      this.options.logger.warn(
        `Could not notify the owners of ${siteRef}: ${error}`,
      );
    }
  }

  /** Starts a scan of a site, or joins the one running. */
  async trigger(
    siteRef: string,
    trigger: 'manual' | 'schedule',
  ): Promise<{ scanId: string; joined: boolean; done: Promise<void> }> {
    const current = this.running.get(siteRef);
    if (current)
      return { scanId: current.scanId, joined: true, done: current.done };
    const starting = this.starting.get(siteRef);
    if (starting) return { ...(await starting), joined: true };
    const registered = await this.options.registry.getSite(siteRef);
    if (!registered)
      throw new SiteNotScannableError(`No OpenStack site ${siteRef}`);
    return this.start(registered, trigger);
  }

  private async start(
    registered: RegisteredSite,
    trigger: 'manual' | 'schedule',
  ): Promise<StartedScan> {
    const { site } = registered;
    // A profile no module defines (a typo, a module removed) is the site's problem, named.
    const problems = site
      ? [
          ...registered.problems,
          ...this.catalogue
            .problemsOf(site.profiles)
            .map(problem => `its profiles annotation names ${problem}`),
        ]
      : registered.problems;
    if (!site || problems.length > 0) {
      throw new SiteNotScannableError(
        `Site ${registered.entityRef} cannot be scanned: ${problems.join(
          '; ',
        )}`,
      );
    }
    const again = this.running.get(registered.entityRef);
    if (again) return { scanId: again.scanId, joined: true, done: again.done };
    const starting = this.starting.get(registered.entityRef);
    if (starting) return { ...(await starting), joined: true };
    // Set before the first await, so that a concurrent trigger joins this one.
    const started = this.begin(registered, site, trigger);
    this.starting.set(registered.entityRef, started);
    try {
      return await started;
    } finally {
      this.starting.delete(registered.entityRef);
    }
  }

  /**
   * Records the scan as running in the store (one running scan per site, across every backend
   * sharing the database), then runs it. When another backend runs one already, this joins it.
   */
  private async begin(
    registered: RegisteredSite,
    site: NonNullable<RegisteredSite['site']>,
    trigger: 'manual' | 'schedule',
  ): Promise<StartedScan> {
    const { store } = this.options;
    const scanId = randomUUID();
    const startedAt = new Date();
    const profiles = site.profiles;
    const configured = this.options.config.profiles ?? {};
    // What scoring reads of the site's profiles (their scan settings stay in the config).
    const profileSettings: ScanPlan['profileSettings'] = Object.fromEntries(
      profiles.flatMap(profile => {
        const own = configured[profile];
        return own
          ? [
              [
                profile,
                { weights: own.weights, disabledChecks: own.disabledChecks },
              ],
            ]
          : [];
      }),
    );
    const plan: ScanPlan = {
      // The checks scanSite runs, given the same profiles and settings.
      checks: this.catalogue
        .checksFor(profiles, configured)
        .map(check => check.metadata.id),
      profiles,
      profileSettings,
      definitions: profiles.map(profile =>
        this.catalogue.effectiveProfile(profile, profileSettings[profile]),
      ),
    };
    const row = {
      id: scanId,
      siteRef: registered.entityRef,
      trigger,
      startedAt,
      plan,
    };
    const created = await claimRun(
      () => store.createScan(row),
      () => this.closeStale(),
    );
    if (!created) {
      const other = await store.runningScan(registered.entityRef);
      if (other)
        return {
          scanId: other.id,
          joined: true,
          done: this.finished(other.id),
        };
      return this.begin(registered, site, trigger);
    }

    const emitter = new EventEmitter();
    emitter.setMaxListeners(100);
    const entry: RunningScan = {
      scanId,
      siteRef: registered.entityRef,
      events: [],
      emitter,
      done: Promise.resolve(),
    };
    // Registered before the first await, so that a concurrent trigger joins this scan.
    this.running.set(registered.entityRef, entry);
    const emit = (event: ScanEvent) => {
      entry.events.push(event);
      emitter.emit('event', event);
    };
    const stopRenewing = keepAlive(
      () => store.renewScan(scanId),
      this.lease,
      this.options.logger,
    );
    // Each check's result is stored as it ends (one write at a time, in order): a backend that
    // dies before the scan is stored leaves them, and the backend closing the scan uses them.
    let saving = Promise.resolve();
    const saved = new Set<string>();
    const save = (result: CheckResult) => {
      saving = saving.then(() =>
        store.saveResult(scanId, result).then(
          () => {
            saved.add(result.checkId);
          },
          error =>
            // The completion writes the results not stored yet.
            this.options.logger.debug(
              `Could not store ${result.checkId} of scan ${scanId} yet: ${error}`,
            ),
        ),
      );
    };
    let checksEnded = () => {};
    const checked = new Promise<void>(resolve => {
      checksEnded = resolve;
    });
    entry.done = (async () => {
      try {
        const clients = this.clientsFor(registered);
        const { config } = this.options;
        const report = await scanSite({
          site: siteUnderTest(site),
          profiles: site.profiles,
          profileSettings: config.profiles,
          catalogue: this.catalogue,
          settings: this.inputs.settingsFor(site),
          sources: this.inputs.sourcesFor(site),
          sessions: clients.sessions,
          onProgress: progress => {
            if (progress.phase === 'started') {
              emit({ type: 'check-started', checkId: progress.checkId });
            } else if (progress.result) {
              save(progress.result as CheckResult);
              emit({
                type: 'check-finished',
                checkId: progress.checkId,
                status: progress.result.status,
                message: progress.result.message,
              });
            }
          },
        });
        checksEnded();
        const results = report.results as CheckResult[];
        if (trigger === 'schedule') {
          const reachable = results.find(
            r => r.checkId === 'keystone.reachable',
          );
          this.erroredScans.set(
            scanId,
            reachable !== undefined && reachable.status !== 'pass',
          );
        }
        const finishedAt = new Date();
        // The completion replaces the stored results: no single write may land after it.
        await saving;
        if (process.env[PAUSE_BEFORE_STORING]) {
          process.stdout.write(`paused before storing scan ${scanId}\n`);
          await new Promise(() => {});
        }
        // The database may be away longer than the scan: the result waits for it (comparing
        // with the previous scan reads the database too).
        const previous = await persist(
          async () => {
            const last = await this.previousCompleted(registered.entityRef);
            const changes = await this.changesSince(last?.id, results);
            await store.completeScan(
              scanId,
              {
                finishedAt,
                durationMs: report.durationMs,
                tokensIssued: report.tokensIssued,
                requests: report.requests,
                profiles: report.profiles,
                changes,
                results,
              },
              // Each result is the object saved as its check ended.
              { storedChecks: saved },
            );
            return { last, changes };
          },
          {
            what: `scan ${scanId} of ${registered.entityRef}`,
            logger: this.options.logger,
          },
        );
        await this.noticeChanges(
          registered.entityRef,
          previous.last?.profiles,
          { status: 'completed', profiles: report.profiles },
          previous.changes,
        );
      } catch (error) {
        checksEnded();
        this.options.logger.error(
          `Scan ${scanId} of ${registered.entityRef} failed: ${error}`,
        );
        await saving;
        const recorded = await store
          .failScan(scanId, String(error), new Date())
          .then(
            () => true,
            failed => {
              // Closed by the next trigger or fleet run once its heartbeat is stale.
              this.options.logger.error(
                `Could not record scan ${scanId} as failed: ${failed}`,
              );
              return false;
            },
          );
        // A failed scan changes no result, but may be one failure too many in a row.
        if (recorded) {
          await this.noticeChanges(
            registered.entityRef,
            undefined,
            { status: 'failed', profiles: [] },
            [],
          );
        }
      } finally {
        stopRenewing();
        this.running.delete(registered.entityRef);
        // A scheduled scan's clients would wait an hour for the next, their tokens expired by
        // then: closing them keeps a large fleet's memory flat. Manual scans keep them a while.
        if (trigger === 'schedule') this.dropClients(registered.entityRef);
        this.dropIdleClients();
        const summary = await this.options.store
          .getScan(scanId)
          .catch(() => undefined);
        if (summary) emit({ type: 'scan-finished', scan: summary });
        emitter.emit('end');
      }
    })();
    return { scanId, joined: false, done: entry.done, checked };
  }

  /**
   * Resolves when a scan another backend runs is no longer running in the store, or is closed
   * because that backend stopped renewing it.
   */
  async finished(
    scanId: string,
    gaveUp: () => boolean = () => false,
  ): Promise<void> {
    await waitUntilEnded({
      read: () => this.options.store.scanLease(scanId).catch(() => undefined),
      closeStale: before => this.closeStale(before).catch(() => 0),
      timing: this.lease,
      gaveUp,
    });
  }

  /** Events of a running scan: the ones so far, then live ones. Undefined when not running. */
  watch(
    scanId: string,
    onEvent: (event: ScanEvent) => void,
    onEnd: () => void,
  ): (() => void) | undefined {
    const entry = [...this.running.values()].find(r => r.scanId === scanId);
    if (!entry) return undefined;
    entry.events.forEach(onEvent);
    entry.emitter.on('event', onEvent);
    entry.emitter.once('end', onEnd);
    return () => {
      entry.emitter.off('event', onEvent);
      entry.emitter.off('end', onEnd);
    };
  }

  /**
   * Scans every scannable site, a few at a time; a site that fails does not stop the others.
   * A site whose scan failed, or whose Keystone could not be reached, is scanned once more at
   * the end of the run: a passing network hiccup should not stand until the next run.
   */
  async scanFleet(): Promise<void> {
    // Scans a stopped backend left running will never finish: close them first.
    await this.closeStale();
    const sites = (await this.options.registry.listSites()).filter(
      s => s.site && s.problems.length === 0,
    );
    const queue = [...sites];
    const retried = new Set<string>();
    // A slot starts its next site once a scan's checks end; the scan is stored meanwhile (a
    // slot waits for its previous scan's storing before it lets go of another, so at most one
    // per slot is in the store's hands). A scan to retry joins the queue once stored.
    const stored = async (site: RegisteredSite, scan: StartedScan) => {
      try {
        await scan.done;
        if (!retried.has(site.entityRef) && (await this.errored(scan.scanId))) {
          retried.add(site.entityRef);
          queue.push(site);
        }
      } catch (error) {
        this.options.logger.warn(`Could not scan ${site.entityRef}: ${error}`);
      }
    };
    const worker = async () => {
      let storing: Promise<void> | undefined;
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          const scan = await this.start(next, 'schedule');
          await (scan.checked ?? scan.done);
          await storing;
          storing = stored(next, scan);
        } catch (error) {
          this.options.logger.warn(
            `Could not scan ${next.entityRef}: ${error}`,
          );
        }
      }
      await storing;
    };
    const slots = Math.min(this.options.config.scans.concurrency, sites.length);
    // Retries queued by the last scans' storing, after every slot had found the queue empty.
    while (queue.length > 0) {
      await Promise.all(Array.from({ length: slots }, worker));
    }
  }

  /** The scan failed as a whole, or the site's Keystone did not answer. */
  private async errored(scanId: string): Promise<boolean> {
    const known = this.erroredScans.get(scanId);
    this.erroredScans.delete(scanId);
    // A scan whose store write failed is failed, whatever its report said.
    if (known === false) {
      const scan = await this.options.store.getScan(scanId);
      return !scan || scan.status === 'failed';
    }
    if (known === true) return true;
    // Another backend's scan (joined): only the store knows.
    const scan = await this.options.store.getScan(scanId);
    if (!scan || scan.status === 'failed') return true;
    const reachable = (await this.options.store.getResults(scanId)).find(
      r => r.checkId === 'keystone.reachable',
    );
    return reachable !== undefined && reachable.status !== 'pass';
  }

  private clientsFor(registered: RegisteredSite): SiteClients {
    const site = registered.site!;
    // A new URL or credential set makes new clients; otherwise tokens carry over between scans.
    const key = `${site.keystoneUrl}|${site.region ?? ''}|${site.credentials}`;
    const known = this.clients.get(registered.entityRef);
    if (known?.key === key) {
      known.lastUsed = Date.now();
      return known.clients;
    }
    known?.clients.http.close();
    const clients = createSiteClients(
      site,
      this.options.config.credentialSets[site.credentials],
      {
        requestTimeoutMs: this.options.config.scans.requestTimeoutMs,
        network: this.options.config.network,
      },
    );
    this.clients.set(registered.entityRef, {
      key,
      clients,
      lastUsed: Date.now(),
    });
    return clients;
  }

  private dropClients(siteRef: string): void {
    if (this.running.has(siteRef)) return;
    this.clients.get(siteRef)?.clients.http.close();
    this.clients.delete(siteRef);
  }

  /** Closes the clients of sites not scanned for a while (a token lasts an hour at most). */
  private dropIdleClients(): void {
    const idleSince = Date.now() - CLIENTS_IDLE_MS;
    for (const [siteRef, entry] of this.clients)
      if (entry.lastUsed < idleSince) this.dropClients(siteRef);
  }

  /** How many sites have clients open (for tests). */
  get openClients(): number {
    return this.clients.size;
  }

  private async previousCompleted(siteRef: string) {
    return (await this.options.store.listScans(siteRef, 10)).find(
      scan => scan.status === 'completed',
    );
  }

  private async changesSince(
    previousScanId: string | undefined,
    results: CheckResult[],
  ): Promise<CheckChange[]> {
    if (!previousScanId) return [];
    const before = await this.options.store.getStatuses(previousScanId);
    return results
      .filter(r => before.get(r.checkId) !== r.status)
      .map(r => ({
        checkId: r.checkId,
        from: before.get(r.checkId) ?? null,
        to: r.status,
      }));
  }

  /** Closes every site's connections (backend shutdown). */
  close(): void {
    for (const { clients } of this.clients.values()) clients.http.close();
    this.clients.clear();
  }
}
