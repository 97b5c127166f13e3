/**
 * The catalog annotations an `openstack-site` entity carries. They are defined once here and
 * read by the backend's site registry, the frontend and the entity provider alike.
 *
 * Credentials never live in the catalog: `credentials` only names a credential set that the
 * backend's `app-config.yaml` (or its environment) defines.
 */
export const OPENSTACK_ANNOTATIONS = {
  /** Keystone's public URL, e.g. `https://keystone.example.org:5000/v3`. Required. */
  keystoneUrl: 'openstack.fedstack.io/keystone-url',
  /** The region whose catalog endpoints are checked, e.g. `RegionOne`. Optional. */
  region: 'openstack.fedstack.io/region',
  /** The site's name in GOCDB, e.g. `IFCA-LCG2`. Optional; registration checks skip without it. */
  gocdbName: 'openstack.fedstack.io/gocdb-name',
  /** Comma-separated profile ids, e.g. `egi-fedcloud,tenant-platform`. Required. */
  profiles: 'openstack.fedstack.io/profiles',
  /** Name of the credential set in `openstack.credentialSets` of the backend's config. Required. */
  credentials: 'openstack.fedstack.io/credentials',
  /**
   * Optional services the site offers, as catalog service types, comma-separated, e.g.
   * `object-store,orchestration`: each must then be in the catalog (keystone.catalog). Absent:
   * none beyond the required ones (identity, compute, block storage, image, network).
   */
  services: 'openstack.fedstack.io/services',
  /** Ports the site declares per service type, over the defaults, e.g. `compute=8774,object-store=8080`. */
  ports: 'openstack.fedstack.io/ports',
  /** The VOs the site serves, comma-separated, e.g. `ops,vo.access.egi.eu` (a site file's `vos`). */
  vos: 'openstack.fedstack.io/vos',
  /** The name its accounting records are kept under, when not its GOCDB name (a site file's `accounting.site_name`). */
  accountingName: 'openstack.fedstack.io/accounting-name',
  /** The federation protocol on the identity provider, when not `openid` (a site file's `protocol`). */
  federationProtocol: 'openstack.fedstack.io/federation-protocol',
  /** The NGI or federation the site belongs to, e.g. `NGI_IBERGRID` (GOCDB's ROC): the fleet groups by it. */
  ngi: 'openstack.fedstack.io/ngi',
  // On an `openstack-project` entity (a tenant, imported by the catalog module's tenant provider):
  /** The tenant's id in the OpenStack backend (GET /api/openstack/tenants/{id}). */
  tenantId: 'openstack.fedstack.io/tenant-id',
  /** The site entity the tenant's project is on, e.g. `resource:default/ifca-lcg2`. */
  site: 'openstack.fedstack.io/site',
  /** The project's id in the site's Keystone; absent until replication has created it. */
  projectId: 'openstack.fedstack.io/project-id',
  /** The Keystone domain the project is in. */
  domain: 'openstack.fedstack.io/domain',
  /** The landing zone the tenant was requested in. */
  landingZone: 'openstack.fedstack.io/landing-zone',
  /** The tenant's status, e.g. `successful` or `requires-approval` (as of the last import). */
  tenantStatus: 'openstack.fedstack.io/tenant-status',
} as const;

export type OpenStackAnnotation =
  (typeof OPENSTACK_ANNOTATIONS)[keyof typeof OPENSTACK_ANNOTATIONS];

/** `spec.type` of a catalog `Resource` that is an OpenStack site. */
export const OPENSTACK_SITE_TYPE = 'openstack-site';

/** `spec.type` of a catalog `Resource` that is a tenant: a workspace's project on a site. */
export const OPENSTACK_PROJECT_TYPE = 'openstack-project';
