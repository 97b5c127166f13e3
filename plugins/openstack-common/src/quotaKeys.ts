/**
 * The quota keys of the three services the replicator writes, as their APIs name them. Read from
 * the sandbox (Nova 2.93, Cinder v3, Neutron; fixtures under openstack-node's fixtures/sandbox)
 * and checked against the API references: a key outside these lists is refused, so a request
 * never fails a site's whole replication run at the service.
 */
export type QuotaServiceName = 'compute' | 'blockStorage' | 'network';

/** Nova's keys (`GET /v2.1/os-quota-sets/{project}`), with the microversion that dropped some. */
const COMPUTE_KEYS: Array<{ key: string; droppedIn?: string }> = [
  { key: 'cores' },
  { key: 'instances' },
  { key: 'key_pairs' },
  { key: 'metadata_items' },
  { key: 'ram' },
  { key: 'server_group_members' },
  { key: 'server_groups' },
  // 2.36 dropped nova-network's proxies (Neutron's floatingip, security_group… are the real ones).
  { key: 'fixed_ips', droppedIn: '2.36' },
  { key: 'floating_ips', droppedIn: '2.36' },
  { key: 'security_group_rules', droppedIn: '2.36' },
  { key: 'security_groups', droppedIn: '2.36' },
  // 2.57 dropped injected files (server personality).
  { key: 'injected_file_content_bytes', droppedIn: '2.57' },
  { key: 'injected_file_path_bytes', droppedIn: '2.57' },
  { key: 'injected_files', droppedIn: '2.57' },
];

/** The microversion the replicator reads and writes Nova's quotas with: it sends none, so 2.1. */
export const COMPUTE_QUOTA_MICROVERSION = '2.1';

const minor = (microversion: string) => {
  const match = /^2\.(\d+)$/.exec(microversion);
  if (!match) throw new Error(`not a Nova microversion: ${microversion}`);
  return Number(match[1]);
};

/** Nova's quota keys at a microversion (`2.1`, `2.36`, `2.57`, …). */
export function computeQuotaKeys(microversion: string): string[] {
  const at = minor(microversion);
  return COMPUTE_KEYS.filter(
    k => k.droppedIn === undefined || at < minor(k.droppedIn),
  ).map(k => k.key);
}

/** Cinder's keys (`GET /v3/{admin project}/os-quota-sets/{project}`), volume types aside. */
export const BLOCK_STORAGE_QUOTA_KEYS = [
  'backup_gigabytes',
  'backups',
  'gigabytes',
  'groups',
  'per_volume_gigabytes',
  'snapshots',
  'volumes',
];

/**
 * Cinder's per volume type keys: `gigabytes_<type>`, `snapshots_<type>`, `volumes_<type>`
 * (`volumes___DEFAULT__` for the type `__DEFAULT__`). Which types exist is the site's own.
 */
export const PER_VOLUME_TYPE_QUOTA_KEY =
  /^(gigabytes|snapshots|volumes)_[A-Za-z0-9_.-]{1,64}$/;

/** Neutron's keys (`GET /v2.0/quotas/{project}`). */
export const NETWORK_QUOTA_KEYS = [
  'floatingip',
  'network',
  'port',
  'rbac_policy',
  'router',
  'security_group',
  'security_group_rule',
  'subnet',
  'subnetpool',
];

const SERVICE_NAMES: Record<QuotaServiceName, string> = {
  compute: 'Nova',
  blockStorage: 'Cinder',
  network: 'Neutron',
};

/** The keys the replicator may write for a service (Cinder's per volume type ones aside). */
export function quotaKeysOf(service: QuotaServiceName): string[] {
  if (service === 'compute')
    return computeQuotaKeys(COMPUTE_QUOTA_MICROVERSION);
  if (service === 'blockStorage') return BLOCK_STORAGE_QUOTA_KEYS;
  return NETWORK_QUOTA_KEYS;
}

/** Whether a key is a Cinder per volume type key (`gigabytes_ssd`). */
export const isPerVolumeTypeKey = (service: QuotaServiceName, key: string) =>
  service === 'blockStorage' &&
  !BLOCK_STORAGE_QUOTA_KEYS.includes(key) &&
  PER_VOLUME_TYPE_QUOTA_KEY.test(key);

/** Why a key is not a quota of the service, or undefined when it is one. */
export function quotaKeyProblem(
  service: QuotaServiceName,
  key: string,
): string | undefined {
  if (quotaKeysOf(service).includes(key) || isPerVolumeTypeKey(service, key))
    return undefined;
  const known = quotaKeysOf(service).join(', ');
  return service === 'compute'
    ? `not a Nova quota key at microversion ${COMPUTE_QUOTA_MICROVERSION} (${known})`
    : `not a ${SERVICE_NAMES[service]} quota key (${known}${
        service === 'blockStorage'
          ? ', or gigabytes_, snapshots_, volumes_ and a volume type'
          : ''
      })`;
}
