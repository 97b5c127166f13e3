import { ServiceClient } from '../service';
import { listFlavors } from './flavors';
import {
  getComputeQuotaSet,
  getComputeQuotaSetDetail,
  updateComputeQuotaSet,
} from './quotas';
import { getServerMetadata, listServers } from './servers';
import { getTenantUsage, listTenantUsages } from './usage';
import { getComputeVersion, listComputeVersions } from './versions';

/** Nova's calls bound to one session's compute client: `session.compute.flavors()`. */
export function computeApi(compute: ServiceClient) {
  return {
    client: compute,
    versions: () => listComputeVersions(compute),
    version: () => getComputeVersion(compute),
    flavors: (filters?: Parameters<typeof listFlavors>[1]) =>
      listFlavors(compute, filters),
    servers: (filters?: Parameters<typeof listServers>[1]) =>
      listServers(compute, filters),
    serverMetadata: (serverId: string) => getServerMetadata(compute, serverId),
    tenantUsages: (period: { start: Date; end: Date }) =>
      listTenantUsages(compute, period),
    tenantUsage: (projectId: string, period: { start: Date; end: Date }) =>
      getTenantUsage(compute, projectId, period),
    quotaSet: (projectId: string) => getComputeQuotaSet(compute, projectId),
    quotaSetDetail: (projectId: string) =>
      getComputeQuotaSetDetail(compute, projectId),
    updateQuotaSet: (
      projectId: string,
      changes: Record<string, number>,
      options?: { force?: boolean },
    ) => updateComputeQuotaSet(compute, projectId, changes, options),
  };
}

export type ComputeApi = ReturnType<typeof computeApi>;
