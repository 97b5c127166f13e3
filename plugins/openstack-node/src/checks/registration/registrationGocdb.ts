import { gocdbServiceEndpoints, GocdbService } from '../../sources/gocdb';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass, skip } from '../outcomes';

const NOVA = 'org.openstack.nova';
const ACCOUNTING = 'eu.egi.cloud.accounting';

/** A service's URLs: its own and its endpoints' (GOCDB keeps either, cloud-info-provider reads both). */
const urlsOf = (service: GocdbService) =>
  [service.url, ...service.endpoints.map(e => e.url)].filter(Boolean);

/**
 * The site is in GOCDB as EGI's monitoring and information system read it: an org.openstack.nova
 * service whose URL is the Keystone URL exactly, in production and monitored, and an
 * eu.egi.cloud.accounting service (the host SSM sends from).
 */
export const registrationGocdb: Check<ScanContext> = {
  metadata: {
    id: 'registration.gocdb',
    title: 'Site registered in GOCDB',
    area: 'registration',
    severity: 'major',
    remediation:
      'In GOCDB, register an org.openstack.nova service whose URL is the Keystone v3 URL exactly as the site publishes it, set Production and Monitored to Y, and register an eu.egi.cloud.accounting service for the host running SSM.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/registration/',
  },
  async run({ site, sources, sessions, recorder }) {
    if (!site.gocdbName) return skip('The site declares no GOCDB name');
    if (!sources.gocdbUrl)
      return skip('No GOCDB API URL is configured for this scan');
    const lookup = await gocdbServiceEndpoints(
      sessions.reader.http,
      sources.gocdbUrl,
      site.gocdbName,
      recorder,
    );
    if (!lookup.ok) {
      return couldNotRead(
        `GOCDB's service endpoints of site ${site.gocdbName}`,
        lookup.error,
      );
    }
    const services = lookup.services;
    const summary = services.map(s => ({
      id: s.primaryKey,
      type: s.serviceType,
      hostname: s.hostname,
      urls: urlsOf(s),
      inProduction: s.inProduction,
      monitored: s.nodeMonitored,
    }));
    if (services.length === 0) {
      return fail(
        `GOCDB lists no service for site ${site.gocdbName}: is the site registered under that name?`,
        { services: summary },
      );
    }
    const problems: string[] = [];
    const nova = services.filter(s => s.serviceType === NOVA);
    const sameUrl = nova.filter(s => urlsOf(s).includes(site.keystoneUrl));
    const ready = sameUrl.filter(
      s => s.inProduction === 'Y' && s.nodeMonitored === 'Y',
    );
    if (nova.length === 0) {
      problems.push(`it has no ${NOVA} service`);
    } else if (sameUrl.length === 0) {
      problems.push(
        `no ${NOVA} service has the URL ${site.keystoneUrl} (GOCDB has ${
          listed(nova.flatMap(urlsOf).map(u => `"${u}"`)) || 'none'
        })`,
      );
    } else if (ready.length === 0) {
      const s = sameUrl[0];
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
    const details = { url: lookup.url, services: summary };
    if (problems.length > 0) {
      return fail(
        `GOCDB site ${site.gocdbName}: ${problems.join('; ')}`,
        details,
      );
    }
    return pass(
      `GOCDB site ${site.gocdbName} has ${NOVA} ${ready[0].primaryKey} at ${site.keystoneUrl}, in production and monitored, and an ${ACCOUNTING} service`,
      details,
    );
  },
};
