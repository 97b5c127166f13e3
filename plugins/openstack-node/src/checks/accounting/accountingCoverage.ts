import { HttpError } from '../../client/http';
import { getTenantUsage, TenantUsage } from '../../client/compute/usage';
import { Check } from '../types';
import { ScanContext } from '../context';
import { couldNotRead, fail, listed, pass } from '../outcomes';
import { VoProject } from '../vo/voProjects';
import { accountingScope, DAY_MS } from './accountingScope';

// The period Nova's usage is read for: the last 30 days, the window in which every VO project
// that ran servers must have accounting records.
const COVERAGE_DAYS = 30;

/** Every VO project that ran servers in the period has accounting records. */
export const accountingCoverage: Check<ScanContext> = {
  metadata: {
    id: 'accounting.coverage',
    title: 'Every VO that ran servers is accounted',
    area: 'accounting',
    severity: 'major',
    reads:
      "Nova's usage over the last 30 days (`GET /os-simple-tenant-usage`, as the reader; when Nova refuses it that, as it refuses every account but an admin by default: each VO project's usage, `GET /os-simple-tenant-usage/<project>`, as the accounting account scoped to the project, as cASO reads it), the VO projects from Keystone, and the VOs (portal) or projects (cASO spool) the accounting source has records for in that period.",
    rule: 'Passes when every VO project that ran servers has records, or none ran any; fails when one has none; skipped like accounting.fresh when no source is configured; errors when a read fails. Projects that ran servers without a VO property are listed, not judged.',
    remediation:
      "Make cASO extract every VO project: tag the project `caso` (or list it in cASO's `projects`), give the project its VO property (cASO's `vo_property`, default `VO`), and grant the accounting account reader on it.",
    docsUrl: 'https://caso.readthedocs.io/en/stable/configuration.html',
    requires: ['keystone.reachable'],
  },
  async run(context) {
    const scope = await accountingScope(context, { needProjects: true });
    if (!scope.ok) return scope.outcome;
    const { source, site, voProjects } = scope;
    const end = context.now();
    const period = {
      start: new Date(end.getTime() - COVERAGE_DAYS * DAY_MS),
      end,
    };
    const usages = await tenantUsages(context, voProjects, period);
    if (!usages.ok)
      return couldNotRead(
        "Nova's usage (os-simple-tenant-usage)",
        usages.error,
      );
    const ran = new Set(
      usages.data
        .filter(u => u.total_hours > 0 || (u.server_usages?.length ?? 0) > 0)
        .map(u => u.tenant_id),
    );
    const used = voProjects.filter(({ project }) => ran.has(project.id));
    const withoutVo = [...ran].filter(
      id => !voProjects.some(({ project }) => project.id === id),
    );
    const base = {
      source: source.kind,
      period: {
        start: period.start.toISOString(),
        end: period.end.toISOString(),
      },
      projectsWithUsage: used.map(({ project, vo }) => ({
        project: project.name,
        vo,
      })),
      // Projects that ran servers but name no VO: cASO cannot attribute them (not judged here).
      projectsWithoutVo: withoutVo,
    };
    if (used.length === 0) {
      return pass(
        `No VO project ran servers in the last ${COVERAGE_DAYS} days: there is nothing to account`,
        base,
      );
    }
    const accounted = await source.accountedVos(site, period);
    if (!accounted.ok) {
      return {
        status: 'error',
        message: `Could not read the accounting source: ${accounted.reason}`,
        details: base,
      };
    }
    // The spool knows projects; the portal knows VOs only.
    const isAccounted = ({ project, vo }: (typeof used)[number]) =>
      accounted.projects
        ? accounted.projects.includes(project.id)
        : accounted.vos.includes(vo) ||
          accounted.vos.some(v => v.toLowerCase() === vo.toLowerCase());
    const missing = used.filter(p => !isAccounted(p));
    const details = {
      ...base,
      where: accounted.where,
      accountedVos: accounted.vos,
      missing: missing.map(({ project, vo }) => ({
        project: project.name,
        vo,
      })),
      ...accounted.details,
    };
    if (missing.length > 0) {
      return fail(
        `${
          missing.length
        } VO project(s) ran servers in the last ${COVERAGE_DAYS} days without accounting records: ${listed(
          missing.map(({ project, vo }) => `${project.name} (${vo})`),
        )}`,
        details,
      );
    }
    return pass(
      `Every VO project that ran servers in the last ${COVERAGE_DAYS} days has accounting records: ${listed(
        [...new Set(used.map(u => u.vo))],
      )}`,
      details,
    );
  },
};

/**
 * Nova's usage of every project, which Nova's default policy gives admins only: a read-only
 * reader (reader on the system and a project) is refused it (403). Then each VO project's usage,
 * read as cASO reads it: by the accounting account with a token scoped to the project, where it
 * holds the reader role cASO needs (accounting.credentials checks that grant).
 */
async function tenantUsages(
  context: ScanContext,
  voProjects: VoProject[],
  period: { start: Date; end: Date },
): Promise<
  { ok: true; data: TenantUsage[] } | { ok: false; error: HttpError }
> {
  const all = await context.sessions.reader.compute.tenantUsages(period);
  const accounting = context.sessions.accounting;
  if (all.ok || all.error.status !== 403 || !accounting) return all;
  const each = await Promise.all(
    voProjects.map(({ project }) =>
      getTenantUsage(
        accounting.withScope({ project: { id: project.id } }).compute.client,
        project.id,
        period,
      ),
    ),
  );
  const usages: TenantUsage[] = [];
  for (const usage of each) {
    if (!usage.ok) return usage;
    if (usage.data) usages.push(usage.data);
  }
  return { ok: true, data: usages };
}
