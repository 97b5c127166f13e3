import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { AddressPolicy, OpenStackHttp } from '@fedstack/plugin-openstack-node';
import { readSiteProviderConfigs, SiteProviderConfig } from './config';
import { SiteEntitySettings, siteEntities } from './entities';
import {
  FolderSiteSource,
  GocdbSiteSource,
  SiteSource,
  UrlSiteSource,
} from './sources';

export interface OpenStackSiteProviderOptions {
  /** The key under `openstack.siteProviders`. */
  id: string;
  source: SiteSource;
  settings: SiteEntitySettings;
  logger: LoggerService;
  /** Runs the refresh on a schedule once connected; without one, call {@link refresh}. */
  taskRunner?: SchedulerServiceTaskRunner;
}

export interface SiteRefreshSummary {
  /** Entities handed to the catalog (a full mutation: every other entity of this provider goes). */
  entities: number;
  /** Sites left out, each logged with where it came from and why. */
  problems: Array<{ where: string; problem: string }>;
}

/** Requests to a site source: bounded like every other outbound request of the plugin. */
const SOURCE_TIMEOUT_MS = 30_000;
const SOURCE_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Imports OpenStack sites into the catalog as `Resource` entities of type `openstack-site`,
 * from a folder or URL of fedcloud-catchall-operations site files or from GOCDB's public API.
 * Each refresh replaces this provider's entities (a full mutation). A malformed site is left out
 * with a warning naming the file (or GOCDB service) and the field; the others still land. When
 * the source as a whole cannot be read, nothing is changed and the refresh fails.
 */
export class OpenStackSiteProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly logger: LoggerService;

  /** One provider per entry of `openstack.siteProviders`; throws on a bad section. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; scheduler: SchedulerService },
  ): OpenStackSiteProvider[] {
    const entries = readSiteProviderConfigs(config);
    if (entries.length === 0) return [];
    // Sources are reached like sites are: within the plugin's address policy.
    const addressPolicy = new AddressPolicy({
      allow: config.getOptionalStringArray('openstack.network.allow'),
      deny: config.getOptionalStringArray('openstack.network.deny'),
    });
    const credentialSets =
      config.getOptionalConfig('openstack.credentialSets')?.keys() ?? [];
    return entries.map(entry => {
      if (!credentialSets.includes(entry.credentials)) {
        options.logger.warn(
          `openstack.siteProviders.${entry.id}: credential set "${entry.credentials}" is not in openstack.credentialSets; its sites will not be scannable until it is`,
        );
      }
      return new OpenStackSiteProvider({
        id: entry.id,
        source: sourceFor(entry, addressPolicy),
        settings: {
          credentials: entry.credentials,
          profiles: entry.profiles,
          owner: entry.owner,
        },
        logger: options.logger,
        taskRunner: options.scheduler.createScheduledTaskRunner(entry.schedule),
      });
    });
  }

  constructor(private readonly options: OpenStackSiteProviderOptions) {
    this.logger = options.logger.child({ provider: this.getProviderName() });
  }

  getProviderName(): string {
    return `OpenStackSiteProvider:${this.options.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const runner = this.options.taskRunner;
    if (!runner) return;
    await runner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** Reads the source and replaces this provider's entities. */
  async refresh(): Promise<SiteRefreshSummary> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const { source, settings } = this.options;
    let found;
    try {
      found = await source.read();
    } catch (error) {
      this.logger.error(
        `${source.description}: ${
          (error as Error).message
        }; the catalog keeps the sites it has`,
      );
      throw error;
    }
    for (const note of found.notes) {
      this.logger.info(`${note.where}: ${note.problem}`);
    }
    const built = siteEntities(found.sites, settings);
    const problems = [...found.problems, ...built.problems];
    for (const { where, problem } of problems) {
      this.logger.warn(`${where}: ${problem}; this site is left out`);
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: built.entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.info(
      `${source.description}: ${built.entities.length} site(s) imported${
        problems.length ? `, ${problems.length} left out` : ''
      }`,
    );
    return { entities: built.entities.length, problems };
  }
}

function sourceFor(
  entry: SiteProviderConfig,
  addressPolicy: AddressPolicy,
): SiteSource {
  const http = () =>
    new OpenStackHttp({
      timeoutMs: SOURCE_TIMEOUT_MS,
      maxBodyBytes: SOURCE_MAX_BODY_BYTES,
      addressPolicy,
      userAgent: 'fedstack-site-provider',
    });
  switch (entry.type) {
    case 'folder':
      return new FolderSiteSource(entry.path);
    case 'url':
      return new UrlSiteSource(entry.url, http());
    case 'gocdb':
      return new GocdbSiteSource(entry.url, http());
    default:
      throw new Error(`unknown site provider type`);
  }
}
