import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  HealthResponse,
  healthResponseSchema,
  ListSitesResponse,
  listSitesResponseSchema,
  ScanDetailResponse,
  scanDetailResponseSchema,
  ScanEvent,
  SiteDetailResponse,
  siteDetailResponseSchema,
  TriggerScanResponse,
  triggerScanResponseSchema,
} from '@fedstack/plugin-openstack-common';
import { OpenStackApi } from './OpenStackApi';
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
