import {
  ApiVersion,
  VERSION_STATUSES,
  compareVersions,
  parseVersionNumber,
  versionDocumentSchema,
} from '../../client/discovery';
import { joinUrl, versionRootUrl } from '../../client/endpointUrl';
import { HttpError } from '../../client/http';
import { SelectedEndpoint } from '../../client/identity/catalog';
import { swiftInfoSchema } from '../../client/objectstore/info';
import { Check, CheckOutcome } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { rootAnswer } from '../sharedReads';
import { inRegion, publicEndpoints } from './publicEndpoints';

function parseVersionDocument(
  text: string,
): { ok: true; versions: ApiVersion[] } | { ok: false; error: HttpError } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      error: { kind: 'parse', message: 'the answer is not JSON' },
    };
  }
  const parsed = versionDocumentSchema.safeParse(json);
  return parsed.success
    ? { ok: true, versions: parsed.data }
    : {
        ok: false,
        error: {
          kind: 'schema',
          message: `not a version document: ${parsed.error.issues[0]?.message}`,
        },
      };
}

// Versions a client may use; DEPRECATED ones are offered but not counted.
const USABLE = new Set(['current', 'supported', 'stable']);

// Cinder registers under either name; the setting is kept under volumev3.
const MINIMUM_ALIASES: Record<string, string> = { 'block-storage': 'volumev3' };

/** One service's discovery, judged. */
export interface ServiceVersionVerdict {
  type: string;
  url: string;
  minimum: string;
  /** `ok`: meets the minimum; `below`: does not; `silent`: no answer (services.reachable's); `unreadable`: an answer that is not a version document. */
  verdict: 'ok' | 'below' | 'silent' | 'unreadable';
  offered?: Array<{ id: string; status: string; microversions?: string }>;
  /** The best usable version (or Swift's release), as shown in the message. */
  best?: string;
  error?: string;
}

/** The minimum for a catalog type, when one is set (`[major, minor]`). */
export function minimumFor(
  type: string,
  minimums: Record<string, [number, number]>,
): [number, number] | undefined {
  return minimums[type] ?? minimums[MINIMUM_ALIASES[type] ?? ''];
}

/** Judges a service's version document against its minimum. */
export function judgeVersions(
  endpoint: Pick<SelectedEndpoint, 'type' | 'url'>,
  versions: readonly ApiVersion[],
  minimum: [number, number],
): ServiceVersionVerdict {
  const offered = versions.map(version => ({
    id: version.id,
    status: version.status,
    ...(version.version
      ? { microversions: `${version.min_version || '?'}–${version.version}` }
      : {}),
  }));
  const usable = versions
    .map(version => ({ version, number: parseVersionNumber(version.id) }))
    .filter(
      (v): v is { version: ApiVersion; number: [number, number] } =>
        v.number !== undefined &&
        USABLE.has(v.version.status.toLowerCase()) &&
        compareVersions(v.number, minimum) >= 0,
    )
    .sort((a, b) => compareVersions(b.number, a.number));
  const base = {
    type: endpoint.type,
    url: endpoint.url,
    minimum: minimum.join('.'),
    offered,
  };
  if (usable.length === 0) return { ...base, verdict: 'below' };
  const best = usable[0].version;
  return {
    ...base,
    verdict: 'ok',
    best: best.version
      ? `${best.id} (microversions ${best.min_version || '?'}–${best.version})`
      : best.id,
  };
}

/**
 * Each catalog service with a minimum API version offers at least that version: Nova 2.x with
 * microversions, Cinder 3, Neutron and Glance 2, Keystone 3; Heat, Designate and Swift when the
 * site has them. A service that does not answer is left to services.reachable.
 */
export const servicesVersions: Check<ScanContext> = {
  metadata: {
    id: 'services.versions',
    title: 'Services offer the minimum API versions',
    area: 'services',
    severity: 'major',
    reads:
      "The catalog's public endpoints in the site's region (the first of each type) and, for each type with a minimum version, its version discovery (`GET` on the version root, without a token), or Swift's `GET /info`.",
    rule: 'Fails when the catalog lists no service with a minimum, or a service offers no stable, current or supported version at its minimum (by default identity 3.0, compute 2.0, volumev3 3.0, network 2.0, image 2.0, orchestration 1.0, dns 2.0); errors when an answer is not a version document or no service answers; passes otherwise (a service that does not answer is left to services.reachable).',
    remediation:
      'Upgrade or enable the API versions EGI needs (Nova 2.1 with microversions, Cinder v3, Neutron v2, Glance v2, Keystone v3) and point the catalog at them: `openstack endpoint set --url <url> <endpoint-id>`; `curl <endpoint root>/` shows what a service offers.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
    // Only the catalog is needed (see services.reachable).
    requires: ['keystone.reachable'],
  },
  async run(context) {
    const { sessions, site, settings, recorder } = context;
    const found = await publicEndpoints(context);
    if (!found.ok) return couldNotRead('the service catalog', found.error);
    // One endpoint per type (the first, as clients pick it).
    const byType = new Map<string, SelectedEndpoint>();
    for (const endpoint of found.endpoints) {
      if (!byType.has(endpoint.type)) byType.set(endpoint.type, endpoint);
    }
    const wanted = [...byType.values()].flatMap(endpoint => {
      const minimum = minimumFor(endpoint.type, settings.minimumVersions);
      return minimum ? [{ endpoint, minimum }] : [];
    });
    if (wanted.length === 0) {
      return fail(
        `The catalog lists no public endpoint${inRegion(
          site.region,
        )} of a service with a minimum API version`,
      );
    }
    const http = sessions.reader.http;
    const verdicts = await Promise.all(
      wanted.map(
        async ({ endpoint, minimum }): Promise<ServiceVersionVerdict> => {
          const base = {
            type: endpoint.type,
            url: endpoint.url,
            minimum: minimum.join('.'),
          };
          let root: string;
          try {
            root = versionRootUrl(endpoint.url);
          } catch {
            return { ...base, verdict: 'unreadable', error: 'not a valid URL' };
          }
          if (endpoint.type === 'object-store') {
            // Swift has one API (v1) and tells its release at /info instead.
            const info = await http.request(
              { url: joinUrl(root, '/info'), schema: swiftInfoSchema },
              recorder,
              sessions.reader.signal,
            );
            if (!info.ok) return unanswered(base, info.error);
            return {
              ...base,
              verdict: 'ok',
              best: `Swift ${info.data.swift.version}`,
            };
          }
          const answer = await rootAnswer(context, root);
          if (!answer.ok) return unanswered(base, answer.error);
          if (!VERSION_STATUSES.includes(answer.status)) {
            return unanswered(base, {
              kind: 'http',
              status: answer.status,
              message: `HTTP ${answer.status} where a version document was expected`,
            });
          }
          const discovery = parseVersionDocument(answer.data);
          if (!discovery.ok) return unanswered(base, discovery.error);
          return judgeVersions(endpoint, discovery.versions, minimum);
        },
      ),
    );
    return outcomeOf(verdicts);
  },
};

function unanswered(
  base: Pick<ServiceVersionVerdict, 'type' | 'url' | 'minimum'>,
  error: HttpError,
): ServiceVersionVerdict {
  const silent = error.kind === 'network' || error.kind === 'timeout';
  return {
    ...base,
    verdict: silent ? 'silent' : 'unreadable',
    error: error.message,
  };
}

function outcomeOf(verdicts: readonly ServiceVersionVerdict[]): CheckOutcome {
  const details = { services: verdicts };
  const below = verdicts.filter(v => v.verdict === 'below');
  const unreadable = verdicts.filter(v => v.verdict === 'unreadable');
  const silent = verdicts.filter(v => v.verdict === 'silent');
  const ok = verdicts.filter(v => v.verdict === 'ok');
  const notJudged =
    silent.length > 0
      ? `; ${listed(
          silent.map(v => v.type),
        )} did not answer (see services.reachable)`
      : '';
  if (below.length > 0) {
    return fail(
      `${listed(
        below.map(
          v =>
            `${v.type} offers ${
              v.offered && v.offered.length > 0
                ? v.offered.map(o => `${o.id} (${o.status})`).join(', ')
                : 'no version'
            }, below the minimum ${v.minimum}`,
        ),
      )}${notJudged}`,
      details,
    );
  }
  if (unreadable.length > 0) {
    return {
      status: 'error',
      message: `Could not read the versions of ${listed(
        unreadable.map(v => `${v.type} at ${v.url} (${v.error})`),
      )}${notJudged}`,
      details,
    };
  }
  if (ok.length === 0) {
    return {
      status: 'error',
      message: `No service answered version discovery: ${listed(
        silent.map(v => `${v.type} (${v.error})`),
      )}`,
      details,
    };
  }
  return pass(
    `Every service meets its minimum API version: ${listed(
      ok.map(v => `${v.type} ${v.best}`),
    )}${notJudged}`,
    details,
  );
}
