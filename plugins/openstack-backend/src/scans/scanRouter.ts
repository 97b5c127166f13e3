import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  CheckResultResponse,
  checkParamsSchema,
  HealthResponse,
  ListSitesResponse,
  openstackScanTriggerPermission,
  openstackSiteReadPermission,
  ScanDetailResponse,
  ScanEvent,
  SiteDetailResponse,
  SiteSummary,
  summarizeCheckResult,
  TriggerScanResponse,
  ListChecksResponse,
  ListProfilesResponse,
  RollupResponse,
  rollupQuerySchema,
  CheckResultSummary,
  ScanSummary,
  Waiver,
  ProfileInfo,
  toCsv,
} from '@fedstack/plugin-openstack-common';
import {
  ComplianceCatalogue,
  formatJunit,
  Profile,
  JunitReport,
} from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { openApiDocument } from '../http/openapi';
import { ScanStore } from './ScanStore';
import { ScanService, SiteNotScannableError } from './ScanService';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';
import { parseInput } from '../http/validation';
import { siteAccess } from '../sites/siteAccess';
import { ownerOnlyDetailsOf, ResultSummaries } from './resultSummaries';
import { withDecisionCache } from '../http/permissionDecisions';
import { WaiverStore } from '../waivers/WaiverStore';
import { withWaivers } from '../waivers/waivedScores';
import { rollupSites } from './rollups';

export interface ScanRouterOptions {
  config: OpenStackPluginConfig;
  /** The checks and profiles scans use (built-in and the modules'); built-in by default. */
  catalogue?: ComplianceCatalogue;
  registry: SiteRegistry;
  store: ScanStore;
  scans: ScanService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The API's own URL, for the OpenAPI document. */
  baseUrl: string;
  /** Active waivers change a site's latest results and scores when read; none without. */
  waivers?: WaiverStore;
  /** The clock waivers are judged by (tests move it). */
  now?: () => Date;
}

const historyQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();
const exportQuerySchema = z
  .object({ format: z.enum(['json', 'csv', 'junit']).default('json') })
  .strict();
const scanParamsSchema = z.object({ id: z.uuid() });

/** Why a reader who is not an owner of the site sees no headers, bodies or names. */
export const EVIDENCE_WITHHELD =
  "Request and response headers and bodies, and the details that name accounts or people, are shown to the site's owners (those who may scan it) only.";

/**
 * Answers `body` as JSON with its `results` spliced in already serialized (the cached
 * summaries of a completed scan are not parsed and written again on every read).
 */
function sendWithResults(
  res: express.Response,
  body: Record<string, unknown>,
  resultsJson: string,
) {
  const rest = JSON.stringify(body);
  res
    .type('application/json')
    .send(`${rest.slice(0, -1)},"results":${resultsJson}}`);
}

/** Resource questions per request to the permission backend. */
const AUTHORIZE_BATCH = 200;

/** A profile as the REST API shows it, field by field. */
function profileInfo(profile: Profile): ProfileInfo {
  return {
    id: profile.id,
    title: profile.title,
    description: profile.description,
    checks: [...profile.checks],
    weights: { ...profile.weights },
    readiness: {
      blocking: [...profile.readiness.blocking],
      mustBeEvaluated: [...profile.readiness.mustBeEvaluated],
    },
  };
}

export async function createScanRouter(
  options: ScanRouterOptions,
): Promise<express.Router> {
  const { config, registry, store, scans, httpAuth } = options;
  const catalogue = options.catalogue ?? ComplianceCatalogue.builtIn();
  const permissions = withDecisionCache(options.permissions);
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  /** Which of these sites the caller may see, or act on, with one batched decision. */
  const allowed = async (
    req: express.Request,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
  ): Promise<Set<string>> => {
    if (entityRefs.length === 0) return new Set();
    const credentials = await httpAuth.credentials(req);
    if (entityRefs.length > 1) {
      // One question for a list: a policy whose answer does not depend on the site says so.
      const [decision] = await permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      if (decision.result === AuthorizeResult.ALLOW) return new Set(entityRefs);
      if (decision.result === AuthorizeResult.DENY) return new Set();
    }
    // Per site, in batches: the permission backend refuses request bodies over 100 kB
    // (about 600 questions), so 1000 sites in one request would fail with 413.
    const visible = new Set<string>();
    for (let from = 0; from < entityRefs.length; from += AUTHORIZE_BATCH) {
      const batch = entityRefs.slice(from, from + AUTHORIZE_BATCH);
      const decisions = await permissions.authorize(
        batch.map(resourceRef => ({ permission, resourceRef })),
        { credentials },
      );
      batch.forEach((ref, i) => {
        if (decisions[i].result === AuthorizeResult.ALLOW) visible.add(ref);
      });
    }
    return visible;
  };
  const { authorizeSite: authorize, siteOf } = siteAccess({
    ...options,
    permissions,
  });
  const ownerOnly = ownerOnlyDetailsOf(catalogue);
  const resultSummaries = new ResultSummaries(store, ownerOnly);
  const visibleSites = async (req: express.Request) => {
    const sites = await registry.listSites();
    const visible = await allowed(
      req,
      openstackSiteReadPermission,
      sites.map(site => site.entityRef),
    );
    return sites.filter(site => visible.has(site.entityRef));
  };

  const summarize = (
    site: RegisteredSite,
    latest: Map<string, Awaited<ReturnType<ScanStore['getScan']>>>,
  ): SiteSummary => ({
    entityRef: site.entityRef,
    name: site.name,
    ...(site.title ? { title: site.title } : {}),
    ...(site.site?.keystoneUrl ? { keystoneUrl: site.site.keystoneUrl } : {}),
    ...(site.site?.region ? { region: site.site.region } : {}),
    ...(site.owner ? { owner: site.owner } : {}),
    ...(site.site?.ngi ? { ngi: site.site.ngi } : {}),
    profiles: site.site?.profiles ?? [],
    problems: site.problems,
    latestScan: latest.get(site.entityRef) ?? null,
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(options.baseUrl));
  });

  router.get('/health', (_req, res) => {
    const body: HealthResponse = {
      status: 'ok',
      credentialSets: Object.keys(config.credentialSets).sort(),
    };
    res.json(body);
  });

  // What scans check and how they score it: built in, or added by modules.
  router.get('/profiles', (_req, res) => {
    const body: ListProfilesResponse = {
      items: catalogue.profiles.map(profileInfo),
    };
    res.json(body);
  });

  router.get('/checks', (_req, res) => {
    const body: ListChecksResponse = {
      items: catalogue.checks.map(({ metadata }) => ({
        id: metadata.id,
        title: metadata.title,
        area: metadata.area,
        severity: metadata.severity,
        reads: metadata.reads,
        rule: metadata.rule,
        remediation: metadata.remediation,
        docsUrl: metadata.docsUrl,
        requires: [...(metadata.requires ?? [])],
      })),
    };
    res.json(body);
  });

  const now = options.now ?? (() => new Date());
  /** The latest scan and results as the site's active waivers change them. */
  const waived = async (
    scan: ScanSummary,
    waivers: readonly Waiver[],
    results?: CheckResultSummary[],
  ) =>
    withWaivers({
      scan,
      results:
        results ??
        (JSON.parse(await resultSummaries.json(scan)) as CheckResultSummary[]),
      waivers,
      countsAs: config.waivers.countsAs,
      definitions: (await store.getPlan(scan.id))?.definitions,
      catalogue,
      profileSettings: config.profiles,
    });

  router.get('/sites', async (req, res) => {
    const [sites, latest, activeWaivers] = await Promise.all([
      visibleSites(req),
      store.latestCompletedScans(),
      options.waivers?.activeBySite(now()) ?? new Map<string, Waiver[]>(),
    ]);
    // Only the caller's sites with an active waiver are scored again (results from the cache).
    for (const site of sites) {
      const waivers = activeWaivers.get(site.entityRef);
      const scan = latest.get(site.entityRef);
      if (waivers && scan)
        latest.set(site.entityRef, (await waived(scan, waivers)).scan);
    }
    const body: ListSitesResponse = {
      items: sites.map(site => summarize(site, latest)),
    };
    res.json(body);
  });

  router.get('/rollups', async (req, res) => {
    const { by, days } = parseInput(rollupQuerySchema, req.query, 'query');
    const since = new Date(now().getTime() - days * 24 * 3600_000);
    const [sites, latest, earlier] = await Promise.all([
      visibleSites(req),
      store.latestCompletedScans(),
      store.latestCompletedScans(since),
    ]);
    const body: RollupResponse = {
      by,
      since: since.toISOString(),
      groups: rollupSites(sites, latest, earlier, by),
    };
    res.json(body);
  });

  router.get('/sites/:namespace/:name', async (req, res) => {
    const site = await siteOf(req, openstackSiteReadPermission);
    const history = (await store.listScans(site.entityRef, 50))
      .filter(scan => scan.status === 'completed')
      .reverse();
    let latest = history[history.length - 1];
    const waivers =
      latest && options.waivers
        ? (
            await options.waivers.listForSite(site.entityRef, 'open', now())
          ).filter(waiver => waiver.active)
        : [];
    if (latest && waivers.length > 0) {
      // Waived: the latest scan scored again, its results carrying their waivers.
      const view = await waived(latest, waivers);
      latest = view.scan;
      history[history.length - 1] = latest;
      const body: SiteDetailResponse = {
        site: summarize(site, new Map([[site.entityRef, latest]])),
        history,
        results: view.results,
      };
      res.json(body);
      return;
    }
    const body: Omit<SiteDetailResponse, 'results'> = {
      site: summarize(site, new Map(latest ? [[site.entityRef, latest]] : [])),
      history,
    };
    sendWithResults(
      res,
      body,
      latest ? await resultSummaries.json(latest) : '[]',
    );
  });

  router.get('/sites/:namespace/:name/scans', async (req, res) => {
    const site = await siteOf(req, openstackSiteReadPermission);
    const { limit } = parseInput(historyQuerySchema, req.query, 'query');
    res.json({ items: await store.listScans(site.entityRef, limit) });
  });

  router.post('/sites/:namespace/:name/scans', async (req, res) => {
    const site = await siteOf(req, openstackScanTriggerPermission);
    try {
      const { scanId, joined } = await scans.trigger(site.entityRef, 'manual');
      const body: TriggerScanResponse = { scanId, joined };
      res.status(202).json(body);
    } catch (error) {
      if (error instanceof SiteNotScannableError) {
        throw new InputError(error.message);
      }
      throw error;
    }
  });

  router.get('/scans/:id', async (req, res) => {
    const { id } = parseInput(scanParamsSchema, req.params, 'scan id');
    const scan = await store.getScan(id);
    if (!scan) throw new NotFoundError(`No scan ${id}`);
    await authorize(req, openstackSiteReadPermission, scan.siteRef);
    const definitions = (await store.getPlan(id))?.definitions;
    const body: Omit<ScanDetailResponse, 'results'> = {
      scan,
      ...(definitions && {
        profileDefinitions: definitions.map(profileInfo),
      }),
    };
    sendWithResults(res, body, await resultSummaries.json(scan));
  });

  router.get('/scans/:id/checks/:checkId', async (req, res) => {
    const { id, checkId } = parseInput(checkParamsSchema, req.params, 'check');
    const scan = await store.getScan(id);
    if (!scan) throw new NotFoundError(`No scan ${id}`);
    await authorize(req, openstackSiteReadPermission, scan.siteRef);
    const result = (await store.getResults(id)).find(
      candidate => candidate.checkId === checkId,
    );
    if (!result) throw new NotFoundError(`Scan ${id} has no check ${checkId}`);
    // Headers, bodies and some details name accounts and people: for those who may scan the site.
    const owner = (
      await allowed(req, openstackScanTriggerPermission, [scan.siteRef])
    ).has(scan.siteRef);
    const body: CheckResultResponse = owner
      ? { evidenceDetail: 'full', scan, result }
      : {
          evidenceDetail: 'summary',
          scan,
          result: summarizeCheckResult(result, ownerOnly(result.checkId)),
          withheld: EVIDENCE_WITHHELD,
        };
    res.json(body);
  });

  // Server-sent events of a scan: what happened so far, then live, until it finishes.
  router.get('/scans/:id/events', async (req, res) => {
    const { id } = parseInput(scanParamsSchema, req.params, 'scan id');
    const scan = await store.getScan(id);
    if (!scan) throw new NotFoundError(`No scan ${id}`);
    await authorize(req, openstackSiteReadPermission, scan.siteRef);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    const send = (event: ScanEvent) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    };
    const stop = scans.watch(id, send, () => res.end());
    if (!stop) {
      // Run by another backend sharing the database: its end is all this one can tell.
      let closed = false;
      req.on('close', () => {
        closed = true;
      });
      if (scan.status === 'running') await scans.finished(id, () => closed);
      const finished = await store.getScan(id);
      if (finished && !closed) send({ type: 'scan-finished', scan: finished });
      res.end();
      return;
    }
    req.on('close', stop);
  });

  router.get('/export', async (req, res) => {
    const { format } = parseInput(exportQuerySchema, req.query, 'query');
    const [sites, latest] = await Promise.all([
      visibleSites(req),
      store.latestCompletedScans(),
    ]);
    const rows = await Promise.all(
      sites.map(async site => {
        const scan = latest.get(site.entityRef);
        return {
          site: summarize(site, latest),
          // Summaries: the export goes to every reader (bodies and names are for each site's
          // owners).
          results: scan
            ? (JSON.parse(
                await resultSummaries.json(scan),
              ) as CheckResultSummary[])
            : [],
        };
      }),
    );
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === 'junit') {
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="openstack-fleet-${stamp}.xml"`,
      );
      res.send(
        formatJunit(
          ...rows
            .filter(row => row.site.latestScan)
            .map(({ site, results }) => ({
              site: site.entityRef,
              startedAt: site.latestScan!.startedAt,
              durationMs: site.latestScan!.durationMs ?? 0,
              results: results as JunitReport['results'],
            })),
        ),
      );
      return;
    }
    if (format === 'json') {
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="openstack-fleet-${stamp}.json"`,
      );
      res.json({ exportedAt: new Date().toISOString(), sites: rows });
      return;
    }
    const header = [
      'site',
      'keystone_url',
      'scanned_at',
      'check',
      'severity',
      'status',
      'message',
    ];
    const lines: unknown[][] = [header];
    for (const { site, results } of rows) {
      for (const result of results) {
        lines.push([
          site.entityRef,
          site.keystoneUrl,
          site.latestScan?.finishedAt,
          result.checkId,
          result.severity,
          result.status,
          result.message,
        ]);
      }
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="openstack-fleet-${stamp}.csv"`,
    );
    res.send(toCsv(lines));
  });

  return router;
}
