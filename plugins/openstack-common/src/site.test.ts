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
          [OPENSTACK_ANNOTATIONS.profiles]: 'egi-fedcloud,nonsense',
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
