import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  isValidEntityRef,
  OPENSTACK_ANNOTATIONS,
  OPENSTACK_SITE_TYPE,
  SiteSummary,
  siteSummarySchema,
  Tenant,
  tenantSchema,
} from '@fedstack/plugin-openstack-common';

/** The search document type (the index's name) of this collator. */
export const OPENSTACK_DOCUMENT_TYPE = 'openstack';

/** Where an entity's page is, as the catalog's own collator says it by default. */
export const DEFAULT_LOCATION_TEMPLATE = '/catalog/:namespace/:kind/:name';

/** A site's or a tenant's search document: its entity's page is the result's link. */
export interface OpenStackDocument extends IndexableDocument {
  kind: 'site' | 'tenant';
  /** The entity the document is about (an `openstack-site` or `openstack-project` Resource). */
  entityRef: string;
  /** Site: its GOCDB name; tenant: its site's. */
  gocdbName?: string;
  /** Site: readiness per profile of its latest scan (`egi-fedcloud: ready`). */
  readiness?: string[];
  /** Site: the blocking checks of its latest scan (failed or could not run), every profile's. */
  failingChecks?: string[];
  /** Tenant: its workspace (group ref), status, site and Keystone names. */
  workspace?: string;
  status?: string;
  site?: string;
  projectName?: string;
  projectId?: string;
}

// What the backend answers is checked like any outside input; an item the schema refuses is
// left out on its own (logged), the others are indexed.
const sitesSchema = z.object({ items: z.array(z.unknown()) });
const tenantsSchema = z.object({ tenants: z.array(z.unknown()) });

// Tenants without a project have no entity either (the catalog module's tenant provider).
const WITHOUT_ENTITY = ['deleted', 'rejected'];

// The catalog module names a tenant's entity by its id, in the default namespace.
const tenantEntityRef = (id: string) => `resource:default/${id}`;

const TIMEOUT_MS = 60_000;

export interface OpenStackCollatorFactoryOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  logger: LoggerService;
  /** Default `/catalog/:namespace/:kind/:name`. */
  locationTemplate?: string;
}

/**
 * Search documents of OpenStack sites and tenants, read from the OpenStack backend (GET /sites:
 * readiness per profile and blocking checks of each site's latest scan; GET /tenants) with the
 * search plugin's service credentials, and the sites' GOCDB names from the catalog. Documents
 * link to the entity pages, and carry their entity as the resource whose catalog read
 * permission decides who finds them: search shows what the catalog would.
 */
export class OpenStackCollatorFactory implements DocumentCollatorFactory {
  readonly type = OPENSTACK_DOCUMENT_TYPE;
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(private readonly options: OpenStackCollatorFactoryOptions) {}

  async getCollator(): Promise<Readable> {
    // Read before the stream starts: a backend that cannot be read fails the run, not a stream.
    return Readable.from(await this.documents());
  }

  /** Every document, sites first; throws when the backend cannot be read (the index is kept). */
  async documents(): Promise<OpenStackDocument[]> {
    const baseUrl = await this.options.discovery.getBaseUrl('openstack');
    const [sites, tenants, gocdbNames] = await Promise.all([
      this.read(baseUrl, '/sites', sitesSchema, 'items', siteSummarySchema),
      this.read(baseUrl, '/tenants', tenantsSchema, 'tenants', tenantSchema),
      this.gocdbNames(),
    ]);
    return [
      ...sites.flatMap(site => this.siteDocument(site, gocdbNames)),
      ...tenants.flatMap(tenant => this.tenantDocument(tenant, gocdbNames)),
    ];
  }

  private location(ref: string): string {
    const { kind, namespace, name } = parseEntityRef(ref);
    return (this.options.locationTemplate ?? DEFAULT_LOCATION_TEMPLATE)
      .replace(':namespace', encodeURIComponent(namespace))
      .replace(':kind', encodeURIComponent(kind.toLowerCase()))
      .replace(':name', encodeURIComponent(name));
  }

  private siteDocument(
    site: SiteSummary,
    gocdbNames: Map<string, string>,
  ): OpenStackDocument[] {
    if (!isValidEntityRef(site.entityRef, 'resource')) {
      this.options.logger.warn(
        `site ${site.entityRef.slice(
          0,
          200,
        )}: not a resource entity ref; not indexed`,
      );
      return [];
    }
    const entityRef = stringifyEntityRef(parseEntityRef(site.entityRef));
    const gocdbName = gocdbNames.get(entityRef);
    const profiles = site.latestScan?.profiles ?? [];
    const readiness = profiles.map(p => `${p.profileId}: ${p.readiness}`);
    const failingChecks = [...new Set(profiles.flatMap(p => p.blocking))];
    const title = site.title ?? site.name;
    const text = [
      `OpenStack site ${title}`,
      gocdbName && gocdbName !== title ? `GOCDB name ${gocdbName}` : '',
      site.region ? `region ${site.region}` : '',
      site.latestScan
        ? profiles
            .map(
              p =>
                `${p.profileId}: ${p.readiness}${
                  p.score === null ? '' : ` (score ${Math.round(p.score)})`
                }`,
            )
            .join('; ')
        : 'not scanned yet',
      failingChecks.length ? `failing: ${failingChecks.join(', ')}` : '',
      ...site.problems,
    ]
      .filter(Boolean)
      .join('. ');
    return [
      {
        kind: 'site',
        title,
        text,
        location: this.location(entityRef),
        entityRef,
        authorization: { resourceRef: entityRef },
        ...(gocdbName ? { gocdbName } : {}),
        readiness,
        failingChecks,
      },
    ];
  }

  private tenantDocument(
    tenant: Tenant,
    gocdbNames: Map<string, string>,
  ): OpenStackDocument[] {
    if (WITHOUT_ENTITY.includes(tenant.status)) return [];
    const entityRef = tenantEntityRef(tenant.id);
    if (
      !isValidEntityRef(entityRef, 'resource') ||
      !isValidEntityRef(tenant.site, 'resource') ||
      !isValidEntityRef(tenant.workspace, 'group')
    ) {
      this.options.logger.warn(
        `tenant ${tenant.id.slice(
          0,
          100,
        )}: refs the catalog would refuse; not indexed`,
      );
      return [];
    }
    const site = stringifyEntityRef(parseEntityRef(tenant.site));
    const siteName = parseEntityRef(site).name;
    const workspace = stringifyEntityRef(parseEntityRef(tenant.workspace));
    const projectName =
      tenant.projectName ||
      `${parseEntityRef(workspace).name}.${tenant.project}`;
    const gocdbName = gocdbNames.get(site);
    const text = [
      `OpenStack tenant (project) ${projectName} of ${workspace} on ${siteName}${
        gocdbName ? ` (${gocdbName})` : ''
      }`,
      `status ${tenant.status}`,
      `landing zone ${tenant.landingZone}`,
      tenant.domainName ? `Keystone domain ${tenant.domainName}` : '',
      tenant.projectId ? `project id ${tenant.projectId}` : '',
      tenant.description ?? '',
    ]
      .filter(Boolean)
      .join('. ');
    return [
      {
        kind: 'tenant',
        title: `${projectName} on ${siteName}`,
        text,
        location: this.location(entityRef),
        entityRef,
        authorization: { resourceRef: entityRef },
        workspace,
        status: tenant.status,
        site,
        projectName,
        ...(tenant.projectId ? { projectId: tenant.projectId } : {}),
        ...(gocdbName ? { gocdbName } : {}),
      },
    ];
  }

  /** The sites' GOCDB names by entity ref, from their catalog annotations. */
  private async gocdbNames(): Promise<Map<string, string>> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'resource', 'spec.type': OPENSTACK_SITE_TYPE },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const names = new Map<string, string>();
    for (const entity of items as Entity[]) {
      const name =
        entity.metadata.annotations?.[OPENSTACK_ANNOTATIONS.gocdbName];
      if (name) names.set(stringifyEntityRef(entity), name);
    }
    return names;
  }

  private async read<T>(
    baseUrl: string,
    path: string,
    envelope: z.ZodType<Record<string, unknown[]>>,
    key: string,
    itemSchema: z.ZodType<T>,
  ): Promise<T[]> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'openstack',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(`${baseUrl}${path}: HTTP ${response.status}`);
    }
    const parsed = envelope.safeParse(await response.json());
    if (!parsed.success) {
      throw new Error(`${baseUrl}${path}: not a list (${key})`);
    }
    const items: T[] = [];
    parsed.data[key].forEach((raw, i) => {
      const item = itemSchema.safeParse(raw);
      if (item.success) items.push(item.data);
      else
        this.options.logger.warn(
          `${path} item #${i}: ${item.error.issues
            .map(issue => `${issue.path.join('.')}: ${issue.message}`)
            .join('; ')
            .slice(0, 500)}; not indexed`,
        );
    });
    return items;
  }
}
