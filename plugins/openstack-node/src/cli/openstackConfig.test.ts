import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configFileCandidates,
  loadCloud,
  resolveOpenStackSettings,
  scanInputsFromSettings,
} from './openstackConfig';
import { configFromEnvironment, parseScanConfig } from './scanConfig';
import {
  credentialConfigSchema,
  toCredential,
} from '../credentials/credentialConfig';

const fixtures = path.join(__dirname, 'fixtures');

/** A folder holding the fixture as `clouds.yaml` (and `secure.yaml`). */
function folderWith(clouds: string, secure?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-clouds-'));
  fs.copyFileSync(path.join(fixtures, clouds), path.join(dir, 'clouds.yaml'));
  if (secure) {
    fs.copyFileSync(path.join(fixtures, secure), path.join(dir, 'secure.yaml'));
  }
  return dir;
}

const nowhere = path.join(os.tmpdir(), 'fedstack-no-home');

describe('clouds.yaml as openstacksdk reads it', () => {
  it('searches OS_CLIENT_CONFIG_FILE, ./, the user config dir, /etc/openstack, first found wins', () => {
    expect(
      configFileCandidates(
        'clouds',
        { OS_CLIENT_CONFIG_FILE: '/tmp/mine.yaml' },
        '/work',
        '/home/op',
      ),
    ).toEqual([
      '/tmp/mine.yaml',
      '/work/clouds.yaml',
      '/work/clouds.yml',
      '/work/clouds.json',
      '/home/op/.config/openstack/clouds.yaml',
      '/home/op/.config/openstack/clouds.yml',
      '/home/op/.config/openstack/clouds.json',
      '/etc/openstack/clouds.yaml',
      '/etc/openstack/clouds.yml',
      '/etc/openstack/clouds.json',
    ]);
    expect(
      configFileCandidates(
        'secure',
        { OS_CLIENT_SECURE_FILE: '/s.yaml' },
        '/w',
        '/h',
      )[0],
    ).toBe('/s.yaml');
    const cwd = folderWith('clouds.openstacksdk-docs.yaml');
    const home = folderWith('clouds.openstacksdk-tests.yaml');
    fs.mkdirSync(path.join(home, '.config', 'openstack'), { recursive: true });
    fs.renameSync(
      path.join(home, 'clouds.yaml'),
      path.join(home, '.config', 'openstack', 'clouds.yaml'),
    );
    // ./clouds.yaml wins over the user's: its clouds are found, the user's are not.
    expect(loadCloud('mordred', {}, { cwd, home }).file).toBe(
      path.join(cwd, 'clouds.yaml'),
    );
    expect(() =>
      loadCloud('_test_cloud_hyphenated', {}, { cwd, home }),
    ).toThrow(
      /cloud _test_cloud_hyphenated is not in .*clouds\.yaml \(it has mtvexx, mordred/,
    );
    // Without ./clouds.yaml, the user's config dir; OS_CLIENT_CONFIG_FILE before both.
    expect(
      loadCloud('_test_cloud_hyphenated', {}, { cwd: nowhere, home }).file,
    ).toBe(path.join(home, '.config', 'openstack', 'clouds.yaml'));
    expect(
      loadCloud(
        'mordred',
        { OS_CLIENT_CONFIG_FILE: path.join(cwd, 'clouds.yaml') },
        { cwd: nowhere, home },
      ).file,
    ).toBe(path.join(cwd, 'clouds.yaml'));
  });

  it('merges secure.yaml over clouds.yaml (openstacksdk docs, "Splitting Secrets")', () => {
    const cwd = folderWith(
      'clouds.openstacksdk-docs.yaml',
      'secure.openstacksdk-docs.yaml',
    );
    const { settings } = loadCloud('internap', {}, { cwd, home: nowhere });
    expect(settings.auth).toEqual({
      username: 'api-55f9a00fb2619',
      project_name: 'inap-17037',
      password: 'XXXXXXXXXXXXXXXXX',
    });
    expect(settings.regions).toEqual(['ams01', 'nyj01']);
    // fedstack has no vendor profiles: the cloud needs its own auth_url.
    expect(() => scanInputsFromSettings(settings)).toThrow(
      /vendor profiles \(profile: internap\) are not supported/,
    );
  });

  it('reads the docs example cloud, and refuses verify: false', () => {
    const cwd = folderWith('clouds.openstacksdk-docs.yaml');
    const mordred = scanInputsFromSettings(
      loadCloud('mordred', {}, { cwd, home: nowhere }).settings,
    );
    expect(mordred).toEqual({
      keystoneUrl:
        'https://montytaylor-sjc.openstack.blueboxgrid.com:5001/v2.0',
      region: 'RegionOne',
      credential: {
        type: 'password',
        username: 'mordred',
        password: 'XXXXXXX',
        project: 'shade',
      },
    });
    expect(() =>
      scanInputsFromSettings(
        loadCloud('self-signed-insecure-cloud', {}, { cwd, home: nowhere })
          .settings,
      ),
    ).toThrow(/verify: false \(insecure\) is not supported/);
  });

  it("normalizes openstacksdk's test clouds: hyphens, integer ids, domain_id, regions", () => {
    const cwd = folderWith('clouds.openstacksdk-tests.yaml');
    const read = (cloud: string) =>
      scanInputsFromSettings(
        loadCloud(cloud, {}, { cwd, home: nowhere }).settings,
      );
    expect(read('_test_cloud_hyphenated').credential).toMatchObject({
      projectId: '12345',
    });
    // domain_id alone with a project: the user's and the project's domain.
    expect(read('_test-cloud-int-project_').credential).toEqual({
      type: 'password',
      username: 'testuser',
      password: 'testpass',
      userDomainId: 'awesome-domain',
      projectId: '12345',
      projectDomainId: 'awesome-domain',
    });
    // project_domain_id given: kept; the user's domain from domain_id.
    expect(read('_test-cloud-domain-id_').credential).toMatchObject({
      userDomainId: '6789',
      projectDomainId: '123456789',
    });
    // regions of {name, values}: the first one, as openstacksdk picks with no region_name.
    expect(read('_test_cloud_regions').region).toBe('region1');
  });
});

describe('precedence as the openstack CLI: flags over OS_* over clouds.yaml', () => {
  const egi = () => folderWith('clouds.egi-fedcloud.yaml');

  it('takes OS_CLOUD, the access token from the environment, and v3oidcaccesstoken', () => {
    const cwd = egi();
    const raw = configFromEnvironment(
      { OS_CLOUD: 'site-a-ops', OS_ACCESS_TOKEN: 'eyJ.access.token' },
      { cwd },
    );
    const config = parseScanConfig(raw);
    expect(config.site).toEqual({
      name: 'site-a-ops',
      keystoneUrl: 'https://keystone.site-a.example.org:5000/v3',
      region: 'RegionOne',
      interface: 'public',
    });
    expect(config.credentials.reader).toEqual({
      type: 'oidc-access-token',
      identityProvider: 'egi.eu',
      protocol: 'openid',
      accessToken: 'eyJ.access.token',
      projectId: '0123456789abcdef0123456789abcdef',
    });
  });

  it('lets OS_* override the cloud, and flags override both', () => {
    const cwd = egi();
    const env = {
      OS_ACCESS_TOKEN: 'tok',
      OS_PROJECT_ID: 'from-env',
      OS_REGION_NAME: 'RegionEnv',
      OS_PROTOCOL: 'oidc',
    };
    const settings = resolveOpenStackSettings({
      cloud: 'site-a-ops',
      env,
      flags: { 'os-region-name': 'RegionFlag', 'os-protocol': 'openid' },
      cwd,
    }).settings;
    const inputs = scanInputsFromSettings(settings);
    expect(inputs.region).toBe('RegionFlag');
    expect(inputs.credential).toMatchObject({
      projectId: 'from-env',
      protocol: 'openid',
      identityProvider: 'egi.eu',
    });
    // --os-cloud wins over OS_CLOUD.
    expect(
      resolveOpenStackSettings({
        cloud: 'site-a-appcred',
        env: { ...env, OS_CLOUD: 'site-a-ops' },
        flags: {},
        cwd,
      }).settings.auth_type,
    ).toBe('v3applicationcredential');
    // OS_AUTH_TYPE over the cloud's auth_type.
    expect(
      scanInputsFromSettings(
        resolveOpenStackSettings({
          cloud: 'site-a-appcred',
          env: { OS_AUTH_TYPE: 'password', OS_USERNAME: 'u', OS_PASSWORD: 'p' },
          flags: {},
          cwd,
        }).settings,
      ).credential,
    ).toMatchObject({ type: 'password', username: 'u' });
  });

  it('reads an openrc alone (no cloud): OS_*_DOMAIN_ID, OS_PROJECT_ID, OS_INTERFACE, OS_CACERT', () => {
    const raw = configFromEnvironment(
      {
        OS_AUTH_URL: 'https://keystone.example.org:5000/v3',
        OS_USERNAME: 'admin',
        OS_PASSWORD: 'pw',
        OS_USER_DOMAIN_ID: 'default',
        OS_PROJECT_NAME: 'admin',
        OS_PROJECT_DOMAIN_ID: 'default',
        OS_INTERFACE: 'internal',
        OS_CACERT: '/etc/ssl/site-ca.pem',
        OS_REGION_NAME: 'RegionOne',
      },
      { cwd: nowhere },
    );
    const config = parseScanConfig(raw);
    expect(config.site).toMatchObject({
      name: 'keystone.example.org',
      interface: 'internal',
      caFile: '/etc/ssl/site-ca.pem',
      region: 'RegionOne',
    });
    expect(config.credentials.reader).toEqual({
      type: 'password',
      username: 'admin',
      password: 'pw',
      userDomainId: 'default',
      project: 'admin',
      projectDomainId: 'default',
    });
  });

  it('picks the application credential when an id is set, and names a missing secret', () => {
    expect(
      scanInputsFromSettings({
        auth: {
          auth_url: 'https://k.example.org/v3',
          application_credential_id: 'abc',
          application_credential_secret: 's',
        },
      }).credential,
    ).toEqual({ type: 'application-credential', id: 'abc', secret: 's' });
    expect(() =>
      scanInputsFromSettings({
        auth_type: 'v3oidcaccesstoken',
        auth: { auth_url: 'https://k.example.org/v3' },
      }),
    ).toThrow(/environment variable OS_ACCESS_TOKEN is not set/);
    expect(() =>
      scanInputsFromSettings({ auth_type: 'v3oidcpassword', auth: {} }),
    ).toThrow(/auth_type v3oidcpassword is not supported/);
  });

  it('takes an application credential by name with its user, from clouds.yaml or OS_*', () => {
    const { settings } = resolveOpenStackSettings({
      cloud: 'site-a-appcred-by-name',
      env: { OS_APPLICATION_CREDENTIAL_SECRET: 'acs' },
      flags: {},
      cwd: egi(),
    });
    const inputs = scanInputsFromSettings(settings);
    expect(inputs.credential).toEqual({
      type: 'application-credential',
      name: 'ops-monitoring',
      secret: 'acs',
      username: 'ops-admin',
      userDomain: 'egi',
    });
    // A directory for cacert, as the CLI (requests) takes one: read as OpenSSL's capath.
    expect(inputs.caFile).toBe('/etc/grid-security/certificates');
    expect(
      toCredential(credentialConfigSchema.parse(inputs.credential)).credential,
    ).toEqual({
      type: 'application-credential',
      name: 'ops-monitoring',
      user: { name: 'ops-admin', domain: { name: 'egi' } },
      secret: 'acs',
    });

    const fromEnv = scanInputsFromSettings(
      resolveOpenStackSettings({
        env: {
          OS_AUTH_URL: 'https://k.example.org/v3',
          OS_APPLICATION_CREDENTIAL_NAME: 'probe',
          OS_APPLICATION_CREDENTIAL_SECRET: 's',
          OS_USER_ID: 'u1',
        },
        flags: {},
      }).settings,
    );
    expect(fromEnv.credential).toEqual({
      type: 'application-credential',
      name: 'probe',
      secret: 's',
      userId: 'u1',
    });
    expect(() =>
      scanInputsFromSettings({
        auth: {
          auth_url: 'https://k.example.org/v3',
          application_credential_name: 'probe',
          application_credential_secret: 's',
        },
      }),
    ).toThrow(
      /application_credential_name needs its user: OS_USER_ID, or OS_USERNAME/,
    );
  });

  it('maps the token-endpoint kinds: client credentials and refresh token', () => {
    const common = {
      auth_url: 'https://k.example.org/v3',
      identity_provider: 'egi.eu',
      protocol: 'openid',
      client_id: 'ops-monitoring',
      access_token_endpoint: 'https://aai.example.org/token',
      project_name: 'ops',
    };
    expect(
      scanInputsFromSettings({
        auth_type: 'v3oidcclientcredentials',
        cacert: '/ca.pem',
        auth: { ...common, client_secret: 'cs' },
      }).credential,
    ).toEqual({
      type: 'oidc-client-credentials',
      identityProvider: 'egi.eu',
      protocol: 'openid',
      tokenUrl: 'https://aai.example.org/token',
      clientId: 'ops-monitoring',
      clientSecret: 'cs',
      caFile: '/ca.pem',
      project: 'ops',
    });
    expect(
      scanInputsFromSettings({
        auth_type: 'v3oidcrefreshtoken',
        auth: { ...common, refresh_token: 'rt' },
      }).credential,
    ).toMatchObject({ type: 'oidc-refresh-token', refreshToken: 'rt' });
  });
});
