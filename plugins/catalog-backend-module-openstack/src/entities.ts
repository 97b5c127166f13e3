import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import {
  OPENSTACK_ANNOTATIONS,
  OPENSTACK_SITE_TYPE,
  readSiteFromEntity,
} from '@fedstack/plugin-openstack-common';

/** A site as a source found it, before it becomes an entity. */
export interface ImportedSite {
  gocdbName: string;
  keystoneUrl: string;
  region?: string;
  vos?: string[];
  /** The name its accounting records are kept under (a site file's `accounting.site_name`). */
  accountingName?: string;
  /** Keystone's federation protocol for EGI Check-in (a site file's `protocol`). */
  federationProtocol?: string;
  /** The NGI or federation it belongs to (GOCDB's ROC). */
  ngi?: string;
  description?: string;
  /** Where it came from, as a location ref: `file:/…/IFCA-LCG2.yaml`, `url:https://…`. */
  location: string;
  /** Names the source in log lines: a file name, or the GOCDB service. */
  where: string;
  /**
   * A second, more specific name used when several sites share a GOCDB name (one site with two
   * Keystones: the catchall repository has IISAS-FedCloud-cloud.yaml and -nova.yaml, both
   * `gocdb: IISAS-FedCloud`): the file name, or the GOCDB name and the service's host.
   */
  distinctName: string;
}

export interface SiteEntitySettings {
  credentials: string;
  profiles: readonly string[];
  owner: string;
}

export interface SiteProblem {
  where: string;
  problem: string;
}

/**
 * A catalog name from a GOCDB name: lower-cased, runs of other characters made one `-`, no
 * separator at either end, at most 63 characters (the catalog's rule for `metadata.name`).
 * Undefined when nothing usable is left.
 */
export function toEntityName(value: string): string | undefined {
  const name = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[-_.]{2,}/g, '-')
    .replace(/^[-_.]+/, '')
    .slice(0, 63)
    .replace(/[-_.]+$/, '');
  return KubernetesValidatorFunctions.isValidObjectName(name)
    ? name
    : undefined;
}

function siteEntity(
  site: ImportedSite,
  name: string,
  title: string,
  settings: SiteEntitySettings,
): Entity {
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: site.location,
    [ANNOTATION_ORIGIN_LOCATION]: site.location,
    [OPENSTACK_ANNOTATIONS.keystoneUrl]: site.keystoneUrl,
    [OPENSTACK_ANNOTATIONS.gocdbName]: site.gocdbName,
    [OPENSTACK_ANNOTATIONS.profiles]: settings.profiles.join(','),
    [OPENSTACK_ANNOTATIONS.credentials]: settings.credentials,
  };
  if (site.region) annotations[OPENSTACK_ANNOTATIONS.region] = site.region;
  if (site.vos && site.vos.length > 0) {
    annotations[OPENSTACK_ANNOTATIONS.vos] = site.vos.join(',');
  }
  if (site.accountingName) {
    annotations[OPENSTACK_ANNOTATIONS.accountingName] = site.accountingName;
  }
  if (site.federationProtocol) {
    annotations[OPENSTACK_ANNOTATIONS.federationProtocol] =
      site.federationProtocol;
  }
  if (site.ngi) annotations[OPENSTACK_ANNOTATIONS.ngi] = site.ngi;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title,
      ...(site.description ? { description: site.description } : {}),
      annotations,
    },
    spec: { type: OPENSTACK_SITE_TYPE, owner: settings.owner },
  };
}

/**
 * Entities for the sites a source found. Names come from the GOCDB name; sites sharing one take
 * their distinct name instead. A site whose name cannot be made, or clashes still, or whose
 * entity the site reader would refuse, is left out with a problem naming where it came from.
 */
export function siteEntities(
  sites: ImportedSite[],
  settings: SiteEntitySettings,
): { entities: Entity[]; problems: SiteProblem[] } {
  const problems: SiteProblem[] = [];
  const byName = new Map<string, ImportedSite[]>();
  for (const site of sites) {
    const name = toEntityName(site.gocdbName);
    if (!name) {
      problems.push({
        where: site.where,
        problem: `gocdb: "${site.gocdbName}" gives no valid entity name`,
      });
      continue;
    }
    byName.set(name, [...(byName.get(name) ?? []), site]);
  }

  const entities: Entity[] = [];
  const taken = new Map<string, string>();
  for (const [name, group] of byName) {
    for (const site of group) {
      const shared = group.length > 1;
      const finalName = shared ? toEntityName(site.distinctName) : name;
      const title = shared
        ? `${site.gocdbName} (${site.distinctName})`
        : site.gocdbName;
      if (!finalName) {
        problems.push({
          where: site.where,
          problem: `gocdb: "${site.gocdbName}" is shared by ${group.length} sites and "${site.distinctName}" gives no valid entity name`,
        });
        continue;
      }
      const holder = taken.get(finalName);
      if (holder) {
        problems.push({
          where: site.where,
          problem: `entity name ${finalName} is already taken by ${holder}`,
        });
        continue;
      }
      const entity = siteEntity(site, finalName, title, settings);
      // The same reading the site registry will do: what it would refuse is not imported.
      const check = readSiteFromEntity(entity);
      if (!check.ok) {
        problems.push({
          where: site.where,
          problem: check.problems.join('; '),
        });
        continue;
      }
      taken.set(finalName, site.where);
      entities.push(entity);
    }
  }
  return { entities, problems };
}
