import { cloudInfoSiteProjects, cloudInfoSites } from '../../sources/cloudInfo';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, pass, skip, warn } from '../outcomes';

// The information system copies GOCDB's URL: a trailing slash is the only difference tolerated.
const sameUrl = (a: string, b: string) =>
  a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The site is discoverable: the cloud information system lists it at its Keystone URL, with projects. */
export const registrationInfo: Check<ScanContext> = {
  metadata: {
    id: 'registration.info',
    title: 'Site published in the cloud information system',
    area: 'registration',
    severity: 'minor',
    remediation:
      "Make sure EGI's cloud-info-provider for the site runs with a working account (its entry in fedcloud-catchall-operations lists the site's endpoint and VOs) and that every VO project is visible to it.",
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
  },
  async run({ site, sources, sessions, recorder }) {
    if (!site.gocdbName) return skip('The site declares no GOCDB name');
    if (!sources.cloudInfoUrl) {
      return skip(
        'No cloud information system URL is configured for this scan',
      );
    }
    const http = sessions.reader.http;
    const sites = await cloudInfoSites(http, sources.cloudInfoUrl, recorder);
    if (!sites.ok)
      return couldNotRead("the cloud information system's sites", sites.error);
    const entries = sites.value.filter(s => s.name === site.gocdbName);
    if (entries.length === 0) {
      return fail(
        `The cloud information system does not list site ${site.gocdbName}`,
        { url: sites.url, sites: sites.value.length },
      );
    }
    const atUrl = entries.filter(s => sameUrl(s.url, site.keystoneUrl));
    if (atUrl.length === 0) {
      return fail(
        `The cloud information system lists site ${site.gocdbName} at ${entries
          .map(e => e.url)
          .join(', ')}, not at ${site.keystoneUrl}`,
        { entries },
      );
    }
    const entry = atUrl[0];
    const projects = await cloudInfoSiteProjects(
      http,
      sources.cloudInfoUrl,
      entry.id,
      recorder,
    );
    if (!projects.ok) {
      return couldNotRead(
        `the projects of site ${site.gocdbName} (${entry.id})`,
        projects.error,
      );
    }
    const details = {
      entry,
      projects: projects.value.map(p => ({ id: p.id, vo: p.name })),
    };
    if (projects.value.length === 0) {
      return warn(
        `The cloud information system lists site ${site.gocdbName} at ${entry.url} but publishes no project for it`,
        details,
      );
    }
    return pass(
      `The cloud information system lists site ${site.gocdbName} at ${
        entry.url
      } with ${projects.value.length} project(s): ${projects.value
        .map(p => p.name)
        .join(', ')}`,
      details,
    );
  },
};
