import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BLOCK_STORAGE_QUOTA_KEYS,
  computeQuotaKeys,
  NETWORK_QUOTA_KEYS,
  PER_VOLUME_TYPE_QUOTA_KEY,
  quotaKeyProblem,
} from './quotaKeys';
import { quotaSetsSchema } from './tenants';

// The sandbox's recorded answers (sandbox/record): the real APIs' keys, not a list from memory.
const recorded = (name: string) =>
  JSON.parse(
    readFileSync(
      join(
        __dirname,
        '../../openstack-node/fixtures/sandbox/site-a',
        `${name}.json`,
      ),
      'utf8',
    ),
  ).response.body;

const keysOf = (set: Record<string, unknown>) =>
  Object.keys(set)
    .filter(key => key !== 'id')
    .sort();

describe('the quota keys', () => {
  it("are Nova's at microversion 2.1, as the sandbox answered (the replicator sends none)", () => {
    const body = recorded('compute-quota-set-ops');
    expect(computeQuotaKeys('2.1').sort()).toEqual(keysOf(body.quota_set));
  });

  it("follow Nova's microversions: 2.36 drops the network proxies, 2.57 injected files", () => {
    // As the sandbox's Nova answers GET /os-quota-sets at these microversions.
    expect(computeQuotaKeys('2.36').sort()).toEqual([
      'cores',
      'injected_file_content_bytes',
      'injected_file_path_bytes',
      'injected_files',
      'instances',
      'key_pairs',
      'metadata_items',
      'ram',
      'server_group_members',
      'server_groups',
    ]);
    expect(computeQuotaKeys('2.57').sort()).toEqual([
      'cores',
      'instances',
      'key_pairs',
      'metadata_items',
      'ram',
      'server_group_members',
      'server_groups',
    ]);
    expect(computeQuotaKeys('2.93')).toEqual(computeQuotaKeys('2.57'));
  });

  it("are Cinder's, per volume type keys by their pattern", () => {
    const keys = keysOf(recorded('volume-quota-set-ops').quota_set);
    const perType = keys.filter(key => !BLOCK_STORAGE_QUOTA_KEYS.includes(key));
    expect(perType).toEqual([
      'gigabytes___DEFAULT__',
      'snapshots___DEFAULT__',
      'volumes___DEFAULT__',
    ]);
    for (const key of perType) expect(key).toMatch(PER_VOLUME_TYPE_QUOTA_KEY);
    expect([...BLOCK_STORAGE_QUOTA_KEYS].sort()).toEqual(
      keys.filter(key => !perType.includes(key)),
    );
  });

  it("are Neutron's", () => {
    expect([...NETWORK_QUOTA_KEYS].sort()).toEqual(
      keysOf(recorded('network-quota-ops').quota),
    );
  });

  it('refuse what is not a key of that service, inherited names included', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'port'])
      expect(quotaKeyProblem('compute', key)).toMatch(/not a Nova quota key/);
    expect(quotaKeyProblem('network', 'cores')).toMatch(/not a Neutron/);
    expect(quotaKeyProblem('blockStorage', 'gigabytes_')).toMatch(/Cinder/);
    expect(quotaKeyProblem('blockStorage', 'gigabytes_ssd')).toBeUndefined();
  });

  it('in a quota set: each unknown key and __proto__ named by its path', () => {
    const parsed = quotaSetsSchema.safeParse(
      JSON.parse(
        '{"compute":{"cores":4,"constructor":1,"__proto__":5},"network":{"port":10,"ram":1}}',
      ),
    );
    expect(parsed.success).toBe(false);
    expect(
      parsed.error!.issues.map(issue => issue.path.join('.')).sort(),
    ).toEqual(['compute.__proto__', 'compute.constructor', 'network.ram']);
  });
});
