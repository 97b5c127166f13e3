import { selectEndpoint } from '../../client/identity/catalog';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';

/** The catalog lists a public endpoint for every service a federated site must offer. */
export const keystoneCatalog: Check<ScanContext> = {
  metadata: {
    id: 'keystone.catalog',
    title: 'Service catalog lists the required public endpoints',
    area: 'identity',
    severity: 'critical',
    reads:
      "Keystone's service catalog (`GET /v3/auth/catalog` with the reader's token, issued by `POST /v3/auth/tokens`): its public endpoints in the site's region.",
    rule: 'Fails when a required service type has no public endpoint in the region (identity, compute, volumev3 or block-storage, image, network, plus every optional service the site declares, e.g. object-store); errors when the token or the catalog cannot be read; passes otherwise.',
    remediation:
      'Register a public endpoint for identity, compute, volumev3, image and network (and every optional service the site declares, such as object-store for Swift): `openstack endpoint create --region <region> <service> public <url>`.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
    requires: ['keystone.reachable'],
  },
  prepare: ({ sessions }) => sessions.reader.token(),
  async run({ sessions, site, settings, recorder }) {
    const catalog = await sessions.reader.catalog();
    // The catalog comes with the (cached) token: its issue is this check's evidence.
    const issued = sessions.reader.authenticator.evidence;
    if (issued.length > 0) recorder.record(issued[issued.length - 1]);
    if (!catalog.ok) return couldNotRead('the service catalog', catalog.error);
    const required = [...settings.requiredServiceTypes];
    // What the site declares it offers must be there too (Swift, Heat, …).
    const offered = new Set(site.optionalServices ?? []);
    if (site.offersObjectStorage) offered.add('object-store');
    for (const type of offered) {
      if (!required.some(types => types.includes(type))) required.push([type]);
    }
    const selector = { interface: 'public' as const, region: site.region };
    const found: Record<string, string> = {};
    const missing: string[] = [];
    for (const types of required) {
      const endpoint = selectEndpoint(catalog.value, types, selector);
      if (endpoint) found[endpoint.type] = endpoint.url;
      else missing.push(types.join(' or '));
    }
    const where = site.region ? ` in region ${site.region}` : '';
    if (missing.length > 0) {
      return fail(
        `The catalog has no public endpoint${where} for ${listed(missing)}`,
        { missing, found },
      );
    }
    return pass(
      `The catalog lists public endpoints${where} for ${listed(
        Object.keys(found),
      )}`,
      { found },
    );
  },
};
