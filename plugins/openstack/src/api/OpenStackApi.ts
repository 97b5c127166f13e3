import { createApiRef } from '@backstage/core-plugin-api';
import {
  HealthResponse,
  ListSitesResponse,
  ScanDetailResponse,
  ScanEvent,
  SiteDetailResponse,
  TriggerScanResponse,
} from '@fedstack/plugin-openstack-common';

/** What the frontend asks of the OpenStack backend plugin. */
export interface OpenStackApi {
  getHealth(): Promise<HealthResponse>;
  /** Every site of the catalog with its latest scan summary (one call for the whole fleet). */
  listSites(): Promise<ListSitesResponse>;
  /** A site, the results of its latest finished scan and its score history (oldest first). */
  getSite(namespace: string, name: string): Promise<SiteDetailResponse>;
  /** Starts a scan of the site, or joins the one already running. */
  triggerScan(namespace: string, name: string): Promise<TriggerScanResponse>;
  getScan(scanId: string): Promise<ScanDetailResponse>;
  /**
   * Follows a running scan: calls `onEvent` for each event and resolves when the stream ends
   * (after `scan-finished`) or `signal` aborts. Rejects on an HTTP error or a malformed event.
   */
  watchScan(
    scanId: string,
    onEvent: (event: ScanEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>;
}

export const openstackApiRef = createApiRef<OpenStackApi>({
  id: 'plugin.openstack.service',
});
