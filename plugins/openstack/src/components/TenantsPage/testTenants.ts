import {
  LandingZone,
  landingZoneSchema,
  ProjectUsageResponse,
  projectUsageResponseSchema,
  ProjectWorkloadsResponse,
  projectWorkloadsResponseSchema,
  ReplicationRun,
  replicationRunSchema,
  TenantDetail,
  tenantDetailSchema,
} from '@fedstack/plugin-openstack-common';

// Test answers in the shapes of the common schemas (parsed here, so a schema change fails the
// tests instead of leaving them behind). Values follow app-config.yaml's landing zones and what
// the backend answered for a tenant on the sandbox's site-a.

export const exampleLandingZones: LandingZone[] = [
  landingZoneSchema.parse({
    id: 'standard',
    title: 'Standard',
    description:
      'A project in the Default domain; small requests are approved at once.',
    roles: { admin: 'member', user: 'member', reader: 'reader' },
    tags: ['fedstack'],
    quotas: {
      compute: { cores: 8, ram: 16384, instances: 4 },
      blockStorage: { volumes: 4, gigabytes: 100 },
      network: { network: 2, router: 1, floatingip: 2 },
    },
    maxQuotas: {
      compute: { cores: 64, ram: 131072, instances: 32 },
      blockStorage: { volumes: 32, gigabytes: 2000 },
      network: { network: 8, router: 4, floatingip: 16 },
    },
    autoApproveUpTo: {
      compute: { cores: 16, ram: 32768, instances: 8 },
      blockStorage: { volumes: 8, gigabytes: 200 },
      network: { network: 2, router: 1, floatingip: 4 },
    },
  }),
  landingZoneSchema.parse({
    id: 'dedicated',
    title: 'Dedicated domain',
    domain: 'per-workspace',
    tags: ['fedstack', 'dedicated'],
    quotas: { compute: { cores: 16, ram: 32768, instances: 8 } },
    deleteProjects: true,
  }),
];

export function exampleTenant(
  overrides: Partial<TenantDetail> = {},
): TenantDetail {
  return tenantDetailSchema.parse({
    id: '6f1c7a52-3f0e-4f4b-9c55-2a9e3f1d8b10',
    workspace: 'group:default/platform-team',
    site: 'resource:default/site-a',
    project: 'analysis',
    landingZone: 'standard',
    description: 'Data analysis',
    members: [
      { euid: '5c0e1f0f6a0b4c8d9e7f1a2b3c4d5e6f@egi.eu', role: 'admin' },
      { euid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90@egi.eu', role: 'reader' },
    ],
    quotas: {
      compute: { cores: 8, ram: 16384, instances: 4 },
      blockStorage: { volumes: 4, gigabytes: 100 },
      network: { network: 2, router: 1, floatingip: 2 },
    },
    status: 'successful',
    projectName: 'platform-team.analysis',
    domainName: 'Default',
    projectId: '0c3e0f6f2b8d4c1e9a7b5d3f1e2c4a6b',
    requestedBy: 'user:default/guest',
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:05.000Z',
    deletionApproved: false,
    lastReplication: {
      runId: 'c1a2b3d4-0000-4000-8000-000000000001',
      at: '2026-11-23T10:00:05.000Z',
      status: 'successful',
      steps: [
        { summary: 'create project platform-team.analysis', outcome: 'done' },
        {
          summary: 'create group platform-team.analysis-admin',
          outcome: 'done',
        },
        {
          summary:
            'grant member on platform-team.analysis to platform-team.analysis-admin',
          outcome: 'done',
        },
      ],
      remarks: [
        'member a1b2c3d4e5f60718293a4b5c6d7e8f90@egi.eu (reader) has no account on the site yet; added once they have logged in',
      ],
      warnings: [],
      errors: [],
    },
    events: [
      {
        at: '2026-11-23T10:00:00.000Z',
        actor: 'user:default/guest',
        action: "requested (approved: within the landing zone's auto-approval)",
      },
    ],
    ...overrides,
  });
}

export function exampleReplicationRun(): ReplicationRun {
  return replicationRunSchema.parse({
    id: 'c1a2b3d4-0000-4000-8000-000000000002',
    site: 'resource:default/site-a',
    trigger: 'manual',
    dryRun: false,
    status: 'successful',
    startedAt: '2026-11-23T11:00:00.000Z',
    finishedAt: '2026-11-23T11:00:02.000Z',
    keystoneCalls: 6,
    steps: [],
    tenants: [
      {
        tenantId: exampleTenant().id,
        projectName: 'platform-team.analysis',
        status: 'successful',
        remarks: [],
        warnings: [],
        errors: [],
      },
    ],
  });
}

export function exampleUsage(): ProjectUsageResponse {
  const totals = (servers: number) => ({
    servers,
    vcpus: servers * 2,
    ramMb: servers * 4096,
    diskGb: servers * 20,
    volumes: 1,
    volumeGb: 10,
    snapshots: 0,
    snapshotGb: 0,
    floatingIps: 1,
    routers: 1,
    loadBalancers: 0,
    images: 0,
    imageBytes: 0,
  });
  return projectUsageResponseSchema.parse({
    siteRef: 'resource:default/site-a',
    projectId: exampleTenant().projectId,
    from: '2026-11-16T12:00:00.000Z',
    to: '2026-11-23T12:00:00.000Z',
    samples: [1, 2, 3].map((servers, i) => ({
      takenAt: `2026-11-23T0${i + 7}:00:00.000Z`,
      totals: totals(servers),
      errors: [],
      unavailable: [
        {
          resource: 'loadBalancers',
          reason: 'no load-balancer service in the catalog',
        },
      ],
    })),
    usage: {
      from: '2026-11-16T12:00:00.000Z',
      to: '2026-11-23T12:00:00.000Z',
      samples: 3,
      coveredHours: 5,
      serverHours: 8,
      vcpuHours: 16,
      ramGbHours: 32,
      diskGbHours: 160,
      volumeGbHours: 50,
      snapshotGbHours: 0,
      floatingIpHours: 5,
      routerHours: 5,
      loadBalancerHours: 0,
      imageGbHours: 0,
    },
  });
}

export function exampleWorkloads(): ProjectWorkloadsResponse {
  return projectWorkloadsResponseSchema.parse({
    siteRef: 'resource:default/site-a',
    projectId: exampleTenant().projectId,
    takenAt: '2026-11-23T09:00:00.000Z',
    items: [
      {
        id: '9d2f3b6e-1c4a-4e8b-a5f7-0b1c2d3e4f50',
        name: 'im-cluster-front',
        status: 'ACTIVE',
        flavor: { name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
        deleted: false,
        createdAt: '2026-11-23T06:55:00Z',
        workload: {
          'eu.egi.cloud.orchestrator': 'es.upv.grycap.im',
          'eu.egi.cloud.orchestrator.id': '0a1b2c3d-im-infrastructure',
          'eu.egi.cloud.orchestrator.url': 'https://im.egi.eu/im',
          'eu.egi.cloud.orchestrator.user': '__OPENID__sandbox',
        },
      },
    ],
  });
}
