import { EvidenceRecorder } from './evidence';
import { OpenStackSession } from './session';
import {
  FixtureSite,
  loadFixture,
  startFixtureSite,
} from '../testing/sandboxFixtures';

// The whole client against the sandbox's recorded answers, replayed from local sockets.
const ADMIN_PASSWORD = 'admin-secret';

function adminSession(site: FixtureSite, recorder?: EvidenceRecorder) {
  return new OpenStackSession({
    keystoneUrl: site.keystoneUrl,
    credential: {
      type: 'password',
      username: 'admin',
      password: ADMIN_PASSWORD,
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
    httpOptions: { timeoutMs: 2000, recorder },
    now: () => site.recordedAt.getTime(),
  });
}

describe('OpenStackSession on site-a (recorded)', () => {
  let site: FixtureSite;
  let session: OpenStackSession;
  let recorder: EvidenceRecorder;
  const opsProjectId = (
    loadFixture('site-a', 'compute-quota-set-ops').response.body as {
      quota_set: { id: string };
    }
  ).quota_set.id;

  beforeAll(async () => {
    site = await startFixtureSite('site-a');
    recorder = new EvidenceRecorder();
    session = adminSession(site, recorder);
  });
  afterAll(async () => {
    session.close();
    await site.close();
  });

  it('finds each service through the catalog', async () => {
    for (const type of ['compute', 'volumev3', 'image', 'network']) {
      const endpoint = await session.endpoint(type);
      expect(endpoint.ok).toBe(true);
    }
    const missing = await session.endpoint('dns');
    expect(!missing.ok && missing.error.kind).toBe('catalog');
  });

  it('discovers the version of every service, in parallel', async () => {
    const [keystone, v3, nova, novaSelf, cinder, glance, neutron, swift] =
      await Promise.all([
        session.identity.versions(),
        session.identity.v3Version(),
        session.compute.versions(),
        session.compute.version(),
        session.blockStorage.versions(),
        session.image.versions(),
        session.network.versions(),
        session.objectStore.info(),
      ]);
    expect(keystone.ok && keystone.status).toBe(300);
    expect(v3.ok && v3.data[0].id).toBe('v3.14');
    expect(nova.ok && nova.data.map(v => v.id)).toEqual(['v2.0', 'v2.1']);
    expect(novaSelf.ok && novaSelf.data[0].version).toBe('2.93');
    expect(cinder.ok && cinder.data[0]).toMatchObject({
      id: 'v3.0',
      min_version: '3.0',
    });
    expect(glance.ok && glance.data.length).toBeGreaterThan(1);
    expect(neutron.ok && neutron.data[0].id).toBe('v2.0');
    expect(swift.ok && swift.data.swift.version).toMatch(/^2\./);
  });

  it('reads the federation objects', async () => {
    const [idp, protocol, mapping] = await Promise.all([
      session.identity.identityProvider('egi.eu'),
      session.identity.protocol('egi.eu', 'openid'),
      session.identity.mapping('egi-mapping'),
    ]);
    expect(idp.ok && idp.data).toMatchObject({
      id: 'egi.eu',
      enabled: true,
      remote_ids: ['https://aai.egi.eu/auth/realms/egi'],
    });
    expect(protocol.ok && protocol.data.mapping_id).toBe('egi-mapping');
    expect(mapping.ok).toBe(true);
    if (!mapping.ok) return;
    const remoteTypes = mapping.data.rules.flatMap(r =>
      r.remote.map(c => c.type),
    );
    expect(remoteTypes).toEqual(
      expect.arrayContaining(['HTTP_OIDC_SUB', 'HTTP_OIDC_ISS']),
    );
    // One rule names its group by id, the other by name and domain.
    const groups = mapping.data.rules.flatMap(r => r.local.map(l => l.group));
    expect(groups.some(g => g?.id)).toBe(true);
    expect(groups.some(g => g?.name && g.domain)).toBe(true);
  });

  it('reads Keystone lists, keeping extra project properties', async () => {
    const [domains, projects, groups, roles, users, authProjects] =
      await Promise.all([
        session.identity.domains(),
        session.identity.projects(),
        session.identity.groups(),
        session.identity.roles(),
        session.identity.users(),
        session.identity.authProjects(),
      ]);
    const federated = domains.ok
      ? domains.data.find(d => d.description?.startsWith('Auto generated'))
      : undefined;
    expect(federated).toBeDefined();
    expect(
      projects.ok && projects.data.find(p => p.name === 'ops')?.['egi.VO'],
    ).toBe('ops');
    expect(groups.ok && groups.data.map(g => g.name)).toContain('ops');
    expect(roles.ok && roles.data.map(r => r.name)).toEqual(
      expect.arrayContaining(['admin', 'member', 'reader']),
    );
    expect(users.ok && users.data.map(u => u.name)).toContain('replicator');
    expect(authProjects.ok && authProjects.data.length).toBeGreaterThan(0);

    const federatedUsers = await session.identity.users({
      domain_id: federated!.id,
    });
    expect(federatedUsers.ok).toBe(true);
    expect(
      federatedUsers.ok &&
        federatedUsers.data.every(u => u.name.endsWith('@egi.eu')),
    ).toBe(true);
  });

  it('reads role assignments with names, and group memberships with effective', async () => {
    const [grants, effective] = await Promise.all([
      session.identity.roleAssignments({ include_names: true }),
      session.identity.roleAssignments({
        effective: true,
        include_names: true,
      }),
    ]);
    expect(grants.ok).toBe(true);
    if (!grants.ok || !effective.ok) return;
    expect(
      grants.data.some(
        a => a.group?.name === 'ops' && a.role.name === 'member',
      ),
    ).toBe(true);
    const viaGroup = effective.data.filter(a => a.links?.membership);
    expect(viaGroup.length).toBeGreaterThan(0);
    expect(viaGroup[0].links!.membership).toMatch(/\/v3\/groups\/.+\/users\//);
    expect(viaGroup.every(a => a.user && !a.group)).toBe(true);
  });

  it('reads Nova: flavors, servers (also with microversion 2.79), usage, quotas', async () => {
    const [flavors, servers, servers279, usage, quota] = await Promise.all([
      session.compute.flavors(),
      session.compute.servers({ all_tenants: true }),
      session.compute.servers({ all_tenants: true, microversion: '2.79' }),
      session.compute.tenantUsages({
        start: new Date('2026-10-24T00:00:00Z'),
        end: new Date('2026-11-23T00:00:00Z'),
      }),
      session.compute.quotaSetDetail(opsProjectId),
    ]);
    expect(
      flavors.ok && flavors.data.find(f => f.name === 'm1.monitoring'),
    ).toMatchObject({
      vcpus: 1,
      ram: 2048,
    });
    expect(servers.ok && servers.data[0].metadata).toHaveProperty([
      'eu.egi.cloud.orchestrator',
    ]);
    expect(servers.ok && servers.data[0].flavor.id).toBeDefined();
    expect(servers279.ok && servers279.data[0].flavor.original_name).toBe(
      'm1.monitoring',
    );
    expect(servers279.ok && servers279.evidence.requestHeaders).toMatchObject({
      'openstack-api-version': 'compute 2.79',
    });
    expect(usage.ok && usage.data).toEqual([]);
    expect(usage.ok && decodeURIComponent(usage.evidence.url)).toMatch(
      /start=2026-10-24T00:00:00&end=2026-11-23T00:00:00&detailed=1$/,
    );
    expect(quota.ok && quota.data.cores).toMatchObject({ limit: 20 });
  });

  it('reads Cinder and Neutron quotas', async () => {
    const [volume, network, networkDetails] = await Promise.all([
      session.blockStorage.quotaSet(opsProjectId),
      session.network.quota(opsProjectId),
      session.network.quotaDetails(opsProjectId),
    ]);
    expect(volume.ok && volume.data.volumes).toMatchObject({ limit: 10 });
    expect(volume.ok && volume.data).not.toHaveProperty('id');
    expect(network.ok && network.data.router).toBe(10);
    expect(networkDetails.ok && networkDetails.data.router.used).toBe(1);
  });

  it('reads what the metering samples: volumes, snapshots, routers, floating IPs, images', async () => {
    const [volumes, snapshots, routers, floatingIps, images] =
      await Promise.all([
        session.blockStorage.volumes({ all_tenants: true }),
        session.blockStorage.snapshots({ all_tenants: true }),
        session.network.routers(),
        session.network.floatingIps(),
        session.image.images(),
      ]);
    expect(
      volumes.ok && volumes.data.find(v => v.name === 'ops-data'),
    ).toMatchObject({
      size: 1,
      'os-vol-tenant-attr:tenant_id': opsProjectId,
    });
    expect(snapshots.ok && snapshots.data).toEqual([]);
    expect(routers.ok && routers.data.map(r => r.name)).toContain('ops-router');
    expect(floatingIps.ok && floatingIps.data).toEqual([]);
    expect(
      images.ok && images.data.find(i => i.name === 'egi-probe-image'),
    ).toMatchObject({
      status: 'active',
      visibility: 'public',
    });
  });

  it('used one token for all of it, and recorded every request without secrets', () => {
    expect(session.tokensIssued).toBe(1);
    expect(recorder.requestCount).toBe(session.requestCount);
    const recorded = JSON.stringify(recorder.evidence);
    expect(recorded).not.toContain(ADMIN_PASSWORD);
    const sentTokens = recorder.evidence
      .map(e => e.requestHeaders['x-auth-token'])
      .filter(Boolean);
    expect(sentTokens.length).toBeGreaterThan(0);
    expect(new Set(sentTokens)).toEqual(new Set(['<redacted>']));
  });

  it('gives a check its own evidence through a scoped recorder', async () => {
    const check = recorder.child();
    const flavors = await session.withRecorder(check).compute.flavors();
    expect(flavors.ok).toBe(true);
    expect(check.evidence.map(e => e.url)).toEqual([
      expect.stringMatching(/\/v2\.1\/flavors\/detail$/),
    ]);
    expect(session.tokensIssued).toBe(1);
  });

  it('builds each service client once, on first use, and keeps it', () => {
    // Built lazily (bench/fleet.mjs); a spy on a session's call must still stick.
    const scoped = session.withRecorder(recorder.child());
    expect(scoped.identity).toBe(scoped.identity);
    expect(scoped.compute).toBe(scoped.compute);
    expect(scoped.network.client).toBe(scoped.network.client);
    expect(scoped.identity).not.toBe(session.identity);
  });
});

describe('OpenStackSession on site-b (recorded defects)', () => {
  let site: FixtureSite;
  let session: OpenStackSession;

  beforeAll(async () => {
    site = await startFixtureSite('site-b');
    session = adminSession(site);
  });
  afterAll(async () => {
    session.close();
    await site.close();
  });

  it('reports a missing protocol as http 404 with the reason', async () => {
    const protocol = await session.identity.protocol('egi.eu', 'openid');
    expect(!protocol.ok && protocol.error).toMatchObject({
      kind: 'http',
      status: 404,
    });
    expect(!protocol.ok && protocol.error.message).toContain(
      'Could not find federated protocol openid',
    );
  });

  it('reports services missing from the catalog without a request', async () => {
    await session.token();
    const before = session.requestCount;
    const [volume, swift] = await Promise.all([
      session.blockStorage.versions(),
      session.objectStore.info(),
    ]);
    expect(!volume.ok && volume.error.kind).toBe('catalog');
    expect(!swift.ok && swift.error.kind).toBe('catalog');
    expect(session.requestCount).toBe(before);
  });

  it("reports the shared Nova's refusal of a site-b token as http 401", async () => {
    const flavors = await session.compute.flavors();
    expect(!flavors.ok && flavors.error).toMatchObject({
      kind: 'http',
      status: 401,
    });
    expect(flavors.evidence?.responseHeaders['www-authenticate']).toContain(
      'Keystone uri=',
    );
  });
});
