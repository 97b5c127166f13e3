import { OpenStackApi } from './api';
import { tenantMethodMocks } from './api/tenantMethodMocks';

/**
 * For the tenant pages' tests: an OpenStackApi whose scan methods are bare mocks and whose tenant
 * and metering methods fail when called, but for those the test gives.
 */
export function mockTenantApi(
  methods: Partial<OpenStackApi> = {},
): OpenStackApi {
  return {
    getHealth: jest.fn(),
    listSites: jest.fn(),
    getSite: jest.fn(),
    triggerScan: jest.fn(),
    getScan: jest.fn(),
    watchScan: jest.fn(),
    ...tenantMethodMocks(),
    ...methods,
  };
}
