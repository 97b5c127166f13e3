import express from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  MeteringRunResponse,
  openstackScanTriggerPermission,
  openstackSiteReadPermission,
  ProjectUsageResponse,
  ProjectWorkloadsResponse,
  projectParamsSchema,
  usageQuerySchema,
} from '@fedstack/plugin-openstack-common';
import { usageOverTime } from '@fedstack/plugin-openstack-node';
import { MeteringStore } from './MeteringStore';
import { MeteringService, SiteNotMeterableError } from './MeteringService';
import { SiteRegistry } from '../sites/SiteRegistry';
import { parseInput } from '../http/validation';
import { siteAccess } from '../sites/siteAccess';

export interface MeteringRouterOptions {
  registry: SiteRegistry;
  store: MeteringStore;
  metering: MeteringService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// A year of hourly samples is about 8,800 rows: the most one answer carries.
const MAX_PERIOD_MS = 366 * DAY_MS;

/**
 * Metering's REST: a project's usage over time and its Infrastructure Manager workloads (site
 * readers), and a sample of a site's projects on demand.
 */
export function createMeteringRouter(
  options: MeteringRouterOptions,
): express.Router {
  const { store, metering } = options;
  const router = Router();

  const { siteOf } = siteAccess(options);

  router.get(
    '/sites/:namespace/:name/projects/:projectId/usage',
    async (req, res) => {
      const site = await siteOf(req, openstackSiteReadPermission);
      const { projectId } = parseInput(
        projectParamsSchema,
        req.params,
        'project',
      );
      const query = parseInput(usageQuerySchema, req.query, 'query');
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from
        ? new Date(query.from)
        : new Date(to.getTime() - 7 * DAY_MS);
      if (from >= to)
        throw new InputError('Invalid query: from must be before to');
      if (to.getTime() - from.getTime() > MAX_PERIOD_MS) {
        throw new InputError('Invalid query: the period is at most 366 days');
      }
      const { before, samples } = await store.listSamples(
        site.entityRef,
        projectId,
        { from, to },
      );
      const strip = ({
        siteRef: _s,
        projectId: _p,
        ...rest
      }: (typeof samples)[number]) => rest;
      const body: ProjectUsageResponse = {
        siteRef: site.entityRef,
        projectId,
        from: from.toISOString(),
        to: to.toISOString(),
        samples: samples.map(strip),
        usage: usageOverTime(before ? [before, ...samples] : samples, {
          from,
          to,
        }),
      };
      res.json(body);
    },
  );

  router.get(
    '/sites/:namespace/:name/projects/:projectId/workloads',
    async (req, res) => {
      const site = await siteOf(req, openstackSiteReadPermission);
      const { projectId } = parseInput(
        projectParamsSchema,
        req.params,
        'project',
      );
      const latest = await store.latestSample(site.entityRef, projectId);
      const body: ProjectWorkloadsResponse = {
        siteRef: site.entityRef,
        projectId,
        takenAt: latest?.takenAt ?? null,
        // Every server: those Infrastructure Manager made carry its properties, the others none.
        items: (latest?.servers ?? []).map(server => ({
          ...server,
          workload: server.workload ?? {},
        })),
      };
      res.json(body);
    },
  );

  // Sampling on demand reads the site with the platform's metering account, as a scan reads it
  // with the reader: the same per-site right (scan trigger), not replication's Keystone writes.
  router.post('/sites/:namespace/:name/metering', async (req, res) => {
    const site = await siteOf(req, openstackScanTriggerPermission);
    let outcomes;
    try {
      outcomes = await metering.meterSite(site.entityRef);
    } catch (error) {
      if (error instanceof SiteNotMeterableError) {
        throw new InputError(error.message);
      }
      throw error;
    }
    const body: MeteringRunResponse = {
      siteRef: site.entityRef,
      samples: outcomes.flatMap(({ sample }) =>
        sample
          ? [
              {
                projectId: sample.projectId,
                takenAt: sample.takenAt,
                totals: sample.totals,
                errors: sample.errors,
                unavailable: sample.unavailable,
              },
            ]
          : [],
      ),
      failures: outcomes.flatMap(({ target, error }) =>
        error ? [{ projectId: target.projectId, error }] : [],
      ),
    };
    res.json(body);
  });

  return router;
}
