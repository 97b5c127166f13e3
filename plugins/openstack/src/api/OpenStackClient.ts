import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalDecision,
  approvalDecisionSchema,
  CheckResultResponse,
  checkResultResponseSchema,
  HealthResponse,
  healthResponseSchema,
  LandingZone,
  listLandingZonesResponseSchema,
  listReplicationRunsResponseSchema,
  listTenantsResponseSchema,
  ListProfilesResponse,
  listProfilesResponseSchema,
  ListSitesResponse,
  MeteringRunResponse,
  meteringRunResponseSchema,
  RollupResponse,
  rollupResponseSchema,
  listSitesResponseSchema,
  ProjectUsageResponse,
  projectUsageResponseSchema,
  ProjectWorkloadsResponse,
  projectWorkloadsResponseSchema,
  ReplicationRun,
  replicationRunSchema,
  ScanDetailResponse,
  scanDetailResponseSchema,
  ScanEvent,
  SiteDetailResponse,
  siteDetailResponseSchema,
  Tenant,
  TenantDetail,
  tenantDetailSchema,
  TenantMember,
  tenantMembersUpdateSchema,
  TenantRequest,
  tenantRequestSchema,
  TriggerScanResponse,
  triggerScanResponseSchema,
  ListWaiversResponse,
  listWaiversResponseSchema,
  Waiver,
  WaiverDecision,
  waiverDecisionSchema,
  WaiverRequest,
  waiverRequestSchema,
  waiverSchema,
} from '@fedstack/plugin-openstack-common';
import {
  ExportedFile,
  OpenStackApi,
  ReplicationRunSummary,
  TenantQuery,
} from './OpenStackApi';
import { readScanEvents } from './scanEventStream';

/** Talks to `/api/openstack` through Backstage's discovery and (authenticated) fetch. */
export class OpenStackClient implements OpenStackApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getHealth(): Promise<HealthResponse> {
    return healthResponseSchema.parse(await this.json('/health'));
  }

  async listSites(): Promise<ListSitesResponse> {
    return listSitesResponseSchema.parse(await this.json('/sites'));
  }

  async getRollups(by: 'owner' | 'ngi', days = 7): Promise<RollupResponse> {
    return rollupResponseSchema.parse(
      await this.json(`/rollups?by=${by}&days=${days}`),
    );
  }

  async meterSite(
    namespace: string,
    name: string,
  ): Promise<MeteringRunResponse> {
    return meteringRunResponseSchema.parse(
      await this.sendJson(
        `/sites/${sitePath(namespace, name)}/metering`,
        'POST',
        {},
      ),
    );
  }

  async listProfiles(): Promise<ListProfilesResponse> {
    return listProfilesResponseSchema.parse(await this.json('/profiles'));
  }

  async getSite(namespace: string, name: string): Promise<SiteDetailResponse> {
    return siteDetailResponseSchema.parse(
      await this.json(`/sites/${sitePath(namespace, name)}`),
    );
  }

  async triggerScan(
    namespace: string,
    name: string,
  ): Promise<TriggerScanResponse> {
    return triggerScanResponseSchema.parse(
      await this.json(`/sites/${sitePath(namespace, name)}/scans`, {
        method: 'POST',
      }),
    );
  }

  async getScan(scanId: string): Promise<ScanDetailResponse> {
    return scanDetailResponseSchema.parse(
      await this.json(`/scans/${encodeURIComponent(scanId)}`),
    );
  }

  async getCheckResult(
    scanId: string,
    checkId: string,
  ): Promise<CheckResultResponse> {
    return checkResultResponseSchema.parse(
      await this.json(
        `/scans/${encodeURIComponent(scanId)}/checks/${encodeURIComponent(
          checkId,
        )}`,
      ),
    );
  }

  async watchScan(
    scanId: string,
    onEvent: (event: ScanEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const path = `/scans/${encodeURIComponent(scanId)}/events`;
    try {
      const response = await this.request(path, {
        headers: { Accept: 'text/event-stream' },
        signal,
      });
      if (!response.body) {
        throw new Error(`No event stream in the answer of ${path}`);
      }
      await readScanEvents(response.body, onEvent, path);
    } catch (error) {
      // Aborting is how a caller stops watching; it is not a failure.
      if (signal?.aborted) {
        return;
      }
      throw error;
    }
  }

  async exportResults(format: 'json' | 'csv' | 'junit'): Promise<ExportedFile> {
    const response = await this.request(`/export?format=${format}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const named = /filename="([^"]+)"/.exec(disposition)?.[1];
    return {
      filename:
        named ??
        `openstack-check-results.${format === 'junit' ? 'xml' : format}`,
      type: response.headers.get('content-type') ?? 'application/octet-stream',
      content: await response.text(),
    };
  }

  async listLandingZones(): Promise<LandingZone[]> {
    return listLandingZonesResponseSchema.parse(
      await this.json('/landing-zones'),
    ).landingZones;
  }

  async listTenants(query: TenantQuery = {}): Promise<Tenant[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value) params.set(key, value);
    }
    const search = params.toString();
    return listTenantsResponseSchema.parse(
      await this.json(`/tenants${search ? `?${search}` : ''}`),
    ).tenants;
  }

  async requestTenant(request: TenantRequest): Promise<TenantDetail> {
    return tenantDetailSchema.parse(
      await this.sendJson(
        '/tenants',
        'POST',
        tenantRequestSchema.parse(request),
      ),
    );
  }

  async getTenant(id: string): Promise<TenantDetail> {
    return tenantDetailSchema.parse(
      await this.json(`/tenants/${encodeURIComponent(id)}`),
    );
  }

  async updateTenantMembers(
    id: string,
    members: TenantMember[],
  ): Promise<TenantDetail> {
    return tenantDetailSchema.parse(
      await this.sendJson(
        `/tenants/${encodeURIComponent(id)}/members`,
        'PUT',
        tenantMembersUpdateSchema.parse({ members }),
      ),
    );
  }

  async decideTenant(
    id: string,
    decision: ApprovalDecision,
  ): Promise<TenantDetail> {
    return tenantDetailSchema.parse(
      await this.sendJson(
        `/tenants/${encodeURIComponent(id)}/approval`,
        'POST',
        approvalDecisionSchema.parse(decision),
      ),
    );
  }

  async listSiteWaivers(
    namespace: string,
    name: string,
    state: 'open' | 'all' = 'all',
  ): Promise<ListWaiversResponse> {
    return listWaiversResponseSchema.parse(
      await this.json(
        `/sites/${sitePath(namespace, name)}/waivers?state=${state}`,
      ),
    );
  }

  async listWaivers(
    state: 'open' | 'all' = 'open',
  ): Promise<ListWaiversResponse> {
    return listWaiversResponseSchema.parse(
      await this.json(`/waivers?state=${state}`),
    );
  }

  async requestWaiver(
    namespace: string,
    name: string,
    request: WaiverRequest,
  ): Promise<Waiver> {
    return waiverSchema.parse(
      await this.sendJson(
        `/sites/${sitePath(namespace, name)}/waivers`,
        'POST',
        waiverRequestSchema.parse(request),
      ),
    );
  }

  async decideWaiver(id: string, decision: WaiverDecision): Promise<Waiver> {
    return waiverSchema.parse(
      await this.sendJson(
        `/waivers/${encodeURIComponent(id)}/decision`,
        'POST',
        waiverDecisionSchema.parse(decision),
      ),
    );
  }

  async revokeWaiver(id: string): Promise<Waiver> {
    return waiverSchema.parse(
      await this.json(`/waivers/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
    );
  }

  async requestTenantDeletion(id: string): Promise<TenantDetail> {
    return tenantDetailSchema.parse(
      await this.json(`/tenants/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
    );
  }

  async replicateSite(
    namespace: string,
    name: string,
    options: { dryRun?: boolean } = {},
  ): Promise<ReplicationRun> {
    return replicationRunSchema.parse(
      await this.sendJson(
        `/sites/${sitePath(namespace, name)}/replications`,
        'POST',
        { dryRun: options.dryRun ?? false },
      ),
    );
  }

  async listReplicationRuns(
    namespace: string,
    name: string,
  ): Promise<ReplicationRunSummary[]> {
    return listReplicationRunsResponseSchema.parse(
      await this.json(`/sites/${sitePath(namespace, name)}/replications`),
    ).runs;
  }

  async getReplicationRun(id: string): Promise<ReplicationRun> {
    return replicationRunSchema.parse(
      await this.json(`/replications/${encodeURIComponent(id)}`),
    );
  }

  async getProjectUsage(
    namespace: string,
    name: string,
    projectId: string,
    period: { from?: string; to?: string } = {},
  ): Promise<ProjectUsageResponse> {
    const params = new URLSearchParams();
    if (period.from) params.set('from', period.from);
    if (period.to) params.set('to', period.to);
    const search = params.toString();
    return projectUsageResponseSchema.parse(
      await this.json(
        `${projectPath(namespace, name, projectId)}/usage${
          search ? `?${search}` : ''
        }`,
      ),
    );
  }

  async getProjectWorkloads(
    namespace: string,
    name: string,
    projectId: string,
  ): Promise<ProjectWorkloadsResponse> {
    return projectWorkloadsResponseSchema.parse(
      await this.json(`${projectPath(namespace, name, projectId)}/workloads`),
    );
  }

  private async sendJson(
    path: string,
    method: string,
    body: unknown,
  ): Promise<unknown> {
    return this.json(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async json(path: string, init?: RequestInit): Promise<unknown> {
    const response = await this.request(path, init);
    return response.json();
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('openstack');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function sitePath(namespace: string, name: string): string {
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function projectPath(
  namespace: string,
  name: string,
  projectId: string,
): string {
  return `/sites/${sitePath(namespace, name)}/projects/${encodeURIComponent(
    projectId,
  )}`;
}
