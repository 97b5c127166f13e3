import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { pluginConfig } from '../__testUtils__/config';
import { CACHE_MS, SiteRegistry, STALE_MS } from './SiteRegistry';

const site = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:9/v3',
      'openstack.fedstack.io/profiles': 'egi-fedcloud',
      'openstack.fedstack.io/credentials': 'sites',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
});
const notASite: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'bucket', namespace: 'default' },
  spec: { type: 's3-bucket', owner: 'group:default/platform-team' },
};
const config = pluginConfig({
  credentialSets: {
    sites: {
      keystoneUrls: ['http://127.0.0.1:9/v3'],
      reader: { type: 'password', username: 'u', password: 'p' },
    },
  },
});

/** Retries `check` over a few turns of the microtask queue (timers are fake here). */
async function waitFor(check: () => Promise<void>) {
  for (let turn = 0; ; turn++) {
    try {
      return await check();
    } catch (error) {
      if (turn === 20) throw error;
    }
  }
}

function registryOf(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const queryEntities = jest.spyOn(catalog, 'queryEntities');
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const registry = new SiteRegistry(catalog, mockServices.auth(), config);
  return { registry, queryEntities, getEntityByRef };
}

describe('SiteRegistry', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the catalog once for the requests of the next few seconds', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') });
    const { registry, queryEntities, getEntityByRef } = registryOf([
      site('site-b'),
      site('site-a'),
      notASite,
    ]);
    expect((await registry.listSites()).map(s => s.entityRef)).toEqual([
      'resource:default/site-a',
      'resource:default/site-b',
    ]);
    const found = await registry.getSite('resource:default/site-b');
    expect(found?.site?.keystoneUrl).toBe('http://127.0.0.1:9/v3');
    expect(found?.problems).toEqual([]);
    await registry.listSites();
    expect(queryEntities).toHaveBeenCalledTimes(1);
    expect(getEntityByRef).not.toHaveBeenCalled();

    jest.setSystemTime(Date.now() + CACHE_MS + 1);
    await registry.listSites();
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('reads the sites in pages, only the fields a site is read from', async () => {
    const names = Array.from(
      { length: 250 },
      (_, i) => `site-${String(i).padStart(3, '0')}`,
    );
    const { registry, queryEntities } = registryOf([
      ...names.map(site),
      notASite,
    ]);
    const sites = await registry.listSites();
    expect(sites.map(s => s.name)).toEqual(names);
    expect(sites[249].site?.keystoneUrl).toBe('http://127.0.0.1:9/v3');
    expect(sites[249].problems).toEqual([]);
    expect(queryEntities).toHaveBeenCalledTimes(3);
    for (const [request] of queryEntities.mock.calls) {
      expect(request).toEqual(
        expect.objectContaining({
          limit: 100,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'metadata.annotations',
            'spec.type',
            'spec.owner',
          ],
        }),
      );
    }
  });

  it('finds a site the last read did not hold, and refuses what is not a site', async () => {
    const { registry, getEntityByRef } = registryOf([site('site-a'), notASite]);
    await registry.listSites();
    expect(await registry.getSite('resource:default/bucket')).toBeUndefined();
    expect(await registry.getSite('resource:default/nowhere')).toBeUndefined();
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('finds a site whatever the case of its ref, as the catalog does', async () => {
    const { registry, getEntityByRef } = registryOf([site('Site-C')]);
    await registry.listSites();
    for (const ref of ['resource:default/Site-C', 'Resource:Default/site-c']) {
      expect((await registry.getSite(ref))?.entityRef).toBe(
        'resource:default/Site-C',
      );
    }
    expect(getEntityByRef).not.toHaveBeenCalled();
  });

  it('answers from the last read while a newer one is under way, then from the newer', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') });
    const { registry, queryEntities } = registryOf([site('site-a')]);
    const names = async () => (await registry.listSites()).map(s => s.name);
    expect(await names()).toEqual(['site-a']);

    let answer: (value: {
      items: Entity[];
      pageInfo: {};
      totalItems: number;
    }) => void = () => {};
    queryEntities.mockImplementationOnce(
      () =>
        new Promise(resolve => {
          answer = resolve;
        }),
    );
    jest.setSystemTime(Date.now() + CACHE_MS + 1);
    // Not waiting for the catalog: the last read answers.
    expect(await names()).toEqual(['site-a']);
    expect((await registry.getSite('resource:default/site-a'))?.name).toBe(
      'site-a',
    );
    expect(queryEntities).toHaveBeenCalledTimes(2);

    answer({ items: [site('site-b')], pageInfo: {}, totalItems: 1 });
    // Once the newer read is in, it answers.
    await waitFor(async () => expect(await names()).toEqual(['site-b']));
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('answers from the last read for a while when the catalog fails, then fails', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') });
    const { registry, queryEntities } = registryOf([site('site-a')]);
    await registry.listSites();
    queryEntities.mockRejectedValue(new Error('catalog down'));
    jest.setSystemTime(Date.now() + CACHE_MS + 1);
    expect(await registry.listSites()).toHaveLength(1);
    jest.setSystemTime(Date.now() + STALE_MS);
    await expect(registry.listSites()).rejects.toThrow('catalog down');
  });

  it('does not keep a failed read', async () => {
    const { registry, queryEntities } = registryOf([site('site-a')]);
    queryEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(registry.listSites()).rejects.toThrow('catalog down');
    expect(await registry.listSites()).toHaveLength(1);
  });
});
