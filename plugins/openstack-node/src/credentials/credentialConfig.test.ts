import {
  describeAccount,
  credentialConfigSchema,
  credentialSecrets,
  OidcTokenSources,
  toCredential,
} from './credentialConfig';

const parse = (raw: unknown) => credentialConfigSchema.parse(raw);

describe('one credential config for the CLI and the backend', () => {
  it("reads the backend's applicationCredential and keystoneauth's names as the same kinds", () => {
    expect(
      parse({ type: 'applicationCredential', id: 'a', secret: 's' }).type,
    ).toBe('application-credential');
    expect(
      parse({ type: 'v3applicationcredential', id: 'a', secret: 's' }).type,
    ).toBe('application-credential');
    expect(
      parse({
        type: 'v3oidcaccesstoken',
        identityProvider: 'egi.eu',
        protocol: 'openid',
        accessToken: 't',
      }).type,
    ).toBe('oidc-access-token');
    expect(() => parse({ type: 'token', token: 'x' })).toThrow(
      /type must be one of/,
    );
  });

  it('refuses an account without its secret, and unknown fields', () => {
    expect(() => parse({ type: 'password', username: 'u' })).toThrow(
      /needs password or passwordEnv/,
    );
    expect(() =>
      parse({
        type: 'oidc-refresh-token',
        identityProvider: 'egi.eu',
        protocol: 'openid',
        tokenUrl: 'https://aai.example.org/token',
        clientId: 'c',
      }),
    ).toThrow(/needs refreshToken or refreshTokenEnv/);
    expect(() =>
      parse({ type: 'password', username: 'u', password: 'p', pasword: 'p' }),
    ).toThrow();
  });

  it('builds the password credential with ids or names, secrets from the environment', () => {
    const config = parse({
      type: 'password',
      username: 'admin',
      passwordEnv: 'OS_PASSWORD',
      userDomainId: 'default',
      project: 'admin',
      projectDomain: 'Default',
    });
    const built = toCredential(config, { env: { OS_PASSWORD: 'pw' } });
    expect(built).toEqual({
      secrets: ['pw'],
      credential: {
        type: 'password',
        username: 'admin',
        password: 'pw',
        userDomain: { id: 'default' },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    });
    expect(() =>
      toCredential(config, { env: {}, where: 'credentials.reader' }),
    ).toThrow(
      'credentials.reader: environment variable OS_PASSWORD is not set',
    );
  });

  it('builds the application credential by id, or by name with its user (id, or name and domain)', () => {
    expect(
      toCredential(
        parse({ type: 'application-credential', id: 'ac', secret: 's' }),
      ).credential,
    ).toEqual({ type: 'application-credential', id: 'ac', secret: 's' });
    const byName = parse({
      type: 'v3applicationcredential',
      name: 'monitoring',
      username: 'ops-admin',
      userDomain: 'egi',
      secretEnv: 'OS_APPLICATION_CREDENTIAL_SECRET',
    });
    expect(
      toCredential(byName, {
        env: { OS_APPLICATION_CREDENTIAL_SECRET: 'acs' },
      }),
    ).toEqual({
      secrets: ['acs'],
      credential: {
        type: 'application-credential',
        name: 'monitoring',
        user: { name: 'ops-admin', domain: { name: 'egi' } },
        secret: 'acs',
      },
    });
    expect(
      toCredential(
        parse({
          type: 'application-credential',
          name: 'monitoring',
          userId: 'u1',
          secret: 's',
        }),
      ).credential,
    ).toEqual({
      type: 'application-credential',
      name: 'monitoring',
      user: { id: 'u1' },
      secret: 's',
    });
    // A name is unique per user only: without its owner Keystone cannot find it.
    expect(() =>
      parse({
        type: 'application-credential',
        name: 'monitoring',
        secret: 's',
      }),
    ).toThrow(/name needs its owner: userId, or username/);
    expect(() =>
      parse({ type: 'application-credential', secret: 's' }),
    ).toThrow(/needs id, or name with userId or username/);
  });

  it('builds the OIDC access-token credential scoped to the project id', () => {
    const config = parse({
      type: 'oidc-access-token',
      identityProvider: 'egi.eu',
      protocol: 'openid',
      accessTokenEnv: 'OS_ACCESS_TOKEN',
      projectId: 'p1',
      authUrl: 'http://127.0.0.1:5080/v3',
    });
    expect(toCredential(config, { env: { OS_ACCESS_TOKEN: 'at' } })).toEqual({
      secrets: ['at'],
      credential: {
        type: 'oidc',
        identityProvider: 'egi.eu',
        protocol: 'openid',
        accessToken: 'at',
        authUrl: 'http://127.0.0.1:5080/v3',
        scope: { project: { id: 'p1' } },
      },
    });
  });

  it('gets the access token of the token-endpoint kinds from one token source per account', () => {
    const config = parse({
      type: 'oidc-client-credentials',
      identityProvider: 'egi.eu',
      protocol: 'openid',
      tokenUrl: 'https://aai.example.org/token',
      clientId: 'ops-monitoring',
      clientSecret: 'cs',
      project: 'ops',
    });
    expect(credentialSecrets(config)).toEqual(['cs']);
    expect(() => toCredential(config)).toThrow(/needs a token source/);
    const sources = new OidcTokenSources();
    try {
      const first = toCredential(config, { tokenSources: sources }).credential;
      expect(first).toMatchObject({
        type: 'oidc',
        scope: { project: { name: 'ops', domain: { name: 'Default' } } },
      });
      expect(typeof (first as { accessToken: unknown }).accessToken).toBe(
        'function',
      );
      // The same account config, the same source (a rotated refresh token is kept).
      const a = sources.for(config as never, {
        where: 'x',
        clientSecret: 'cs',
      });
      const b = sources.for(config as never, {
        where: 'x',
        clientSecret: 'cs',
      });
      expect(a).toBe(b);
    } finally {
      sources.close();
    }
  });
});

describe('describeAccount', () => {
  it('names each kind of account without its secret', () => {
    const accounts = [
      {
        type: 'password',
        username: 'admin',
        password: 'admin-secret',
        project: 'admin',
      },
      {
        type: 'application-credential',
        name: 'ci-reader',
        username: 'svc',
        secret: 'app-cred-secret',
      },
      {
        type: 'oidc-client-credentials',
        identityProvider: 'egi.eu',
        protocol: 'openid',
        tokenUrl:
          'https://aai.egi.eu/auth/realms/egi/protocol/openid-connect/token',
        clientId: 'ops-prober',
        clientSecret: 'client-secret',
        project: 'ops',
      },
    ].map(account => credentialConfigSchema.parse(account));
    const named = accounts.map(describeAccount);
    expect(named).toEqual([
      'admin (project admin)',
      'application credential ci-reader of svc',
      'OIDC client ops-prober through egi.eu (project ops)',
    ]);
    expect(named.join(' ')).not.toMatch(/secret/);
  });

  it('takes identityScope: system for a read-only account, with the project its services need', () => {
    const reader = parse({
      type: 'password',
      username: 'site-reader',
      password: 'pw',
      project: 'admin',
      identityScope: 'system',
    });
    expect(toCredential(reader).credential).toMatchObject({
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      identityScope: { system: 'all' },
    });
    expect(describeAccount(reader)).toBe(
      'site-reader (project admin; system scope for Keystone)',
    );
    // Without it, the identity calls use the project's token (an admin's does it all).
    expect(
      toCredential(parse({ type: 'password', username: 'u', password: 'p' }))
        .credential,
    ).toMatchObject({ identityScope: undefined });
    // No project: the services would get an unscoped token, without a catalog.
    expect(() =>
      parse({
        type: 'password',
        username: 'site-reader',
        password: 'pw',
        identityScope: 'system',
      }),
    ).toThrow(/identityScope: system needs a project/);
    expect(() =>
      parse({
        type: 'password',
        username: 'site-reader',
        password: 'pw',
        project: 'admin',
        identityScope: 'domain',
      }),
    ).toThrow(/identityScope/);
    // An application credential carries its own scope: Keystone takes no other.
    expect(() =>
      parse({
        type: 'application-credential',
        id: 'a',
        secret: 's',
        identityScope: 'system',
      }),
    ).toThrow(/identityScope/);
  });
});
