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
} as const;

export type OpenStackAnnotation =
  (typeof OPENSTACK_ANNOTATIONS)[keyof typeof OPENSTACK_ANNOTATIONS];

/** `spec.type` of a catalog `Resource` that is an OpenStack site. */
export const OPENSTACK_SITE_TYPE = 'openstack-site';
