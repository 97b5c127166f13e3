import fs from 'node:fs';
import path from 'node:path';
import { HttpResult, SampleAnswers } from '@fedstack/plugin-openstack-node';

/**
 * The metering account's view of ops on sandbox site-a, as recorded from the sandbox's real
 * services (plugins/openstack-node/fixtures/sandbox): what the metering routes' tests store as
 * samples. Test-only.
 */
const recordedDir = path.join(
  path.dirname(require.resolve('@fedstack/plugin-openstack-node/package.json')),
  'fixtures/sandbox/site-a',
);
export const recordedBody = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(recordedDir, `${name}.json`), 'utf8'))
    .response.body;
// As the client answers them (the recorded bodies are the real services'; no evidence kept).
export const recordedList = <T>(name: string, key: string) =>
  ({
    ok: true,
    status: 200,
    headers: {},
    data: recordedBody(name)[key],
  } as unknown as HttpResult<T[]>);
export function recordedAnswers(): SampleAnswers {
  return {
    servers: recordedList(
      'metering-ops-compute-servers-detail-2.47',
      'servers',
    ),
    changedServers: recordedList(
      'metering-ops-compute-servers-detail-changes-since-2.47',
      'servers',
    ),
    volumes: recordedList('metering-ops-volume-volumes-detail', 'volumes'),
    snapshots: recordedList(
      'metering-ops-volume-snapshots-detail',
      'snapshots',
    ),
    floatingIps: recordedList(
      'metering-ops-network-floatingips',
      'floatingips',
    ),
    routers: recordedList('metering-ops-network-routers', 'routers'),
    loadBalancers: {
      ok: false,
      error: {
        kind: 'catalog',
        message: 'no public endpoint for load-balancer in the catalog',
      },
    } as unknown as SampleAnswers['loadBalancers'],
    images: recordedList('metering-ops-image-images', 'images'),
  };
}
