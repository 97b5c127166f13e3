import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isOpenStackSiteEntity,
  isValidEntityRef,
  OPENSTACK_SITE_TYPE,
  readSiteFromEntity,
  SiteDescriptor,
} from '@fedstack/plugin-openstack-common';
import { credentialSetCovers, OpenStackPluginConfig } from '../config';

/** A site as the catalog declares it; `site` is absent when it cannot be scanned as declared. */
export interface RegisteredSite {
  entityRef: string;
  name: string;
  title?: string;
  /** The entity's owner as a full ref (`group:default/platform-team`), when it names one. */
  owner?: string;
  site?: SiteDescriptor;
  /** Why the site cannot be scanned: bad annotations, an unknown credential set. */
  problems: string[];
}

/** `spec.owner` as a full entity ref (a group in the entity's namespace by default). */
function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** How long one read of the catalog's sites is reused. */
export const CACHE_MS = 5_000;
/** How long the last read still answers while a newer one is under way (or failing). */
export const STALE_MS = 60_000;

/** The entity fields a site is read from (`SiteEntityLike`). */
const SITE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  // The fleet groups sites by owner.
  'spec.owner',
];
/** Sites per read of the catalog. */
const PAGE_SIZE = 100;

interface SiteSnapshot {
  list: RegisteredSite[];
  byRef: Map<string, RegisteredSite>;
}

/**
 * The sites the backend may contact: exactly the catalog's `openstack-site` Resources. A
 * malformed entity is flagged and the others carry on.
 */
export class SiteRegistry {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly config: OpenStackPluginConfig,
  ) {}

  /** The last read of the catalog, shared by the requests of the next few seconds. */
  private cached?: { at: number; sites: Promise<SiteSnapshot>; done: boolean };
  /** The last read that succeeded, and when it started. */
  private last?: { at: number; sites: SiteSnapshot };

  async listSites(): Promise<RegisteredSite[]> {
    return [...(await this.snapshot()).list];
  }

  /**
   * One site. From the last read of the catalog when it holds it; otherwise (a site added
   * since) one catalog lookup. A removed site may linger for up to CACHE_MS and one read of
   * the catalog (STALE_MS while the catalog does not answer).
   */
  async getSite(entityRef: string): Promise<RegisteredSite | undefined> {
    // Entity refs compare ignoring case, as the catalog compares them.
    const known = (await this.snapshot()).byRef.get(entityRef.toLowerCase());
    if (known) return known;
    // A ref the catalog would refuse (`resource:../..`) is never sent: the catalog client
    // would turn it into a read of every entity.
    if (!isValidEntityRef(entityRef, 'resource')) return undefined;
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (!entity || !isOpenStackSiteEntity(entity)) return undefined;
    const site = this.toRegistered(entity);
    return site.entityRef.toLowerCase() === entityRef.toLowerCase()
      ? site
      : undefined;
  }

  // Every scorecard read and fleet list needs the sites: asking the catalog for all of them
  // on each request capped the scorecard read at ~170 requests/s with 1000 sites. While a
  // newer read is under way the last one answers: no request waits for the catalog's 1000
  // sites (60-100 ms every CACHE_MS, which set the scorecard read's p99).
  private snapshot(): Promise<SiteSnapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const entry = { at: now, sites: this.readCatalog(), done: false };
      this.cached = entry;
      entry.sites.then(
        sites => {
          entry.done = true;
          if (this.cached === entry) this.last = { at: entry.at, sites };
        },
        // A failed read is not kept: the next request asks again.
        () => {
          if (this.cached === entry) this.cached = undefined;
        },
      );
    }
    if (!this.cached.done && this.last && now - this.last.at <= STALE_MS) {
      return Promise.resolve(this.last.sites);
    }
    return this.cached.sites;
  }

  // In pages, with only the fields a site is read from (SiteEntityLike): one answer with 1000
  // whole entities kept the event loop (the catalog's and this plugin's) busy for tens of ms.
  private async readCatalog(): Promise<SiteSnapshot> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const list: RegisteredSite[] = [];
    let request: Parameters<CatalogService['queryEntities']>[0] = {
      filter: { kind: 'Resource', 'spec.type': OPENSTACK_SITE_TYPE },
      fields: SITE_FIELDS,
      limit: PAGE_SIZE,
    };
    for (;;) {
      const page = await this.catalog.queryEntities(request, { credentials });
      list.push(...page.items.map(entity => this.toRegistered(entity)));
      const cursor = page.pageInfo.nextCursor;
      if (!cursor) break;
      request = { cursor, fields: SITE_FIELDS, limit: PAGE_SIZE };
    }
    list.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    return {
      list,
      byRef: new Map(list.map(site => [site.entityRef.toLowerCase(), site])),
    };
  }

  private toRegistered(entity: Entity): RegisteredSite {
    const read = readSiteFromEntity(entity);
    const owner = ownerOf(entity);
    const base = {
      name: entity.metadata.name,
      title: entity.metadata.title,
      ...(owner && { owner }),
    };
    if (!read.ok) {
      return {
        ...base,
        entityRef: read.entityRef,
        problems: read.problems,
      };
    }
    const set = Object.hasOwn(this.config.credentialSets, read.site.credentials)
      ? this.config.credentialSets[read.site.credentials]
      : undefined;
    const problems: string[] = [];
    if (!set) {
      problems.push(
        `credential set ${read.site.credentials} is not configured in openstack.credentialSets`,
      );
    } else if (!credentialSetCovers(set, read.site.keystoneUrl)) {
      // Never contacted: scans, the console, replication and metering all refuse a site with problems.
      problems.push(
        `credential set ${read.site.credentials} may not be used with ${read.site.keystoneUrl}: its keystoneUrls do not list that Keystone`,
      );
    }
    return {
      ...base,
      entityRef: read.site.entityRef,
      site: read.site,
      problems,
    };
  }
}
