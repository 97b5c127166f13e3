import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  gocdbServices,
  GocdbService,
  gocdbServiceUrls,
  GocdbSite,
  gocdbSites,
  mapLimited,
  normalEndpointUrl,
  OpenStackHttp,
} from '@fedstack/plugin-openstack-node';
import { siteDescriptorSchema } from '@fedstack/plugin-openstack-common';
import { ImportedSite, SiteProblem } from './entities';
import { MAX_SITE_FILE_BYTES, parseSiteFile, SiteFile } from './siteFile';

/** GOCDB's service type of an EGI cloud site: its URL (or an endpoint's) is the site's Keystone. */
export const NOVA_SERVICE_TYPE = 'org.openstack.nova';

/** What one read of a source found: the usable sites, and what was left out and why. */
export interface SiteSourceResult {
  sites: ImportedSite[];
  problems: SiteProblem[];
  /** Harmless oddities worth a log line (an unknown key in a site file). */
  notes: SiteProblem[];
}

export interface SiteSource {
  /** For log lines: `folder /srv/sites`, `url https://…`. */
  readonly description: string;
  /**
   * Reads the source. Throws {@link SiteSourceUnavailableError} when the source as a whole could
   * not be read (folder missing, index unreachable, GOCDB down): the catalog then keeps what it
   * has rather than losing every site to an outage.
   */
  read(): Promise<SiteSourceResult>;
}

export class SiteSourceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteSourceUnavailableError';
  }
}

/** Most files one folder or index may list: a bound, the real repository has ~50. */
export const MAX_SITE_FILES = 2000;
const SITE_FILE_NAME = /\.ya?ml$/i;
const FETCH_CONCURRENCY = 4;

function emptyResult(): SiteSourceResult {
  return { sites: [], problems: [], notes: [] };
}

/** Adds one site file's reading to a result. */
function addSiteFile(
  result: SiteSourceResult,
  text: string,
  where: string,
  location: string,
  fileName: string,
): void {
  const parsed = parseSiteFile(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems) {
      result.problems.push({ where, problem });
    }
    return;
  }
  for (const note of parsed.notes) result.notes.push({ where, problem: note });
  const { site } = parsed;
  const region = siteRegion(site);
  if (region.note) result.notes.push({ where, problem: region.note });
  // A VO name the site annotation cannot carry (`/vo.lifewatch.eu/openbiomap`, a VOMS group)
  // costs that VO, not the site.
  const [vos, unusable] = partition(
    site.vos,
    vo => siteDescriptorSchema.shape.vos.safeParse([vo.name]).success,
  );
  if (unusable.length > 0) {
    result.notes.push({
      where,
      problem: `vos: ${unusable
        .map(vo => `"${vo.name}"`)
        .join(
          ', ',
        )} left out of the site's VOs: not a VO name the catalog annotation takes`,
    });
  }
  result.sites.push({
    gocdbName: site.gocdb,
    keystoneUrl: site.endpoint,
    region: region.region,
    vos: vos.map(vo => vo.name),
    accountingName: site.accounting?.siteName,
    federationProtocol: site.protocol,
    description: `OpenStack site ${site.gocdb}, from the site file ${fileName}`,
    location,
    where,
    distinctName: fileName.replace(SITE_FILE_NAME, ''),
  });
}

/**
 * The region to check: the file's own, else the one its VOs' `auth.region` name (CREODIAS sets
 * it per VO only); when they differ, ops's (monitoring runs there), with a note.
 */
function siteRegion(site: SiteFile): { region?: string; note?: string } {
  if (site.region) return { region: site.region };
  const regions = [
    ...new Set(site.vos.flatMap(vo => (vo.region ? [vo.region] : []))),
  ];
  if (regions.length <= 1) return { region: regions[0] };
  const ops = site.vos.find(vo => vo.name === 'ops')?.region;
  return {
    region: ops,
    note: `vos: the VOs name regions ${regions.join(', ')}; ${
      ops ? `ops's (${ops}) is checked` : 'none is checked (no region for ops)'
    }`,
  };
}

function partition<T>(items: T[], keep: (item: T) => boolean): [T[], T[]] {
  return [items.filter(keep), items.filter(item => !keep(item))];
}

/** A folder of site files (`*.yaml`, `*.yml`, not recursive), e.g. a checkout's `sites/`. */
export class FolderSiteSource implements SiteSource {
  private readonly folder: string;

  constructor(folder: string) {
    this.folder = path.resolve(folder);
  }

  get description(): string {
    return `folder ${this.folder}`;
  }

  async read(): Promise<SiteSourceResult> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder);
    } catch (error) {
      throw new SiteSourceUnavailableError(
        `cannot list ${this.folder}: ${(error as Error).message}`,
      );
    }
    const files = names.filter(name => SITE_FILE_NAME.test(name)).sort();
    if (files.length > MAX_SITE_FILES) {
      throw new SiteSourceUnavailableError(
        `${this.folder} has ${files.length} site files, more than ${MAX_SITE_FILES}`,
      );
    }
    const result = emptyResult();
    for (const name of files) {
      const file = path.join(this.folder, name);
      let text: string;
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) continue;
        if (stat.size > MAX_SITE_FILE_BYTES) {
          result.problems.push({
            where: file,
            problem: `larger than ${MAX_SITE_FILE_BYTES} bytes`,
          });
          continue;
        }
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        // Gone between listing and reading, or unreadable: this file only.
        result.problems.push({
          where: file,
          problem: `cannot read: ${(error as Error).message}`,
        });
        continue;
      }
      addSiteFile(result, text, file, `file:${file}`, name);
    }
    return result;
  }
}

const indexEntrySchema = z.union([
  z.string(),
  // A GitHub contents listing (`/repos/{owner}/{repo}/contents/sites`): one object per file.
  z
    .object({
      name: z.string(),
      download_url: z.string().nullish(),
      type: z.string().optional(),
    })
    .loose(),
]);

/**
 * A site file, or an index of site files, at a URL. The answer is a site file when it is a YAML
 * mapping; otherwise it is an index: a YAML or JSON list of file names (or URLs, or GitHub
 * contents entries), or plain text with one name a line (`#` starts a comment). Names are
 * resolved against the index's URL and must end in `.yaml` or `.yml`.
 *
 * A listed file that is not there (404, 410) is left out like a malformed one; any other failure
 * to fetch makes the whole read fail, so an outage does not empty the catalog.
 */
export class UrlSiteSource implements SiteSource {
  constructor(
    private readonly url: string,
    private readonly http: OpenStackHttp,
  ) {}

  get description(): string {
    return `url ${this.url}`;
  }

  private async fetch(url: string) {
    return this.http.request({ url, parseAs: 'text', schema: z.string() });
  }

  async read(): Promise<SiteSourceResult> {
    const answer = await this.fetch(this.url);
    if (!answer.ok) {
      throw new SiteSourceUnavailableError(
        `cannot fetch ${this.url}: ${answer.error.message}`,
      );
    }
    const result = emptyResult();
    const text = answer.data;
    let document: unknown;
    let siteFile: boolean;
    try {
      document = parse(text);
      // A mapping is one site file; a list or lines of text are an index.
      siteFile =
        document !== null &&
        typeof document === 'object' &&
        !Array.isArray(document);
    } catch {
      // Neither a site file nor a list: report it as a broken site file.
      siteFile = true;
    }
    if (siteFile) {
      addSiteFile(
        result,
        text,
        this.url,
        `url:${this.url}`,
        lastSegment(this.url),
      );
      return result;
    }
    const entries = this.indexEntries(document, text, result);
    if (entries.length > MAX_SITE_FILES) {
      throw new SiteSourceUnavailableError(
        `${this.url} lists ${entries.length} site files, more than ${MAX_SITE_FILES}`,
      );
    }
    const files = await mapLimited(entries, FETCH_CONCURRENCY, async url => ({
      url,
      answer: await this.fetch(url),
    }));
    for (const { url, answer: file } of files) {
      if (file.ok) {
        addSiteFile(result, file.data, url, `url:${url}`, lastSegment(url));
      } else if (
        file.error.kind === 'http' &&
        (file.error.status === 404 || file.error.status === 410)
      ) {
        result.problems.push({
          where: url,
          problem: `listed in ${this.url} but not found (HTTP ${file.error.status})`,
        });
      } else {
        throw new SiteSourceUnavailableError(
          `cannot fetch ${url}: ${file.error.message}`,
        );
      }
    }
    return result;
  }

  /** The URLs an index lists; entries it cannot use become problems. */
  private indexEntries(
    document: unknown,
    text: string,
    result: SiteSourceResult,
  ): string[] {
    let raw: unknown[];
    if (Array.isArray(document)) {
      raw = document;
    } else if (document === null || typeof document === 'string') {
      raw = text
        .split(/\r?\n/)
        .map(line => line.replace(/#.*$/, '').trim())
        .filter(Boolean);
    } else {
      result.problems.push({
        where: this.url,
        problem: 'neither a site file nor a list of site files',
      });
      return [];
    }
    const urls = new Set<string>();
    for (const item of raw) {
      const entry = indexEntrySchema.safeParse(item);
      if (!entry.success) {
        result.problems.push({
          where: this.url,
          problem: `index entry ${JSON.stringify(item)} is not a file name`,
        });
        continue;
      }
      if (typeof entry.data !== 'string' && entry.data.type === 'dir') continue;
      const name =
        typeof entry.data === 'string'
          ? entry.data
          : entry.data.download_url ?? entry.data.name;
      let url: URL;
      try {
        url = new URL(name, this.url);
      } catch {
        result.problems.push({
          where: this.url,
          problem: `index entry ${JSON.stringify(
            name,
          )} is not a URL or file name`,
        });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        result.problems.push({
          where: this.url,
          problem: `index entry ${JSON.stringify(
            name,
          )} is not an http or https URL`,
        });
        continue;
      }
      // Index entries that are not site files (a README next to them) are passed over quietly.
      if (!SITE_FILE_NAME.test(url.pathname)) continue;
      urls.add(url.href);
    }
    return [...urls];
  }
}

/**
 * GOCDB's public API, read by the node library's GOCDB reader: the `org.openstack.nova` services
 * (whose URL, or an endpoint's when the service's own `<URL/>` is empty, is the site's Keystone)
 * of the sites `get_site_list` lists. Services not in production are left out; so are those with
 * no http(s) URL, each with a problem.
 */
export class GocdbSiteSource implements SiteSource {
  constructor(
    private readonly baseUrl: string,
    private readonly http: OpenStackHttp,
  ) {}

  get description(): string {
    return `GOCDB ${this.baseUrl}`;
  }

  async read(): Promise<SiteSourceResult> {
    const [siteList, services] = await Promise.all([
      gocdbSites(this.http, this.baseUrl, 'get_site_list'),
      gocdbServices(this.http, this.baseUrl, {
        service_type: NOVA_SERVICE_TYPE,
      }),
    ]);
    for (const lookup of [siteList, services]) {
      if (!lookup.ok) {
        throw new SiteSourceUnavailableError(
          `cannot read ${lookup.url}: ${lookup.error.message}`,
        );
      }
    }
    return gocdbResult(
      siteList.ok ? siteList.value : [],
      services.ok ? services.value : [],
      services.url,
    );
  }
}

/** Joins GOCDB's sites and nova services into sites; exported for tests. */
export function gocdbResult(
  siteList: GocdbSite[],
  services: GocdbService[],
  servicesUrl: string,
): SiteSourceResult {
  const result = emptyResult();
  const known = new Map(siteList.map(site => [site.name, site]));
  for (const service of services) {
    if (service.serviceType !== NOVA_SERVICE_TYPE) continue;
    const where = `GOCDB service ${service.primaryKey || '(no key)'} of ${
      service.siteName || '(no site)'
    }`;
    if (service.inProduction !== 'Y') continue;
    const site = known.get(service.siteName);
    if (!site) {
      result.problems.push({
        where,
        problem: `SITENAME: "${service.siteName}" is not in get_site_list`,
      });
      continue;
    }
    const urls = gocdbServiceUrls(service);
    const usable = urls.filter(url => /^https?:$/.test(protocolOf(url)));
    if (usable.length === 0) {
      result.problems.push({
        where,
        problem:
          urls.length === 0
            ? 'URL: the service and its endpoints have no URL'
            : `URL: ${urls
                .map(url => `"${url}"`)
                .join(', ')} is not an http or https URL`,
      });
      continue;
    }
    // One Keystone per service: its own URL, else its first endpoint's (the same endpoint
    // spelt otherwise is not another Keystone).
    const distinct = new Set(usable.map(url => normalEndpointUrl(url)));
    if (distinct.size > 1) {
      result.notes.push({
        where,
        problem: `URL: the service and its endpoints name ${
          distinct.size
        } URLs (${usable.join(', ')}); ${usable[0]} is used`,
      });
    }
    const place = [site.country, site.roc].filter(Boolean).join(', ');
    result.sites.push({
      gocdbName: site.name,
      keystoneUrl: usable[0],
      ...(site.roc && { ngi: site.roc }),
      description: `OpenStack site ${site.name} registered in GOCDB${
        place ? ` (${place})` : ''
      }`,
      location: `url:${servicesUrl}`,
      where,
      distinctName: `${site.name}-${service.hostname || service.primaryKey}`,
    });
  }
  return result;
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

function lastSegment(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    return decodeURIComponent(segments[segments.length - 1] ?? url);
  } catch {
    return url;
  }
}
