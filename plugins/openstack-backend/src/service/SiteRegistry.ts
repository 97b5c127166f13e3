import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OPENSTACK_SITE_TYPE,
  readSiteFromEntity,
  SiteDescriptor,
} from '@fedstack/plugin-openstack-common';
import { OpenStackPluginConfig } from '../config';

/** A site as the catalog declares it; `site` is absent when it cannot be scanned as declared. */
export interface RegisteredSite {
  entityRef: string;
  name: string;
  title?: string;
  site?: SiteDescriptor;
  /** Why the site cannot be scanned: bad annotations, an unknown credential set. */
  problems: string[];
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

  async listSites(): Promise<RegisteredSite[]> {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': OPENSTACK_SITE_TYPE } },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items
      .map(entity => {
        const read = readSiteFromEntity(entity);
        const base = {
          name: entity.metadata.name,
          title: entity.metadata.title,
        };
        if (!read.ok) {
          return {
            ...base,
            entityRef: read.entityRef,
            problems: read.problems,
          };
        }
        const problems = this.config.credentialSets[read.site.credentials]
          ? []
          : [
              `credential set ${read.site.credentials} is not configured in openstack.credentialSets`,
            ];
        return {
          ...base,
          entityRef: read.site.entityRef,
          site: read.site,
          problems,
        };
      })
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  async getSite(entityRef: string): Promise<RegisteredSite | undefined> {
    return (await this.listSites()).find(site => site.entityRef === entityRef);
  }
}
