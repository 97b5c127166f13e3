import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/** The token's project: by id, or by name in a domain (by id or name; default `Default`). */
type ProjectScope = {
  /** Project to scope the token to, by name; unscoped when no project is given. */
  project?: string;
  projectId?: string;
  /** Domain of the project, by name; default `Default`. */
  projectDomain?: string;
  projectDomainId?: string;
};

/**
 * The token scope of Keystone's own API, when not the project's. A read-only account (the
 * `reader` role on the system and on a project) under Keystone's default policies
 * (`enforce_new_defaults`): identity reads (identity providers, mappings, role assignments,
 * users, groups, domains, projects) need a system-scoped token, while Nova, Glance, Cinder and
 * Neutron take project-scoped tokens only.
 */
type IdentityScope = {
  /**
   * `system`: identity calls with a system-scoped token (`openstack --os-system-scope all`), the
   * services' with the project's; needs `project` or `projectId`.
   */
  identityScope?: 'system';
};

/** Keystone federation: where an OIDC access token is traded for a Keystone token. */
type Federation = {
  /** Identity provider id, `egi.eu` on EGI sites. */
  identityProvider: string;
  /** Federation protocol, `openid` on EGI sites. */
  protocol: string;
  /** Base URL of the federation auth path when a proxy serves it, not Keystone's own URL. */
  authUrl?: string;
};

/** The issuer's token endpoint (keystoneauth's access_token_endpoint). */
type TokenEndpoint = {
  /** e.g. `https://aai.egi.eu/auth/realms/egi/protocol/openid-connect/token` */
  tokenUrl: string;
  clientId: string;
  /** @visibility secret */
  clientSecret?: string;
  /** Scopes asked for, space-separated. */
  scope?: string;
  /** PEM file of the token endpoint's CA, when not a public one. */
  caFile?: string;
};

/**
 * A Keystone account, as keystoneauth's plugins take it (the node library's schema, shared with
 * `fedstack scan`): password, application credential (`applicationCredential` is read as
 * `application-credential`), OIDC access token (v3oidcaccesstoken), or an access token from the
 * issuer's token endpoint by client credentials or refresh token.
 */
type OpenStackCredential =
  | ({
      type: 'password';
      username: string;
      /** @visibility secret */
      password: string;
      /** Domain of the user, by name; default `Default`. */
      userDomain?: string;
      userDomainId?: string;
    } & ProjectScope &
      IdentityScope)
  | {
      type: 'application-credential' | 'applicationCredential';
      id: string;
      /** @visibility secret */
      secret: string;
    }
  | ({
      type: 'oidc-access-token';
      /** @visibility secret */
      accessToken: string;
    } & Federation &
      ProjectScope &
      IdentityScope)
  | ({
      type: 'oidc-client-credentials';
    } & Federation &
      TokenEndpoint &
      ProjectScope &
      IdentityScope)
  | ({
      type: 'oidc-refresh-token';
      /** @visibility secret */
      refreshToken: string;
    } & Federation &
      TokenEndpoint &
      ProjectScope &
      IdentityScope);

/** Overrides of a scan's thresholds and names; every key optional (defaults: EGI's documentation). */
type ScanSettingsConfig = {
  /** Identity provider id; default `egi.eu`. */
  identityProvider?: string;
  /** Federation protocol id; default `openid` (a site may declare its own). */
  protocol?: string;
  /** Check-in's issuer; default `https://aai.egi.eu/auth/realms/egi`. */
  issuer?: string;
  /** Suffixes of federated user names; default `@egi.eu`, `@sram.surf.nl`. */
  federatedUserSuffixes?: string[];
  /** Project properties naming a VO; default `egi.VO`, `VO`, `accounting:VO`, `egi.eu:VO`. */
  voPropertyKeys?: string[];
  /** The monitoring VO; default `ops`. */
  opsVo?: string;
  /** Smallest root disk of the monitoring flavor, GB; default 8. */
  monitoringFlavorMinDiskGb?: number;
  /** keystone.tls warns this many days before expiry; default 14. */
  tlsWarnDays?: number;
  /** Default inbound port per service type. */
  defaultPorts?: { [serviceType: string]: number };
  /** Minimum API version per service type, as [major, minor]. */
  minimumVersions?: { [serviceType: string]: number[] };
  /** Service types every site must list; each entry lists alternatives. */
  requiredServiceTypes?: string[][];
  /** accounting.fresh warns after this many days without records; default 7. */
  accountingWarnDays?: number;
  /** accounting.fresh fails after this many days; default 30. */
  accountingFailDays?: number;
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
        /**
         * The Keystone URLs this set may be sent to (compared by origin). A site entity naming
         * the set with any other Keystone is a site problem and is never contacted: entities
         * are user input, and would otherwise receive these passwords.
         */
        keystoneUrls: string[];
        /**
         * Reads the site for scans and runs the console's commands: an admin, or a read-only
         * account with the `reader` role on the system and on a project (`project` and
         * `identityScope: system`).
         */
        reader: OpenStackCredential;
        /** The account replication writes with (checked by accounts.replicator). */
        replicator?: OpenStackCredential;
        /** The account metering reads with (checked by accounts.metering). */
        metering?: OpenStackCredential;
        /** cASO's account (checked by accounting.credentials). */
        accounting?: OpenStackCredential;
        /**
         * The site's CA when no public one signed its certificate (IGTF's, a private one): a PEM
         * file (a directory is read as caPath). Trusted instead of Node's store for this set.
         */
        caFile?: string;
        /**
         * A directory of CA certificates as OpenSSL's capath (`<hash>.0`, or *.pem, *.crt), e.g.
         * `/etc/grid-security/certificates`; read at start.
         */
        caPath?: string;
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
      /** Thresholds and names of every scan. */
      settings?: ScanSettingsConfig;
    };
    /**
     * What the registration, accounting and federated-login checks ask outside the sites. A
     * source left out leaves its checks "not evaluated" (shown so on the scorecard).
     */
    sources?: {
      /** GOCDB's public API (registration.gocdb). */
      gocdb?: {
        /** e.g. `https://goc.egi.eu/gocdbpi/public/` */
        url: string;
      };
      /** The cloud information API (registration.info). */
      cloudInfo?: {
        /** e.g. `https://is.cloud.egi.eu/` */
        url: string;
      };
      /** Where accounting records are seen (accounting.fresh, accounting.coverage). */
      accounting?:
        | {
            /** The EGI accounting portal's JSON summaries. */
            kind: 'accounting-portal';
            /** e.g. `https://accounting.egi.eu` */
            url: string;
          }
        | {
            /** cASO's spool of `lastrun` files. */
            kind: 'caso-spool';
            /** A folder on the backend's machine, or an http(s) URL serving it. */
            location: string;
          };
      /**
       * federation.login's test account, as EGI's monitoring logs in: an access token from the
       * issuer's token endpoint, by refresh token or by client credentials.
       */
      federationLogin?: {
        /** e.g. `https://aai.egi.eu/auth/realms/egi/protocol/openid-connect/token` */
        tokenUrl: string;
        clientId: string;
        /** @visibility secret */
        clientSecret?: string;
        /**
         * When set, the refresh-token grant; otherwise client credentials.
         * @visibility secret
         */
        refreshToken?: string;
        /** Scopes asked for, space-separated. */
        scope?: string;
        /** The project the test account scopes to; default the ops VO. */
        project?: string;
        /** PEM file of the token endpoint's CA, when not a public one. */
        caFile?: string;
        /**
         * The Keystones the test token may be sent to (the login runs only for sites at these
         * URLs), each with `authUrl` where its front proxy is not on Keystone's URL.
         */
        sites: Array<{ keystoneUrl: string; authUrl?: string }>;
      };
      /** Seconds one read of GOCDB, the information system or the portal serves every scan; default 300. */
      cacheSeconds?: number;
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
    /**
     * Per-user limits of the site console, counted by each backend instance: more lines than
     * `rateLimit.lines` in `rateLimit.windowSeconds` (default 60 in 60 s), or more than
     * `concurrentLines` running at once (default 4), are answered 429 with Retry-After.
     */
    console?: {
      rateLimit?: {
        lines?: number;
        windowSeconds?: number;
      };
      concurrentLines?: number;
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
    /** Waivers: a site owner waives one check on one site until a date, once approved. */
    waivers?: {
      /** How many days ahead a waiver may end at most (default 90). */
      maxDays?: number;
      /**
       * How a waived failure counts in a profile's score: `pass` (as passed) or `excluded`
       * (left out, as a skipped check, but never holding readiness back). Default `excluded`.
       */
      countsAs?: 'pass' | 'excluded';
    };
    /** Per-profile adjustments of the built-in profiles. */
    profiles?: {
      [profileId: string]: {
        /** Weight of a check in the profile's score, by check id. */
        weights?: { [checkId: string]: number };
        /** Check ids to leave out of the profile. */
        disabledChecks?: string[];
        /** Settings for the sites checked against this profile, over `scans.settings`. */
        settings?: ScanSettingsConfig;
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
        /**
         * Requests within these are approved at once; absent: every request waits for approval.
         * A key not named here is approved at once up to the zone's `quotas` for it; a key named
         * in neither waits. Keys: the service's own (Nova at microversion 2.1, Cinder with
         * `gigabytes_<volume type>`…, Neutron); another key stops the backend at start.
         */
        autoApproveUpTo?: QuotaSets;
        /** Whether a request may ask for -1 (unlimited); default false (400 naming the key). */
        allowUnlimitedQuotas?: boolean;
        /** Role of the site's metering account on each tenant project; default `reader`; null: none. */
        meteringRole?: string | null;
        /** Whether deleting a tenant deletes its project; default false. */
        deleteProjects?: boolean;
      }>;
    };
    /**
     * Notifications about tenants, through Backstage's notifications plugin (which must run in
     * the same backend), each with a link to the tenant's page. The approvers hear of a request
     * (or a deletion) that waits for them; the requester and the tenant's workspace hear of it
     * being approved, rejected, replicated (first, and when a run writes changes) or failing
     * (once, with the replication's errors, until it recovers); a member whose Keystone user was
     * missing hears of it when a later replication adds them. One notification per tenant and
     * state, updated rather than repeated; a replication that changes nothing sends nothing.
     */
    notifications?: {
      /** Default true. */
      enabled?: boolean;
      /**
       * Users and groups (entity refs such as `group:default/platform-team`) told what waits for
       * approval; default `fedstack.platformOperators`, those the portal's policy lets approve.
       */
      approvers?: string[];
      /** Where the app mounts the tenant pages; default `/openstack/tenants`. */
      tenantsPath?: string;
      /**
       * Namespace of the users named after members' Check-in subjects (the Check-in sign-in
       * module's `userNamespace`): member `1a2b…@egi.eu` is `user:<namespace>/1a2b…`. Default
       * `default`.
       */
      memberUserNamespace?: string;
      /**
       * Notifications to a site's owners (the site entity's owner): a check that passed now
       * fails, or recovers; readiness for a profile lost or regained; scans failing (or reaching
       * no Keystone) `failedScansInARow` times in a row (default 3); an approved waiver ending
       * within `waiverExpiryDays` (default 7). One notification per check, profile or waiver,
       * updated rather than repeated; `digest: daily` sends one per site a day instead.
       */
      sites?: {
        failedScansInARow?: number;
        waiverExpiryDays?: number;
        digest?: 'none' | 'daily';
      };
    };
  };
}
