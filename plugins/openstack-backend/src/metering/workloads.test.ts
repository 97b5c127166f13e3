import { TestDatabases } from '@backstage/backend-test-utils';
import { buildSample } from '@fedstack/plugin-openstack-node';
import request from 'supertest';
import {
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';
import {
  recordedAnswers,
  recordedBody,
} from '../__testUtils__/recordedMetering';
import { MeteringStore } from './MeteringStore';

// A project's workloads are all its servers: ops's recorded server (made by Infrastructure
// Manager, with its eu.egi.cloud.orchestrator* properties), and the same server as a plain one
// (its properties taken off, another id and name), as a user's own VM would be.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

it('lists every server of the project, with the Infrastructure Manager properties where there are some', async () => {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startOpenStackBackend({
    knex,
    sites: [closedSiteEntity()],
    openstack: closedSiteConfig('metering'),
  });
  const [imServer] = recordedBody('metering-ops-compute-servers-detail-2.47')
    .servers as Array<Record<string, unknown> & { tenant_id: string }>;
  const answers = recordedAnswers();
  if (!answers.servers.ok) throw new Error('recorded servers');
  const plain = {
    ...imServer,
    id: '00000000-0000-4000-8000-000000000001',
    name: 'my-own-vm',
    metadata: {},
  };
  answers.servers = {
    ...answers.servers,
    data: [...answers.servers.data, plain] as typeof answers.servers.data,
  };
  await new MeteringStore(knex).addSample(
    'resource:default/site-a',
    buildSample(imServer.tenant_id, new Date(), answers),
  );

  const workloads = await request(server).get(
    `/api/openstack/sites/default/site-a/projects/${imServer.tenant_id}/workloads`,
  );
  expect(workloads.status).toBe(200);
  expect(
    workloads.body.items.map((s: { name: string; workload: object }) => [
      s.name,
      Object.keys(s.workload),
    ]),
  ).toEqual([
    [
      'monitoring-probe-vm',
      [
        'eu.egi.cloud.orchestrator',
        'eu.egi.cloud.orchestrator.id',
        'eu.egi.cloud.orchestrator.url',
        'eu.egi.cloud.orchestrator.user',
      ],
    ],
    ['my-own-vm', []],
  ]);
});
