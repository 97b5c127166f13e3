import { z } from 'zod';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { Tenant, tenantSchema } from '@fedstack/plugin-openstack-common';
import { tenantEntities, TenantProblem } from './tenantEntities';
import { readTenantProviderConfig } from './tenantProviderConfig';

export interface OpenStackTenantProviderOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  /** Runs the refresh on a schedule once connected; without one, call {@link OpenStackTenantProvider.refresh}. */
  taskRunner?: SchedulerServiceTaskRunner;
}

export interface TenantRefreshSummary {
  /** Entities handed to the catalog (a full mutation: every other entity of this provider goes). */
  entities: number;
  /** Tenants left out, each logged with why. */
  problems: TenantProblem[];
}

const TIMEOUT_MS = 60_000;

// Only the envelope is required as a whole: a tenant the schema refuses is left out on its own.
const listSchema = z.object({ tenants: z.array(z.unknown()) });

/**
 * Imports the OpenStack backend's tenants into the catalog as `Resource` entities of type
 * `openstack-project`, each owned by its workspace and depending on its site. It reads GET
 * /tenants of the `openstack` plugin with the catalog's own service credentials (the backend
 * lets a service read every workspace's tenants); each refresh replaces this provider's
 * entities, so a deleted or rejected tenant's entity goes at the next one. When the backend
 * cannot be read, nothing is changed and the refresh fails.
 */
export class OpenStackTenantProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly logger: LoggerService;

  /** The provider, unless `catalog.providers.openstackTenants.enabled` is false; throws on a bad section. */
  static fromConfig(
    config: Config,
    options: {
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      scheduler: SchedulerService;
    },
  ): OpenStackTenantProvider | undefined {
    const settings = readTenantProviderConfig(config);
    if (!settings.enabled) return undefined;
    return new OpenStackTenantProvider({
      auth: options.auth,
      discovery: options.discovery,
      logger: options.logger,
      taskRunner: options.scheduler.createScheduledTaskRunner(
        settings.schedule,
      ),
    });
  }

  constructor(private readonly options: OpenStackTenantProviderOptions) {
    this.logger = options.logger.child({ provider: this.getProviderName() });
  }

  getProviderName(): string {
    return 'OpenStackTenantProvider';
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

  /** Reads every tenant from the OpenStack backend and replaces this provider's entities. */
  async refresh(): Promise<TenantRefreshSummary> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const baseUrl = await this.options.discovery.getBaseUrl('openstack');
    let read;
    try {
      read = await this.readTenants(baseUrl);
    } catch (error) {
      this.logger.error(
        `${baseUrl}/tenants: ${
          (error as Error).message
        }; the catalog keeps the tenants it has`,
      );
      throw error;
    }
    const built = tenantEntities(read.tenants, {
      locationOf: tenant => `url:${baseUrl}/tenants/${tenant.id}`,
    });
    const problems = [...read.problems, ...built.problems];
    for (const { tenant, problem } of problems) {
      this.logger.warn(`tenant ${tenant}: ${problem}; it is left out`);
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: built.entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.info(
      `${built.entities.length} tenant(s) imported${
        problems.length ? `, ${problems.length} left out` : ''
      }`,
    );
    return { entities: built.entities.length, problems };
  }

  private async readTenants(
    baseUrl: string,
  ): Promise<{ tenants: Tenant[]; problems: TenantProblem[] }> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'openstack',
    });
    const response = await fetch(`${baseUrl}/tenants`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `HTTP ${response.status}${
          response.status === 404
            ? ' (is @fedstack/plugin-openstack-backend installed?)'
            : ''
        }`,
      );
    }
    const envelope = listSchema.safeParse(await response.json());
    if (!envelope.success) {
      throw new Error(`not a list of tenants: ${envelope.error.message}`);
    }
    const tenants: Tenant[] = [];
    const problems: TenantProblem[] = [];
    envelope.data.tenants.forEach((raw, i) => {
      const parsed = tenantSchema.safeParse(raw);
      if (parsed.success) tenants.push(parsed.data);
      else {
        const id = (raw as { id?: unknown } | null)?.id;
        problems.push({
          // Untrusted: a long id is cut for the log line.
          tenant: typeof id === 'string' ? id.slice(0, 100) : `#${i}`,
          problem: parsed.error.issues
            .map(issue => `${issue.path.join('.')}: ${issue.message}`)
            .join('; '),
        });
      }
    });
    return { tenants, problems };
  }
}
