import { OPENSTACK_ANNOTATIONS } from './annotations';
import { isOpenStackSiteEntity, readSiteFromEntity } from './site';

const goodEntity = {
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    annotations: {
      [OPENSTACK_ANNOTATIONS.keystoneUrl]: 'http://127.0.0.1:5000/v3',
      [OPENSTACK_ANNOTATIONS.region]: 'RegionOne',
      [OPENSTACK_ANNOTATIONS.profiles]: 'egi-fedcloud, tenant-platform',
      [OPENSTACK_ANNOTATIONS.credentials]: 'site-a',
    },
  },
  spec: { type: 'openstack-site' },
};

describe('readSiteFromEntity', () => {
  it('reads every annotation of a well-formed site', () => {
    const result = readSiteFromEntity(goodEntity);
    expect(result).toEqual({
      ok: true,
      site: {
        entityRef: 'resource:default/site-a',
        name: 'site-a',
        keystoneUrl: 'http://127.0.0.1:5000/v3',
        region: 'RegionOne',
        profiles: ['egi-fedcloud', 'tenant-platform'],
        credentials: 'site-a',
      },
    });
  });

  it('names each annotation at fault', () => {
    const result = readSiteFromEntity({
      ...goodEntity,
      metadata: {
        name: 'broken',
        namespace: 'sites',
        annotations: {
          [OPENSTACK_ANNOTATIONS.keystoneUrl]: 'ftp://example.org',
          [OPENSTACK_ANNOTATIONS.profiles]: 'egi-fedcloud,Not A Profile',
        },
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.entityRef).toBe('resource:sites/broken');
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `${OPENSTACK_ANNOTATIONS.keystoneUrl}: must be an http or https URL`,
        ),
        expect.stringContaining(OPENSTACK_ANNOTATIONS.profiles),
        `annotation ${OPENSTACK_ANNOTATIONS.credentials} is missing`,
      ]),
    );
  });
});

describe('what a site declares of itself', () => {
  const declaring = (annotations: Record<string, string>) =>
    readSiteFromEntity({
      ...goodEntity,
      metadata: {
        ...goodEntity.metadata,
        annotations: { ...goodEntity.metadata.annotations, ...annotations },
      },
    });

  it('reads optional services, ports, VOs, accounting name and protocol', () => {
    const result = declaring({
      [OPENSTACK_ANNOTATIONS.services]: 'object-store, orchestration',
      [OPENSTACK_ANNOTATIONS.ports]: 'object-store=8080, compute = 18774',
      [OPENSTACK_ANNOTATIONS.vos]: 'ops,vo.access.egi.eu',
      [OPENSTACK_ANNOTATIONS.accountingName]: 'EGI-NOTEBOOKS',
      [OPENSTACK_ANNOTATIONS.federationProtocol]: 'oidc',
    });
    expect(result).toMatchObject({
      ok: true,
      site: {
        services: ['object-store', 'orchestration'],
        ports: { 'object-store': 8080, compute: 18774 },
        vos: ['ops', 'vo.access.egi.eu'],
        accountingName: 'EGI-NOTEBOOKS',
        federationProtocol: 'oidc',
      },
    });
  });

  it('declares nothing optional when the annotations are absent', () => {
    const result = declaring({});
    expect(result.ok && result.site.services).toBeUndefined();
    expect(result.ok && result.site.ports).toBeUndefined();
  });

  it('names the annotation of a malformed declaration', () => {
    const result = declaring({
      [OPENSTACK_ANNOTATIONS.ports]: 'compute:8774',
      [OPENSTACK_ANNOTATIONS.services]: 'Object Store',
      [OPENSTACK_ANNOTATIONS.federationProtocol]: 'open id',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringContaining(`annotation ${OPENSTACK_ANNOTATIONS.services}:`),
      expect.stringContaining(`annotation ${OPENSTACK_ANNOTATIONS.ports}:`),
      expect.stringContaining(
        `annotation ${OPENSTACK_ANNOTATIONS.federationProtocol}: must be a protocol id`,
      ),
    ]);
    expect(
      declaring({ [OPENSTACK_ANNOTATIONS.ports]: 'compute=99999' }),
    ).toMatchObject({
      ok: false,
      problems: [expect.stringContaining(OPENSTACK_ANNOTATIONS.ports)],
    });
  });
});

describe('isOpenStackSiteEntity', () => {
  it('accepts only resources of type openstack-site', () => {
    expect(isOpenStackSiteEntity(goodEntity)).toBe(true);
    expect(isOpenStackSiteEntity({ ...goodEntity, kind: 'Component' })).toBe(
      false,
    );
    expect(
      isOpenStackSiteEntity({ ...goodEntity, spec: { type: 'database' } }),
    ).toBe(false);
  });
});
