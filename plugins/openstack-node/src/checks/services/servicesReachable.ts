import { versionRootUrl } from '../../client/endpointUrl';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { rootAnswer } from '../sharedReads';
import { inRegion, publicEndpoints } from './publicEndpoints';

// 100–599: the check asks whether the service answers, not what.

interface EndpointAnswer {
  type: string;
  url: string;
  /** Where it was asked: the endpoint's version root, without token. */
  probedUrl: string;
  answered: boolean;
  status?: number;
  ms?: number;
  error?: string;
}

/** Every public endpoint of the catalog answers HTTP from outside: any status counts as an answer. */
export const servicesReachable: Check<ScanContext> = {
  metadata: {
    id: 'services.reachable',
    title: 'Every public endpoint answers',
    area: 'services',
    severity: 'critical',
    reads:
      "The catalog's public endpoints in the site's region (`GET /v3/auth/catalog`), then each endpoint's version root (`GET`, without a token).",
    rule: 'Passes when every endpoint answers over HTTP, whatever the status; fails when the catalog lists no public endpoint or an endpoint does not answer (network error, timeout, invalid URL); errors when the catalog cannot be read.',
    remediation:
      'Open each public endpoint to the outside (firewall, security groups, load balancer) or correct its URL; `openstack endpoint list --interface public` lists them, `openstack endpoint set --url <url> <endpoint-id>` corrects one and `openstack endpoint delete <endpoint-id>` removes one for a service the site does not run.',
    docsUrl:
      'https://docs.egi.eu/providers/cloud-compute/openstack/#open-ports',
    // Only the catalog is needed: a catalog missing a service (keystone.catalog) does not stop
    // the endpoints it lists from being tried.
    requires: ['keystone.reachable'],
  },
  async run(context) {
    const { site } = context;
    const found = await publicEndpoints(context);
    if (!found.ok) return couldNotRead('the service catalog', found.error);
    const where = inRegion(site.region);
    if (found.endpoints.length === 0) {
      return fail(`The catalog lists no public endpoint${where}`);
    }
    const answers = await Promise.all(
      found.endpoints.map(async (endpoint): Promise<EndpointAnswer> => {
        let probedUrl: string;
        try {
          probedUrl = versionRootUrl(endpoint.url);
        } catch {
          return {
            type: endpoint.type,
            url: endpoint.url,
            probedUrl: endpoint.url,
            answered: false,
            error: 'not a valid URL',
          };
        }
        const result = await rootAnswer(context, probedUrl);
        const status = result.ok ? result.status : result.error.status;
        const answered =
          result.ok ||
          status !== undefined ||
          result.error.kind === 'too-large';
        return {
          type: endpoint.type,
          url: endpoint.url,
          probedUrl,
          answered,
          ...(status !== undefined ? { status } : {}),
          ...(result.evidence ? { ms: result.evidence.durationMs } : {}),
          ...(!answered && !result.ok ? { error: result.error.message } : {}),
        };
      }),
    );
    const silent = answers.filter(answer => !answer.answered);
    const details = { endpoints: answers };
    if (silent.length > 0) {
      return fail(
        `${silent.length} of ${
          answers.length
        } public endpoints${where} do not answer: ${listed(
          silent.map(a => `${a.type} at ${a.url} (${a.error})`),
        )}`,
        details,
      );
    }
    return pass(
      `All ${
        answers.length
      } public endpoints${where} answer over HTTP: ${listed(
        answers.map(a => `${a.type} (HTTP ${a.status ?? '?'})`),
      )}`,
      details,
    );
  },
};
