import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/** A Keystone account: a password or an application credential. */
type OpenStackCredential =
  | {
      type: 'password';
      username: string;
      /** @visibility secret */
      password: string;
      /** Domain of the user; default `Default`. */
      userDomain?: string;
      /** Project to scope the token to; unscoped when absent. */
      project?: string;
      /** Domain of the project; default `Default`. */
      projectDomain?: string;
    }
  | {
      type: 'applicationCredential';
      id: string;
      /** @visibility secret */
      secret: string;
    };

/** Quota sets by service, with OpenStack's own key names (`cores`, `gigabytes`, `network`…). */
type QuotaSets = {
  compute?: { [key: string]: number };
  blockStorage?: { [key: string]: number };
  network?: { [key: string]: number };
};

export interface Config {
  /** Settings of the fedstack OpenStack plugin. */
  openstack?: {
    /**
     * Credential sets, by name. A site entity names the set to use in its
     * `openstack.fedstack.io/credentials` annotation; secrets stay here (or in the environment).
     */
    credentialSets?: {
      [name: string]: {
        /** Reads the site for scans: an admin, or a system reader. */
        reader: OpenStackCredential;
        /** The account replication writes with (checked by accounts.replicator). */
        replicator?: OpenStackCredential;
        /** The account metering reads with (checked by accounts.metering). */
        metering?: OpenStackCredential;
        /** cASO's account (checked by accounting.credentials). */
        accounting?: OpenStackCredential;
      };
    };
    /** Scheduled compliance scans of every site. */
    scans?: {
      /** When fleet scans run; default every hour. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How many sites are scanned at once; default 4. */
      concurrency?: number;
      /** Timeout of one request to a site, in milliseconds; default 10000. */
      requestTimeoutMs?: number;
    };
    /**
     * Liveness of running scans and replications: the backend running one renews its heartbeat
     * this often; a run whose heartbeat is older than `staleAfterSeconds` was left by a backend
     * that stopped (killed, crashed) and is closed as failed. Defaults 15 and 90 seconds.
     */
    runs?: {
      heartbeatSeconds?: number;
      staleAfterSeconds?: number;
    };
    /** Scheduled metering of tenant projects with each site's metering account. */
    metering?: {
      /** When every project is sampled; default every hour. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How many projects are sampled at once; default 4. */
      concurrency?: number;
      /**
       * Which projects: `tenants` (default), the tenants' projects; `visible`, every project
       * each site's metering account may scope to (`GET /v3/auth/projects`).
       */
      projects?: 'tenants' | 'visible';
    };
    /**
     * Address ranges (CIDR) the backend may connect to. Link-local addresses (cloud metadata)
     * are always refused; `deny` adds ranges, and `allow`, when set, is the only ones allowed.
     */
    network?: {
      allow?: string[];
      deny?: string[];
    };
    /** Per-profile adjustments of the built-in profiles. */
    profiles?: {
      [profileId: string]: {
        /** Weight of a check in the profile's score, by check id. */
        weights?: { [checkId: string]: number };
        /** Check ids to leave out of the profile. */
        disabledChecks?: string[];
      };
    };
    /** Tenant replication into the sites' Keystone. */
    replication?: {
      /** When every site's tenants are replicated; default daily. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Tenants written at once on one site; default 4. */
      concurrency?: number;
      /** How tenants become Keystone objects; a tenant request names one. */
      landingZones?: Array<{
        /** Lower-case id, e.g. `standard`. */
        id: string;
        title: string;
        description?: string;
        /** Tenant role → OpenStack role; default admin and user → member, reader → reader. */
        roles?: { [tenantRole: string]: string };
        /** Default `{workspace}.{project}` (braces: `${…}` would be substituted by the config loader). */
        projectNamePattern?: string;
        /** Default `{workspace}.{project}-{role}`. */
        groupNamePattern?: string;
        /** `default` (Keystone's default domain) or `per-workspace`. */
        domain?: 'default' | 'per-workspace';
        /** Default `{workspace}`. */
        domainNamePattern?: string;
        /** Project tags: letters, digits, - and _; at most 80. */
        tags?: string[];
        /** Quotas a tenant gets: `compute` (Nova), `blockStorage` (Cinder), `network` (Neutron). */
        quotas?: QuotaSets;
        /** The most a request may ask for. */
        maxQuotas?: QuotaSets;
        /** Requests within these are approved at once; absent: every request waits for approval. */
        autoApproveUpTo?: QuotaSets;
        /** Role of the site's metering account on each tenant project; default `reader`; null: none. */
        meteringRole?: string | null;
        /** Whether deleting a tenant deletes its project; default false. */
        deleteProjects?: boolean;
      }>;
    };
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
