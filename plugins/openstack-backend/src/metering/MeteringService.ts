import { LoggerService } from '@backstage/backend-plugin-api';
import {
  mapLimited,
  METERED_RESOURCES,
  OpenStackSession,
  ProjectUsageSample,
  sampleProjectUsage,
} from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { MeteringStore } from './MeteringStore';
import { createSiteClients, SiteClients } from '../sites/siteSessions';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';

/** One project to meter on one site (a tenant, for the replication). */
export interface MeteringTarget {
  siteRef: string;
  projectId: string;
}

export interface MeteringOutcome {
  target: MeteringTarget;
  sample?: ProjectUsageSample;
  /** Why no sample was taken (the site is gone, has no metering account…). */
  error?: string;
}

/** A site was asked for that cannot be metered (unknown, broken, or without metering account). */
export class SiteNotMeterableError extends Error {}

// Deleted servers are looked for since the previous sample, at most this far back.
const DELETED_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Samples projects with each site's metering credential set, a few at a time, and stores the
 * samples. Which projects: `targets()` (by default every project each site's metering account
 * may scope to); the replication will pass its tenants instead.
 */
export class MeteringService {
  private readonly clients = new Map<
    string,
    { key: string; clients: SiteClients }
  >();
  private readonly targets: () => Promise<MeteringTarget[]>;

  constructor(
    private readonly options: {
      store: MeteringStore;
      registry: SiteRegistry;
      config: OpenStackPluginConfig;
      logger: LoggerService;
      targets?: () => Promise<MeteringTarget[]>;
      now?: () => Date;
    },
  ) {
    this.targets = options.targets ?? (() => this.projectsOfEverySite());
  }

  /** The scheduled run: every target, a failing one never stopping the others. */
  async meterAll(): Promise<MeteringOutcome[]> {
    const targets = await this.targets();
    const outcomes = await this.meter(targets);
    const failed = outcomes.filter(o => o.error);
    this.options.logger.info(
      `Metering: ${outcomes.length - failed.length} of ${
        outcomes.length
      } project(s) sampled`,
    );
    return outcomes;
  }

  /** On demand: the targets of one site (from `targets()`), now. */
  async meterSite(siteRef: string): Promise<MeteringOutcome[]> {
    const registered = await this.options.registry.getSite(siteRef);
    this.meteringSession(registered, siteRef);
    const targets = (await this.targets()).filter(t => t.siteRef === siteRef);
    return this.meter(targets);
  }

  /** Every project each meterable site's metering account may scope to (`GET /v3/auth/projects`). */
  async projectsOfEverySite(): Promise<MeteringTarget[]> {
    const sites = (await this.options.registry.listSites()).filter(
      site =>
        site.site && site.problems.length === 0 && this.setOf(site)?.metering,
    );
    const perSite = await Promise.all(
      sites.map(async site => {
        const session = this.meteringSession(site, site.entityRef);
        const projects = await session.identity.authProjects();
        if (!projects.ok) {
          this.options.logger.warn(
            `Metering: cannot list the projects of ${site.entityRef}: ${projects.error.message}`,
          );
          return [];
        }
        return projects.data
          .filter(project => project.enabled && !project.is_domain)
          .map(project => ({ siteRef: site.entityRef, projectId: project.id }));
      }),
    );
    return perSite.flat();
  }

  private async meter(targets: MeteringTarget[]): Promise<MeteringOutcome[]> {
    const sites = new Map<string, RegisteredSite | undefined>();
    const lastTaken = new Map<string, Map<string, Date>>();
    return mapLimited(
      targets,
      this.options.config.metering.concurrency,
      target => this.meterOne(target, sites, lastTaken),
    );
  }

  private async meterOne(
    target: MeteringTarget,
    sites: Map<string, RegisteredSite | undefined>,
    lastTaken: Map<string, Map<string, Date>>,
  ): Promise<MeteringOutcome> {
    try {
      if (!sites.has(target.siteRef)) {
        sites.set(
          target.siteRef,
          await this.options.registry.getSite(target.siteRef),
        );
        lastTaken.set(
          target.siteRef,
          await this.options.store.lastTakenAt(target.siteRef),
        );
      }
      const session = this.meteringSession(
        sites.get(target.siteRef),
        target.siteRef,
      );
      const now = (this.options.now ?? (() => new Date()))();
      const previous = lastTaken.get(target.siteRef)?.get(target.projectId);
      const deletedSince = new Date(
        Math.max(previous?.getTime() ?? 0, now.getTime() - DELETED_LOOKBACK_MS),
      );
      const sample = await sampleProjectUsage(session, target.projectId, {
        now: () => now,
        deletedSince,
      });
      // Nothing read (no token, site down): a sample of zeros would read as no usage.
      const read = METERED_RESOURCES.filter(
        resource =>
          !sample.errors.some(e => e.resource === resource) &&
          !sample.unavailable.some(u => u.resource === resource),
      );
      if (read.length === 0 && sample.errors.length > 0) {
        throw new Error(`nothing could be read: ${sample.errors[0].message}`);
      }
      await this.options.store.addSample(target.siteRef, sample);
      if (sample.errors.length > 0) {
        this.options.logger.warn(
          `Metering ${target.siteRef} project ${
            target.projectId
          }: ${sample.errors
            .map(e => `${e.resource}: ${e.message}`)
            .join('; ')}`,
        );
      }
      return { target, sample };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(
        `Could not meter ${target.siteRef} project ${target.projectId}: ${message}`,
      );
      return { target, error: message };
    }
  }

  private setOf(site: RegisteredSite) {
    return site.site
      ? this.options.config.credentialSets[site.site.credentials]
      : undefined;
  }

  private meteringSession(
    registered: RegisteredSite | undefined,
    siteRef: string,
  ): OpenStackSession {
    if (!registered) throw new SiteNotMeterableError(`No site ${siteRef}`);
    const site = registered.site;
    const set = this.setOf(registered);
    if (!site || !set || registered.problems.length > 0) {
      throw new SiteNotMeterableError(
        `${siteRef} cannot be metered: ${
          registered.problems.join('; ') || 'no site description'
        }`,
      );
    }
    if (!set.metering) {
      throw new SiteNotMeterableError(
        `${siteRef} has no metering account: its credential set ${site.credentials} has no \`metering\``,
      );
    }
    // A new URL or credential set makes new clients; otherwise tokens carry over between runs.
    const key = `${site.keystoneUrl}|${site.region ?? ''}|${site.credentials}`;
    let known = this.clients.get(siteRef);
    if (known?.key !== key) {
      known?.clients.http.close();
      known = {
        key,
        clients: createSiteClients(site, set, {
          requestTimeoutMs: this.options.config.scans.requestTimeoutMs,
          network: this.options.config.network,
        }),
      };
      this.clients.set(siteRef, known);
    }
    return known.clients.sessions.metering!;
  }

  /** Closes every site's connections (backend shutdown). */
  close(): void {
    for (const { clients } of this.clients.values()) clients.http.close();
    this.clients.clear();
  }
}
