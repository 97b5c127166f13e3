import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { CheckResult } from '@fedstack/plugin-openstack-common';
import { ScanStore } from '../scans/ScanStore';

/** A check result as a scan of a Keystone that did not answer reports it. */
export function keystoneDownResult(
  checkId: string,
  title: string,
): CheckResult {
  return {
    checkId,
    title,
    area: 'identity',
    severity: 'critical',
    status: 'error',
    message: 'Keystone did not answer',
    remediation: 'Start Keystone.',
    docsUrl: 'https://docs.egi.eu/',
    startedAt: new Date().toISOString(),
    durationMs: 1,
    evidence: [],
  };
}

/** Writes a finished scan of a site with these results into the plugin's (migrated) database. */
export async function storeFinishedScan(
  knex: Knex,
  siteRef: string,
  results: CheckResult[],
  startedAt = new Date(),
): Promise<string> {
  const store = new ScanStore(knex);
  const scanId = randomUUID();
  await store.createScan({ id: scanId, siteRef, trigger: 'manual', startedAt });
  await store.completeScan(scanId, {
    finishedAt: new Date(startedAt.getTime() + 1000),
    durationMs: 1000,
    tokensIssued: 1,
    requests: 1,
    profiles: [],
    changes: [],
    results,
  });
  return scanId;
}
