import { compareEndpointUrls, normalEndpointUrl } from './urls';

describe('compareEndpointUrls (the one comparison of endpoint URLs)', () => {
  const site = 'https://keystone.example.org:5000/v3';

  it.each([
    [site, []],
    [`${site}/`, ['trailing slash']],
    ['HTTPS://keystone.example.org:5000/v3', ['scheme case']],
    ['https://Keystone.EXAMPLE.org:5000/v3', ['host case']],
    ['https://KEYSTONE.example.org:5000/v3//', ['host case', 'trailing slash']],
  ])('reads %s as the same endpoint (spelling %j)', (other, spelling) => {
    expect(compareEndpointUrls(other, site)).toEqual({
      same: true,
      exact: spelling.length === 0,
      spelling,
    });
  });

  it('drops a default port only', () => {
    expect(
      compareEndpointUrls(
        'https://k.example.org:443/v3',
        'https://k.example.org/v3',
      ),
    ).toEqual({ same: true, exact: false, spelling: ['default port'] });
    expect(
      compareEndpointUrls(
        'http://k.example.org:80/v3',
        'http://k.example.org/v3',
      ),
    ).toEqual({ same: true, exact: false, spelling: ['default port'] });
    expect(
      compareEndpointUrls(
        'http://k.example.org:443/v3',
        'http://k.example.org/v3',
      ).same,
    ).toBe(false);
  });

  it.each([
    'https://keystone.example.org:5000/V3',
    'http://keystone.example.org:5000/v3',
    'https://keystone.example.org/v3',
    'https://keystone.example.org:5000/v3/auth',
    'https://keystone.example.org:5000/v3?x=1',
    'keystone.example.org:5000/v3',
    '',
  ])('keeps %j apart (path case, scheme, port, path, query count)', other => {
    expect(compareEndpointUrls(other, site)).toEqual({ same: false });
  });

  it('normalises to scheme://host[:port]/path?query', () => {
    expect(normalEndpointUrl('HTTPS://Keystone.Example.org:443/V3/?a=1')).toBe(
      'https://keystone.example.org/V3?a=1',
    );
    expect(normalEndpointUrl('not a url')).toBeUndefined();
  });
});
