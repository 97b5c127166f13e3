import type { FactSchema } from '@backstage-community/plugin-tech-insights-common';
import { BUILT_IN_PROFILE_IDS } from '@fedstack/plugin-openstack-common';

/**
 * The fact retriever's id: the tech-insights fact id (`factIds` of a check,
 * `ids[]` of `/facts/latest`) and the key of its `techInsights.factRetrievers` config entry.
 *
 * @public
 */
export const OPENSTACK_SITE_FACT_RETRIEVER_ID = 'openstackSiteFactRetriever';

/**
 * The prefix of a profile's flat facts: its id in camel case, e.g. `egi-fedcloud` →
 * `egiFedcloud` (facts `egiFedcloudScore`, `egiFedcloudReady`, …). Profile ids are lower case
 * letters, digits, dots and dashes; a dot or a dash starts a new word.
 *
 * @public
 */
export function profileFactPrefix(profileId: string): string {
  return profileId
    .split(/[.-]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * The four flat facts of one profile, by the naming rule of {@link profileFactPrefix}.
 *
 * @public
 */
export function profileFactNames(profileId: string) {
  const prefix = profileFactPrefix(profileId);
  return {
    score: `${prefix}Score`,
    ready: `${prefix}Ready`,
    readiness: `${prefix}Readiness`,
    blockingChecks: `${prefix}BlockingChecks`,
  };
}

function profileFacts(profileId: string): FactSchema {
  const names = profileFactNames(profileId);
  const of = `the site's latest scan on the ${profileId} profile`;
  return {
    [names.score]: {
      type: 'float',
      description: `Score of ${of}: weighted share of passes, 0–100 (a warning counts half; checks not evaluated are left out). Absent when nothing applied.`,
    },
    [names.ready]: {
      type: 'boolean',
      description: `Whether ${of} found the site ready: no blocking check failed and every check that must be evaluated was.`,
    },
    [names.readiness]: {
      type: 'string',
      description: `Readiness of ${of}: ready, not-ready (a blocking check failed or could not run) or not-evaluated (a check that must be evaluated was skipped).`,
    },
    [names.blockingChecks]: {
      type: 'set',
      description: `Ids of the checks that hold the site back from ready on ${profileId}: blocking checks that failed or could not run.`,
    },
  };
}

/**
 * The facts of every `openstack-site`, as the retriever stores them. A fact a site's latest scan
 * does not give is left out of its row (no scan yet: only `scanned`, `profiles` and `problems`;
 * a profile the site does not declare: none of its facts), so a check on it is skipped for that
 * site rather than failed on a made-up value.
 *
 * Profiles are open (backend modules add them) but a schema is fixed when the backend starts, so
 * only the built-in profiles have flat facts; every profile, built in or added, is in
 * `profileScores`, which a check reads with a JSONPath `path`.
 *
 * @public
 */
export const openstackSiteFactSchema: FactSchema = {
  scanned: {
    type: 'boolean',
    description:
      'Whether the site has a completed compliance scan; the scan facts below come from the latest one.',
  },
  profiles: {
    type: 'set',
    description:
      'Ids of the compliance profiles the site declares (its openstack.fedstack.io/profiles annotation).',
  },
  problems: {
    type: 'set',
    description:
      'Why the site cannot be scanned as declared (bad annotations, an unknown credential set); empty when it can.',
  },
  lastScanAt: {
    type: 'datetime',
    description: 'When the latest completed scan of the site finished.',
  },
  lastScanId: {
    type: 'string',
    description:
      'Id of the latest completed scan (GET /api/openstack/scans/{id} has its results).',
  },
  failingChecks: {
    type: 'set',
    description:
      'Ids of the checks that failed (fail) or could not run (error) in the latest scan, whatever their severity or profile.',
  },
  warningChecks: {
    type: 'set',
    description:
      'Ids of the checks that ended with a warning in the latest scan.',
  },
  notEvaluatedChecks: {
    type: 'set',
    description:
      'Ids of the checks the latest scan skipped (their source is not configured, the site declares nothing to check them against).',
  },
  checkStatuses: {
    type: 'object',
    description:
      "Each check's status in the latest scan, by check id: pass, warn, fail, error or skip. A check reads one with a path, e.g. $['keystone.v3'].",
  },
  profileScores: {
    type: 'object',
    description:
      "Each profile's verdict in the latest scan, by profile id, added profiles included: { score (0–100 or null), ready, readiness, blocking (check ids) }. A check reads one with a path, e.g. $['ngi-example'].ready.",
  },
  ...Object.assign({}, ...BUILT_IN_PROFILE_IDS.map(profileFacts)),
};
