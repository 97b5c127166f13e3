import { createApiRef } from '@backstage/core-plugin-api';
import { HealthResponse } from '@fedstack/plugin-openstack-common';

/** What the frontend asks of the OpenStack backend plugin. */
export interface OpenStackApi {
  getHealth(): Promise<HealthResponse>;
}

export const openstackApiRef = createApiRef<OpenStackApi>({
  id: 'plugin.openstack.service',
});
