import { loadFixture } from '../../testing/sandboxFixtures';
import { Catalog, listEndpoints, selectEndpoint } from './catalog';
import { authCatalogSchema } from './catalog';

const siteA: Catalog = authCatalogSchema.parse(
  loadFixture('site-a', 'auth-catalog').response.body,
).catalog;
const siteB: Catalog = authCatalogSchema.parse(
  loadFixture('site-b', 'auth-catalog').response.body,
).catalog;

describe('the service catalog', () => {
  it("finds site-a's public endpoints for every service an EGI site needs", () => {
    for (const type of [
      'identity',
      'compute',
      'volumev3',
      'image',
      'network',
      'object-store',
    ]) {
      expect(selectEndpoint(siteA, type)).toMatchObject({
        type,
        interface: 'public',
        region: 'RegionOne',
      });
    }
    expect(selectEndpoint(siteA, 'compute')?.url).toMatch(/:8774\/v2\.1$/);
  });

  it('takes the first type found of several names', () => {
    expect(selectEndpoint(siteA, ['block-storage', 'volumev3'])?.type).toBe(
      'volumev3',
    );
  });

  it('respects interface and region', () => {
    expect(selectEndpoint(siteA, 'compute', { interface: 'internal' })).toBe(
      undefined,
    );
    expect(selectEndpoint(siteA, 'compute', { region: 'RegionTwo' })).toBe(
      undefined,
    );
    expect(
      selectEndpoint(siteB, 'compute', { region: 'RegionTwo' }),
    ).toBeDefined();
  });

  it("shows site-b's defects: no volumev3, no object-store, compute on another port", () => {
    expect(selectEndpoint(siteB, 'volumev3')).toBeUndefined();
    expect(selectEndpoint(siteB, 'object-store')).toBeUndefined();
    expect(new URL(selectEndpoint(siteB, 'compute')!.url).port).toBe('18774');
  });

  it('lists every endpoint flat', () => {
    const all = listEndpoints(siteA, { interface: 'public' });
    expect(all.length).toBe(siteA.reduce((n, s) => n + s.endpoints.length, 0));
    expect(all.every(e => e.url.startsWith('http'))).toBe(true);
  });
});
