import { SelectedEndpoint } from '../../client/identity/catalog';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass, warn } from '../outcomes';
import {
  endpointPort,
  inRegion,
  probeTcp,
  publicEndpoints,
} from './publicEndpoints';

const TCP_TIMEOUT_MS = 10_000;

/** One endpoint's port, set against the one the site declared or the default for its type. */
export interface PortPlan {
  type: string;
  url: string;
  host?: string;
  port?: number;
  /** The port expected for the type, and where that expectation comes from. */
  expected?: number;
  expectedFrom?: 'declared' | 'default';
  /**
   * `expected`: on the expected port; `non-default`: another port than the default (warn);
   * `not-as-declared`: another port than the site declared (warn); `undeclared`: the type has
   * no default and no declaration (listed, not judged); `invalid-url`: no port can be read.
   */
  verdict:
    | 'expected'
    | 'non-default'
    | 'not-as-declared'
    | 'undeclared'
    | 'invalid-url';
}

/** Sets each endpoint's port against the declared ports, over the defaults. */
export function planPorts(
  endpoints: readonly SelectedEndpoint[],
  ports: {
    declared?: Record<string, number>;
    defaults: Record<string, number>;
  },
): PortPlan[] {
  return endpoints.map(endpoint => {
    const port = endpointPort(endpoint.url);
    const base = { type: endpoint.type, url: endpoint.url };
    if (port === undefined) return { ...base, verdict: 'invalid-url' };
    const host = new URL(endpoint.url).hostname;
    const declared = ports.declared?.[endpoint.type];
    const fallback = ports.defaults[endpoint.type];
    if (declared !== undefined) {
      return {
        ...base,
        host,
        port,
        expected: declared,
        expectedFrom: 'declared',
        verdict: port === declared ? 'expected' : 'not-as-declared',
      };
    }
    if (fallback !== undefined) {
      return {
        ...base,
        host,
        port,
        expected: fallback,
        expectedFrom: 'default',
        verdict: port === fallback ? 'expected' : 'non-default',
      };
    }
    return { ...base, host, port, verdict: 'undeclared' };
  });
}

/** Why a port is not the expected one, as the operator reads it. */
export function portRemark(plan: PortPlan): string | undefined {
  if (plan.verdict === 'non-default') {
    return `${plan.type} at :${plan.port}, default ${plan.expected}; declare it if intended`;
  }
  if (plan.verdict === 'not-as-declared') {
    return `${plan.type} at :${plan.port}, declared ${plan.expected}; correct the endpoint or the declaration`;
  }
  return undefined;
}

/**
 * The catalog's ports are the declared (or default) ones and accept connections: the ports
 * EGI asks sites to open. A non-default port works but surprises firewalls and monitors: `warn`.
 */
export const servicesPorts: Check<ScanContext> = {
  metadata: {
    id: 'services.ports',
    title: 'Service ports are the declared ones and open',
    area: 'services',
    severity: 'major',
    reads:
      "The catalog's public endpoints in the site's region, then one TCP connection (10 s timeout) per host and port whose expected port is known (declared by the site, or the default for its type).",
    rule: 'Fails when the catalog lists no public endpoint, a port does not accept connections or an endpoint URL has no usable port; warns when a port differs from the one the site declared or, undeclared, from the default (5000 Keystone, 8774 Nova, 8776 Cinder, 9696 Neutron, 9292 Glance); passes otherwise, listing unjudged the types with neither; errors when the catalog cannot be read.',
    remediation:
      "Open the services' ports to the outside (defaults: 5000 Keystone, 8774 Nova, 8776 Cinder, 9696 Neutron, 9292 Glance). A service on another port on purpose: declare that port for the site; otherwise correct the endpoint with `openstack endpoint set --url <url> <endpoint-id>` (`openstack endpoint list --interface public` shows them).",
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#open-ports',
    // Only the catalog is needed (see services.reachable).
    requires: ['keystone.reachable'],
  },
  async run(context) {
    const { site, settings, recorder } = context;
    const found = await publicEndpoints(context);
    if (!found.ok) return couldNotRead('the service catalog', found.error);
    const where = inRegion(site.region);
    if (found.endpoints.length === 0) {
      return fail(`The catalog lists no public endpoint${where}`);
    }
    const plans = planPorts(found.endpoints, {
      declared: site.declaredPorts,
      defaults: settings.defaultPorts,
    });
    const judged = plans.filter(
      plan => plan.verdict !== 'undeclared' && plan.verdict !== 'invalid-url',
    );
    // One connection per host and port, however many endpoints share it.
    const targets = [
      ...new Set(judged.map(plan => `${plan.host}|${plan.port}`)),
    ];
    const probes = new Map(
      await Promise.all(
        targets.map(async target => {
          const [host, port] = target.split('|');
          const probe = await probeTcp(host, Number(port), TCP_TIMEOUT_MS);
          recorder.record(probe.evidence);
          return [target, probe] as const;
        }),
      ),
    );
    const rows = plans.map(plan => {
      const probe = probes.get(`${plan.host}|${plan.port}`);
      return {
        ...plan,
        ...(probe && plan.verdict !== 'undeclared'
          ? { open: probe.open, ...(probe.error ? { error: probe.error } : {}) }
          : {}),
      };
    });
    const closed = rows.filter(row => row.open === false);
    const invalid = rows.filter(row => row.verdict === 'invalid-url');
    const remarks = rows
      .map(portRemark)
      .filter((remark): remark is string => remark !== undefined);
    const undeclared = rows.filter(row => row.verdict === 'undeclared');
    const details = {
      endpoints: rows.filter(row => row.verdict !== 'undeclared'),
      undeclared: undeclared.map(({ type, url, port }) => ({
        type,
        url,
        port,
      })),
    };

    const problems = [
      ...closed.map(
        row =>
          `${row.type} at ${row.host}:${row.port} does not accept connections (${row.error})`,
      ),
      ...invalid.map(row => `${row.type} has no usable URL (${row.url})`),
    ];
    if (problems.length > 0) {
      return fail(
        `${listed(problems)}${
          remarks.length > 0 ? `; also ${remarks.join('; ')}` : ''
        }`,
        details,
      );
    }
    if (remarks.length > 0) return warn(remarks.join('; '), details);
    const unjudged =
      undeclared.length > 0
        ? `; ${listed(undeclared.map(row => `${row.type} :${row.port}`))} ha${
            undeclared.length === 1 ? 's' : 've'
          } no default or declared port and ${
            undeclared.length === 1 ? 'is' : 'are'
          } not judged`
        : '';
    return pass(
      `${
        judged.length
      } public endpoint(s)${where} use their expected ports and accept connections (${listed(
        judged.map(row => `${row.type} :${row.port}`),
      )})${unjudged}`,
      details,
    );
  },
};
