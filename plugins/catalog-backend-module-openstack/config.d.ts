import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The entity provider that imports the OpenStack backend's tenants as `Resource` entities
       * of type `openstack-project` (catalog module `openstack-sites`); on unless `enabled` is
       * false.
       */
      openstackTenants?: {
        /** Default true: the module reads GET /api/openstack/tenants of the `openstack` plugin. */
        enabled?: boolean;
        /** When the tenants are read; default every 5 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
  openstack?: {
    /**
     * Catalog entity providers that import sites as `Resource` entities of type
     * `openstack-site` (catalog module `openstack-sites`), by provider id.
     */
    siteProviders?: {
      [id: string]: {
        /**
         * `folder`: a folder of fedcloud-catchall-operations site files (`*.yaml`);
         * `url`: one such file, or an index listing them (one name a line, or a YAML/JSON list);
         * `gocdb`: GOCDB's public API (`org.openstack.nova` services of `get_site_list`'s sites).
         */
        type: 'folder' | 'url' | 'gocdb';
        /** The folder, for `folder`; relative paths are from the backend's working directory. */
        path?: string;
        /**
         * The file or index, for `url`; GOCDB's base URL for `gocdb` (default
         * `https://goc.egi.eu/gocdbpi/public/`).
         */
        url?: string;
        /** The credential set (in `openstack.credentialSets`) the imported sites name. */
        credentials: string;
        /** Profile ids the imported sites are checked against; default `[egi-fedcloud]`. */
        profiles?: string[];
        /** `spec.owner` of the imported sites, e.g. `group:default/platform-team`. */
        owner: string;
        /** When the source is read; default every 30 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
