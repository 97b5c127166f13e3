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
