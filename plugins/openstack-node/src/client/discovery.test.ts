import {
  compareVersions,
  parseVersionNumber,
  versionDocumentSchema,
} from './discovery';
import { versionRootUrl } from './endpointUrl';
import { loadFixture } from '../testing/sandboxFixtures';

describe('version discovery documents', () => {
  it.each([
    ['keystone-root', 300, ['v3.14']],
    ['keystone-v3', 200, ['v3.14']],
    ['compute-root', 200, ['v2.0', 'v2.1']],
    ['compute-v2.1', 200, ['v2.1']],
    ['volume-root', 300, ['v3.0']],
    ['network-root', 200, ['v2.0']],
  ])('parses the recorded %s (HTTP %i)', (name, status, ids) => {
    const fixture = loadFixture('site-a', name);
    expect(fixture.response.status).toBe(status);
    const versions = versionDocumentSchema.parse(fixture.response.body);
    expect(versions.map(v => v.id)).toEqual(ids);
  });

  it("parses Glance's long list and Nova's microversion range", () => {
    const glance = versionDocumentSchema.parse(
      loadFixture('site-a', 'image-root').response.body,
    );
    expect(glance.find(v => v.status === 'CURRENT')?.id).toMatch(/^v2\./);
    const nova = versionDocumentSchema.parse(
      loadFixture('site-a', 'compute-v2.1').response.body,
    );
    expect(nova[0]).toMatchObject({ min_version: '2.1', version: '2.93' });
  });

  it('rejects a document with no versions', () => {
    expect(versionDocumentSchema.safeParse({ error: 'x' }).success).toBe(false);
  });

  it('compares version numbers', () => {
    expect(parseVersionNumber('v3.14')).toEqual([3, 14]);
    expect(parseVersionNumber('2.93')).toEqual([2, 93]);
    expect(parseVersionNumber('v2')).toEqual([2, 0]);
    expect(parseVersionNumber('')).toBeUndefined();
    expect(compareVersions([2, 93], [2, 1])).toBeGreaterThan(0);
    expect(compareVersions([3, 0], [3, 0])).toBe(0);
  });

  it.each([
    ['http://127.0.0.1:5000/v3', 'http://127.0.0.1:5000/'],
    ['http://127.0.0.1:8776/v3/1484d3e0', 'http://127.0.0.1:8776/'],
    ['http://127.0.0.1:8080/v1/AUTH_abc', 'http://127.0.0.1:8080/'],
    ['http://127.0.0.1:9696', 'http://127.0.0.1:9696/'],
    [
      'https://cloud.example.org/identity/v3/',
      'https://cloud.example.org/identity/',
    ],
    [
      'https://cloud.example.org/compute/v2.1',
      'https://cloud.example.org/compute/',
    ],
  ])('asks %s for versions at %s', (endpoint, root) => {
    expect(versionRootUrl(endpoint)).toBe(root);
  });
});
