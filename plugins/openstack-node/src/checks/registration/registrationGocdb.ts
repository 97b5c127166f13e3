import {
  gocdbServices,
  GocdbService,
  gocdbServiceUrls,
} from '../../sources/gocdb';
import { entriesUnder, looseKey, readShared } from '../../sources/sourceCache';
import { compareEndpointUrls, UrlSpelling } from '../../sources/urls';
import { Check } from '../types';
import { ScanContext } from '../context';
import { fail, listed, pass, skip, warn } from '../outcomes';

const NOVA = 'org.openstack.nova';
const ACCOUNTING = 'eu.egi.cloud.accounting';

/**
 * Spellings of one URL that EGI's tools read alike: cloud-info-provider finds a site's GOCDB
 * service by comparing scheme, host:port as written and the path without its trailing slash, so
 * a slash (6 of the 25 catchall endpoints end in `/v3/`) or the scheme's case is harmless: a
 * note on a pass. A host written in another case or an explicit :443 is the same endpoint to
 * Keystone but not to cloud-info-provider, which then publishes no GOCDB id for the site: warn.
 */
const HARMLESS: readonly UrlSpelling[] = ['trailing slash', 'scheme case'];

/**
 * The site is in GOCDB as EGI's monitoring and information system read it: an org.openstack.nova
 * service whose URL is the Keystone URL, in production and monitored, and an
 * eu.egi.cloud.accounting service (the host SSM sends from). GOCDB's lists of both service types
 * are read whole, once per fleet scan when the scan's sources carry a cache.
 */
export const registrationGocdb: Check<ScanContext> = {
  metadata: {
    id: 'registration.gocdb',
    title: 'Site registered in GOCDB',
    area: 'registration',
    severity: 'major',
    reads:
      "GOCDB's public API (`get_service_endpoint` for service types org.openstack.nova and eu.egi.cloud.accounting, read whole, once per fleet scan), filtered by the site's GOCDB name.",
    rule: "Skipped when the site declares no GOCDB name or no GOCDB URL is configured; fails when GOCDB lists no nova or accounting service for the site, no nova service has the Keystone URL, or the matching one is not in production and monitored; warns when GOCDB spells the same URL with another host case or with its default port written or left out (cloud-info-provider then cannot match it; a trailing slash or the scheme's case is only noted); errors when GOCDB cannot be read; passes otherwise.",
    remediation:
      'In GOCDB, register an org.openstack.nova service whose URL is the Keystone v3 URL exactly as the site publishes it, set Production and Monitored to Y, and register an eu.egi.cloud.accounting service for the host running SSM.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/registration/',
  },
  async run({ site, sources, sessions, recorder }) {
    if (!site.gocdbName) return skip('The site declares no GOCDB name');
    const baseUrl = sources.gocdbUrl;
    if (!baseUrl) return skip('No GOCDB API URL is configured for this scan');
    const reads = await Promise.all(
      [NOVA, ACCOUNTING].map(type =>
        readShared({
          cache: sources.cache,
          key: `gocdb:get_service_endpoint:${type}:${baseUrl}`,
          url: `${baseUrl} (get_service_endpoint, service_type=${type})`,
          recorder,
          read: own =>
            gocdbServices(
              sessions.reader.http,
              baseUrl,
              { service_type: type },
              own,
            ),
          ok: lookup => lookup.ok,
          // The evidence keeps the site's services: by name in any case, and any service at
          // its Keystone URL (registered under another name?).
          about: lookup => ({
            site: site.gocdbName!,
            of: lookup.ok ? lookup.value.length : 0,
            entries: lookup.ok
              ? entriesUnder(lookup.value, serviceKeys, [
                  `site:${looseKey(site.gocdbName!)}`,
                  `url:${looseKey(site.keystoneUrl)}`,
                ])
              : [],
          }),
        }),
      ),
    );
    const gocdbReads = reads.map(({ value, note }) => ({
      ...note,
      url: value.url,
      ...(value.ok ? { pages: value.pages } : {}),
    }));
    const services: GocdbService[] = [];
    for (const [index, { value }] of reads.entries()) {
      if (!value.ok) {
        return {
          status: 'error',
          message: `Could not read GOCDB's ${
            index === 0 ? NOVA : ACCOUNTING
          } services: ${value.error.message}`,
          details: { reads: gocdbReads },
        };
      }
      services.push(...value.value.filter(s => s.siteName === site.gocdbName));
    }
    const summary = services.map(s => ({
      id: s.primaryKey,
      type: s.serviceType,
      hostname: s.hostname,
      urls: gocdbServiceUrls(s),
      inProduction: s.inProduction,
      monitored: s.nodeMonitored,
    }));
    const details = { reads: gocdbReads, services: summary };
    if (services.length === 0) {
      return fail(
        `GOCDB lists no ${NOVA} or ${ACCOUNTING} service for site ${site.gocdbName}: is the site registered under that name?`,
        details,
      );
    }

    const problems: string[] = [];
    const nova = services.filter(s => s.serviceType === NOVA);
    // Each nova service with the URL that names the site's Keystone best: exact, else the same endpoint.
    const matches = nova.flatMap(service => {
      const found = gocdbServiceUrls(service)
        .map(url => ({
          url,
          comparison: compareEndpointUrls(url, site.keystoneUrl),
        }))
        .filter(m => m.comparison.same)
        .sort((a, b) => Number(isExact(b)) - Number(isExact(a)));
      return found.length > 0 ? [{ service, ...found[0] }] : [];
    });
    const ready = matches.filter(
      m => m.service.inProduction === 'Y' && m.service.nodeMonitored === 'Y',
    );
    const best = [...ready, ...matches].sort(
      (a, b) => Number(isExact(b)) - Number(isExact(a)),
    )[0];
    if (nova.length === 0) {
      problems.push(`it has no ${NOVA} service`);
    } else if (matches.length === 0) {
      problems.push(
        `no ${NOVA} service has the URL ${site.keystoneUrl} (GOCDB has ${
          listed(nova.flatMap(gocdbServiceUrls).map(u => `"${u}"`)) || 'none'
        })`,
      );
    } else if (ready.length === 0) {
      const s = matches[0].service;
      const not = [
        ...(s.inProduction === 'Y' ? [] : ['in production']),
        ...(s.nodeMonitored === 'Y' ? [] : ['monitored']),
      ];
      problems.push(
        `its ${NOVA} service ${s.primaryKey} is not ${listed(not)}`,
      );
    }
    if (!services.some(s => s.serviceType === ACCOUNTING)) {
      problems.push(`it has no ${ACCOUNTING} service`);
    }

    const spelling =
      best && best.comparison.same && !best.comparison.exact
        ? best.comparison.spelling
        : [];
    const spellingNote =
      spelling.length > 0
        ? `GOCDB writes the URL "${best.url}", the site "${
            site.keystoneUrl
          }": the same endpoint, spelt with a different ${listed(spelling)}`
        : undefined;
    const judged = {
      ...details,
      ...(spellingNote ? { urlSpelling: spelling } : {}),
    };
    if (problems.length > 0) {
      return fail(
        `GOCDB site ${site.gocdbName}: ${problems.join('; ')}${
          spellingNote ? ` (${spellingNote})` : ''
        }`,
        judged,
      );
    }
    const found = `GOCDB site ${site.gocdbName} has ${NOVA} ${best.service.primaryKey} at ${best.url}, in production and monitored, and an ${ACCOUNTING} service`;
    if (spellingNote && spelling.some(s => !HARMLESS.includes(s))) {
      return warn(
        `${found}; ${spellingNote}: cloud-info-provider compares host and port as written, so it may not match the site to its GOCDB service. Register the URL exactly as the site publishes it`,
        judged,
      );
    }
    return pass(
      spellingNote
        ? `${found} (${spellingNote}, which EGI's tools read alike)`
        : found,
      judged,
    );
  },
};

/** Where a service is filed for a site's evidence: its site's name and its URLs. */
function serviceKeys(service: GocdbService): string[] {
  return [
    `site:${looseKey(service.siteName)}`,
    ...gocdbServiceUrls(service).map(url => `url:${looseKey(url)}`),
  ];
}

function isExact(match: {
  comparison: ReturnType<typeof compareEndpointUrls>;
}): boolean {
  return match.comparison.same && match.comparison.exact;
}
