import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApprovalDecision,
  CheckResultResponse,
  HealthResponse,
  LandingZone,
  ListProfilesResponse,
  ListSitesResponse,
  MeteringRunResponse,
  RollupResponse,
  ListWaiversResponse,
  Waiver,
  WaiverDecision,
  WaiverRequest,
  ProjectUsageResponse,
  ProjectWorkloadsResponse,
  ReplicationRun,
  ScanDetailResponse,
  ScanEvent,
  SiteDetailResponse,
  Tenant,
  TenantDetail,
  TenantMember,
  TenantRequest,
  TenantStatus,
  TriggerScanResponse,
} from '@fedstack/plugin-openstack-common';

/** Filters of {@link OpenStackApi.listTenants}; entity refs as `group:default/x`, `resource:default/y`. */
export interface TenantQuery {
  workspace?: string;
  site?: string;
  status?: TenantStatus;
}

/** A replication run as listed: without its steps and per-tenant outcomes. */
export type ReplicationRunSummary = Omit<ReplicationRun, 'steps' | 'tenants'>;

/** What the frontend asks of the OpenStack backend plugin. */
/** A file the backend made, to hand to the browser as a download. */
export interface ExportedFile {
  filename: string;
  type: string;
  content: string;
}

export interface OpenStackApi {
  getHealth(): Promise<HealthResponse>;
  /** Every site of the catalog with its latest scan summary (one call for the whole fleet). */
  listSites(): Promise<ListSitesResponse>;
  /** A site's waivers (`all`: history included), and the installation's waiver rules. */
  listSiteWaivers(
    namespace: string,
    name: string,
    state?: 'open' | 'all',
  ): Promise<ListWaiversResponse>;
  /** Waivers of every site the user may read (`open`: pending and active). */
  listWaivers(state?: 'open' | 'all'): Promise<ListWaiversResponse>;
  /** Asks to waive one check on the site (its owners). */
  requestWaiver(
    namespace: string,
    name: string,
    request: WaiverRequest,
  ): Promise<Waiver>;
  /** Approves or rejects a pending waiver (approvers, not its requester). */
  decideWaiver(id: string, decision: WaiverDecision): Promise<Waiver>;
  /** Ends a pending or approved waiver early. */
  revokeWaiver(id: string): Promise<Waiver>;
  /** The fleet grouped by owner or NGI: readiness per profile now and `days` ago. */
  getRollups(by: 'owner' | 'ngi', days?: number): Promise<RollupResponse>;
  /** Samples every project the site meters, now (who may scan the site). */
  meterSite(namespace: string, name: string): Promise<MeteringRunResponse>;
  /** The profiles scans score: built in, and those the backend's modules add. */
  listProfiles(): Promise<ListProfilesResponse>;
  /** A site, the results of its latest finished scan and its score history (oldest first). */
  getSite(namespace: string, name: string): Promise<SiteDetailResponse>;
  /** Starts a scan of the site, or joins the one already running. */
  triggerScan(namespace: string, name: string): Promise<TriggerScanResponse>;
  getScan(scanId: string): Promise<ScanDetailResponse>;
  /**
   * One check of a scan with its evidence: headers and bodies when the user may scan the site
   * (`evidenceDetail: 'full'`), else a summary and why (`'summary'`, `withheld`).
   */
  getCheckResult(scanId: string, checkId: string): Promise<CheckResultResponse>;
  /**
   * Follows a running scan: calls `onEvent` for each event and resolves when the stream ends
   * (after `scan-finished`) or `signal` aborts. Rejects on an HTTP error or a malformed event.
   */
  watchScan(
    scanId: string,
    onEvent: (event: ScanEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>;

  /**
   * Every check result of every site's latest scan, as the backend exports it (one row per check;
   * JUnit: one suite per site, for CI dashboards).
   */
  exportResults(format: 'json' | 'csv' | 'junit'): Promise<ExportedFile>;

  /** The landing zones a tenant can be requested in. */
  listLandingZones(): Promise<LandingZone[]>;
  listTenants(query?: TenantQuery): Promise<Tenant[]>;
  /** Requests a tenant; rejects with the backend's 400 message when the request is invalid. */
  requestTenant(request: TenantRequest): Promise<TenantDetail>;
  getTenant(id: string): Promise<TenantDetail>;
  /** Replaces the tenant's members (authoritative: a member left out leaves the tenant). */
  updateTenantMembers(
    id: string,
    members: TenantMember[],
  ): Promise<TenantDetail>;
  /** Approves or rejects a request waiting for approval, or a requested deletion. */
  decideTenant(id: string, decision: ApprovalDecision): Promise<TenantDetail>;
  requestTenantDeletion(id: string): Promise<TenantDetail>;
  /** Replicates every tenant of a site into its Keystone now; resolves when the run is done. */
  replicateSite(
    namespace: string,
    name: string,
    options?: { dryRun?: boolean },
  ): Promise<ReplicationRun>;
  listReplicationRuns(
    namespace: string,
    name: string,
  ): Promise<ReplicationRunSummary[]>;
  getReplicationRun(id: string): Promise<ReplicationRun>;
  /** A project's metered samples and hours used between `from` and `to` (default: 7 days to now). */
  getProjectUsage(
    namespace: string,
    name: string,
    projectId: string,
    period?: { from?: string; to?: string },
  ): Promise<ProjectUsageResponse>;
  /** The project's servers made by EGI's Infrastructure Manager, from its latest sample. */
  getProjectWorkloads(
    namespace: string,
    name: string,
    projectId: string,
  ): Promise<ProjectWorkloadsResponse>;
}

export const openstackApiRef = createApiRef<OpenStackApi>({
  id: 'plugin.openstack.service',
});
