import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The OpenStack sites and tenants collator (search module `openstack-collator`). */
      openstack?: {
        /** When the index is rebuilt; default every 10 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The entity page a document links to; default `/catalog/:namespace/:kind/:name`. */
        locationTemplate?: string;
      };
    };
  };
}
