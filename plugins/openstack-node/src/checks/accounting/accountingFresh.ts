import { Check } from '../types';
import { ScanContext } from '../context';
import { fail, pass, warn } from '../outcomes';
import { accountingScope, DAY_MS } from './accountingScope';

/**
 * Accounting records reach the central repository: the newest one is younger than the
 * monitoring probe's thresholds (check_fedcloud_accnt: warning after 7 days, critical after 30).
 * This also proves, from outside, that SSM can reach the ARGO messaging service.
 */
export const accountingFresh: Check<ScanContext> = {
  metadata: {
    id: 'accounting.fresh',
    title: 'Accounting records are fresh',
    area: 'accounting',
    severity: 'major',
    reads:
      "The configured accounting source: the EGI accounting portal (by the site's accounting or GOCDB name) or a cASO spool (per VO project, the projects read from Keystone), for its newest record.",
    rule: 'Skipped when no accounting source is configured, or when the source is the accounting portal and the site declares no GOCDB name; fails when there is no record or the newest is `accountingFailDays` (default 30) days old or more; warns from `accountingWarnDays` (default 7) days; errors when the source cannot be read; passes otherwise.',
    remediation:
      "Check that cASO runs (hourly by cron or its container) and extracts every VO project, and that SSM sends its records (outbound 443 and 8443 to msg.argo.grnet.gr open, the host certificate of the eu.egi.cloud.accounting service valid); see cASO's and SSM's logs.",
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
  },
  async run(context) {
    const scope = await accountingScope(context, { needProjects: false });
    if (!scope.ok) return scope.outcome;
    const { source, site } = scope;
    const { accountingWarnDays, accountingFailDays } = context.settings;
    const newest = await source.newestRecord(site);
    if (!newest.ok) {
      return {
        status: 'error',
        message: `Could not read the accounting source: ${newest.reason}`,
      };
    }
    const where =
      source.kind === 'accounting-portal'
        ? `the accounting portal for site ${site.name}`
        : `cASO's spool at ${newest.where}`;
    const details = {
      source: source.kind,
      where: newest.where,
      granularity: newest.granularity,
      ...newest.details,
    };
    if (!newest.date) {
      return fail(
        source.kind === 'caso-spool' && site.projects.length === 0
          ? `No VO project to look up in ${where}: no project carries a VO property`
          : `No accounting record found in ${where}`,
        details,
      );
    }
    const ageDays = Math.max(
      0,
      Math.floor((context.now().getTime() - newest.date.getTime()) / DAY_MS),
    );
    const when =
      newest.granularity === 'month'
        ? `records of ${newest.date
            .toISOString()
            .slice(0, 7)}: the portal sums by month`
        : `cASO last extracted ${
            newest.recordType ? `${newest.recordType} records ` : ''
          }on ${newest.date.toISOString()}`;
    const facts = {
      ...details,
      newest: newest.date.toISOString(),
      ageDays,
      warnDays: accountingWarnDays,
      failDays: accountingFailDays,
      vos: newest.vos,
      ...(newest.recordType ? { stalestRecordType: newest.recordType } : {}),
    };
    if (ageDays >= accountingFailDays) {
      return fail(
        `The newest accounting record in ${where} is ${ageDays} days old (${when}): older than ${accountingFailDays} days`,
        facts,
      );
    }
    if (ageDays >= accountingWarnDays) {
      return warn(
        `The newest accounting record in ${where} is ${ageDays} days old (${when}): older than ${accountingWarnDays} days`,
        facts,
      );
    }
    return pass(
      `The newest accounting record in ${where} is ${ageDays} days old (${when})`,
      facts,
    );
  },
};
