import { cloudInfoSites, CloudInfoSite } from '../../sources/cloudInfo';
import { entriesUnder, looseKey, readShared } from '../../sources/sourceCache';
import { compareEndpointUrls } from '../../sources/urls';
import { Check } from '../types';
import { ScanContext } from '../context';
import { fail, listed, pass, skip, warn } from '../outcomes';

/**
 * The site is discoverable: the cloud information system lists it (by GOCDB site name) at its
 * Keystone URL, with projects. The whole list with every site's projects is read, once per fleet
 * scan when the scan's sources carry a cache.
 */
export const registrationInfo: Check<ScanContext> = {
  metadata: {
    id: 'registration.info',
    title: 'Site published in the cloud information system',
    area: 'registration',
    severity: 'minor',
    reads:
      "The cloud information system's site list with projects (`GET <cloud-info-api>/sites/?include_projects=true`, once per fleet scan), by the site's GOCDB name.",
    rule: 'Skipped when the site declares no GOCDB name or no cloud information system URL is configured; fails when the site is not listed, or not at its Keystone URL; warns when it is listed without a project; errors when the list cannot be read or carries no projects; passes otherwise.',
    remediation:
      "Make sure EGI's cloud-info-provider for the site runs with a working account (its entry in fedcloud-catchall-operations lists the site's endpoint and VOs) and that every VO project is visible to it.",
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
  },
  async run({ site, sources, sessions, recorder }) {
    if (!site.gocdbName) return skip('The site declares no GOCDB name');
    const baseUrl = sources.cloudInfoUrl;
    if (!baseUrl) {
      return skip(
        'No cloud information system URL is configured for this scan',
      );
    }
    const { value: sites, note } = await readShared({
      cache: sources.cache,
      key: `cloud-info:sites:${baseUrl}`,
      url: baseUrl,
      recorder,
      read: own => cloudInfoSites(sessions.reader.http, baseUrl, own),
      ok: lookup => lookup.ok,
      // The evidence keeps the site's entries: by name in any case, and any at its Keystone URL.
      about: lookup => ({
        site: site.gocdbName!,
        of: lookup.ok ? lookup.value.length : 0,
        entries: lookup.ok
          ? entriesUnder(lookup.value, siteKeys, [
              `name:${looseKey(site.gocdbName!)}`,
              `url:${looseKey(site.keystoneUrl)}`,
            ])
          : [],
      }),
    });
    const read = { ...note, url: sites.url };
    if (!sites.ok) {
      return {
        status: 'error',
        message: `Could not read the cloud information system's sites: ${sites.error.message}`,
        details: { read },
      };
    }
    const entries = sites.value.filter(s => s.name === site.gocdbName);
    if (entries.length === 0) {
      return fail(
        `The cloud information system does not list site ${site.gocdbName}`,
        { read, sites: sites.value.length },
      );
    }
    const atUrl = entries
      .map(entry => ({
        entry,
        comparison: compareEndpointUrls(entry.url, site.keystoneUrl),
      }))
      .filter(m => m.comparison.same)
      .sort(
        (a, b) =>
          Number(b.comparison.same && b.comparison.exact) -
          Number(a.comparison.same && a.comparison.exact),
      );
    if (atUrl.length === 0) {
      return fail(
        `The cloud information system lists site ${site.gocdbName} at ${entries
          .map(e => e.url)
          .join(', ')}, not at ${site.keystoneUrl}`,
        { read, entries: entries.map(({ projects: _, ...e }) => e) },
      );
    }
    const { entry, comparison } = atUrl[0];
    const { projects, ...published } = entry;
    if (!projects) {
      return {
        status: 'error',
        message: `The cloud information system answered ${sites.url} without the sites' projects: is it cloud-info-api?`,
        details: { read, entry: published },
      };
    }
    // The information system copies the URL from the site's configuration: how it is spelt does not matter here.
    const spelling =
      comparison.same && !comparison.exact
        ? ` (written "${
            entry.url
          }": the same endpoint, with a different ${listed(
            comparison.spelling,
          )})`
        : '';
    const details = {
      read,
      entry: published,
      projects: projects.map(p => ({ id: p.id, vo: p.name })),
    };
    if (projects.length === 0) {
      return warn(
        `The cloud information system lists site ${site.gocdbName} at ${site.keystoneUrl}${spelling} but publishes no project for it`,
        details,
      );
    }
    return pass(
      `The cloud information system lists site ${site.gocdbName} at ${
        site.keystoneUrl
      }${spelling} with ${projects.length} project(s): ${projects
        .map(p => p.name)
        .join(', ')}`,
      details,
    );
  },
};

/** Where an entry is filed for a site's evidence: its name and its URL. */
function siteKeys(entry: CloudInfoSite): string[] {
  return [`name:${looseKey(entry.name)}`, `url:${looseKey(entry.url)}`];
}
