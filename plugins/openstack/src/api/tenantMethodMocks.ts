import { OpenStackApi } from './OpenStackApi';

type TenantMethods = Pick<
  OpenStackApi,
  | 'listLandingZones'
  | 'listTenants'
  | 'requestTenant'
  | 'getTenant'
  | 'updateTenantMembers'
  | 'decideTenant'
  | 'requestTenantDeletion'
  | 'replicateSite'
  | 'listReplicationRuns'
  | 'getReplicationRun'
  | 'getProjectUsage'
  | 'getProjectWorkloads'
  | 'exportResults'
  | 'getCheckResult'
  | 'listProfiles'
  | 'listSiteWaivers'
  | 'listWaivers'
  | 'requestWaiver'
  | 'decideWaiver'
  | 'revokeWaiver'
  | 'getRollups'
  | 'meterSite'
>;

/**
 * For tests of other pages: the tenant and metering methods (and the fleet's results export,
 * a check's full evidence and the profiles' definitions), each a jest mock that fails when called.
 */
export function tenantMethodMocks(): TenantMethods {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`unexpected call of ${name}`);
    });
  return {
    listLandingZones: unexpected('listLandingZones'),
    listTenants: unexpected('listTenants'),
    requestTenant: unexpected('requestTenant'),
    getTenant: unexpected('getTenant'),
    updateTenantMembers: unexpected('updateTenantMembers'),
    decideTenant: unexpected('decideTenant'),
    requestTenantDeletion: unexpected('requestTenantDeletion'),
    replicateSite: unexpected('replicateSite'),
    listReplicationRuns: unexpected('listReplicationRuns'),
    getReplicationRun: unexpected('getReplicationRun'),
    getProjectUsage: unexpected('getProjectUsage'),
    getProjectWorkloads: unexpected('getProjectWorkloads'),
    exportResults: unexpected('exportResults'),
    getCheckResult: unexpected('getCheckResult'),
    listProfiles: unexpected('listProfiles'),
    listSiteWaivers: unexpected('listSiteWaivers'),
    listWaivers: unexpected('listWaivers'),
    requestWaiver: unexpected('requestWaiver'),
    decideWaiver: unexpected('decideWaiver'),
    revokeWaiver: unexpected('revokeWaiver'),
    getRollups: unexpected('getRollups'),
    meterSite: unexpected('meterSite'),
  };
}
