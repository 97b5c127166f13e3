import { EvidenceRecorder } from './evidence';
import { OpenStackHttp } from './http';
import { OpenStackSession } from './session';
import { Redactor } from './redaction';
import { readCaCertificates } from '../credentials/caCertificates';
import {
  reachableSync,
  SANDBOX_REQUIRED,
  sandboxLive,
  sandboxAccessToken,
  sandboxSettings,
} from '../testing/sandboxCredentials';

// Against the running sandbox (sandbox/start). Skipped, with the reason in the suite's name,
// when its Keystone does not answer, unless the test command requires the sandbox.
const settings = sandboxSettings();
const keystoneUrl = settings.SITE_A_KEYSTONE_URL ?? 'http://127.0.0.1:5000/v3';
const { live, describeLive } = sandboxLive(keystoneUrl);
const suffix = live
  ? ''
  : ` (SKIPPED: no Keystone answers at ${keystoneUrl}; run sandbox/start)`;
const federationUrl = settings.FEDSTACK_SANDBOX_FEDERATION_URL;
const oidcUrl = settings.FEDSTACK_SANDBOX_OIDC_URL;
const federationLive =
  SANDBOX_REQUIRED ||
  (live &&
    !!federationUrl &&
    !!oidcUrl &&
    reachableSync(federationUrl) &&
    reachableSync(oidcUrl));

jest.setTimeout(30_000);

const adminPassword =
  settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret';

function session(
  credential: ConstructorParameters<typeof OpenStackSession>[0]['credential'],
  recorder?: EvidenceRecorder,
) {
  return new OpenStackSession({
    keystoneUrl,
    credential,
    httpOptions: { recorder, timeoutMs: 10_000 },
  });
}

describeLive(`the live sandbox, site-a${suffix}`, () => {
  const recorder = new EvidenceRecorder();
  let admin: OpenStackSession;

  beforeAll(() => {
    admin = session(
      {
        type: 'password',
        username: settings.FEDSTACK_SANDBOX_ADMIN_USERNAME ?? 'admin',
        password: adminPassword,
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
      recorder,
    );
  });
  afterAll(() => admin.close());

  it('logs in with a password; the catalog has every public endpoint an EGI site needs', async () => {
    const token = await admin.token();
    expect(token.ok).toBe(true);
    for (const type of [
      'identity',
      'compute',
      'volumev3',
      'image',
      'network',
      'object-store',
    ]) {
      const endpoint = await admin.endpoint(type);
      expect(endpoint.ok && endpoint.value.interface).toBe('public');
    }
    const catalog = await admin.identity.authCatalog();
    expect(catalog.ok && catalog.data.length).toBeGreaterThanOrEqual(6);
  });

  it('discovers every service version', async () => {
    const results = await Promise.all([
      admin.identity.versions(),
      admin.identity.v3Version(),
      admin.compute.versions(),
      admin.compute.version(),
      admin.blockStorage.versions(),
      admin.image.versions(),
      admin.network.versions(),
    ]);
    for (const result of results) {
      expect(result.ok ? 'ok' : result.error).toBe('ok');
      expect(result.ok && result.data.length).toBeGreaterThan(0);
    }
    const swift = await admin.objectStore.info();
    expect(swift.ok ? swift.data.swift.version : swift.error).toMatch(/^\d/);
  });

  it('reads identity provider egi.eu, its openid protocol and mapping', async () => {
    const idp = await admin.identity.identityProvider('egi.eu');
    expect(idp.ok ? idp.data.remote_ids : idp.error).toContain(
      'https://aai.egi.eu/auth/realms/egi',
    );
    const protocol = await admin.identity.protocol('egi.eu', 'openid');
    expect(protocol.ok).toBe(true);
    if (!protocol.ok) return;
    const mapping = await admin.identity.mapping(protocol.data.mapping_id);
    expect(
      mapping.ok ? mapping.data.rules.length : mapping.error,
    ).toBeGreaterThan(0);
  });

  it('lists flavors and role assignments with names', async () => {
    const [flavors, grants, effective] = await Promise.all([
      admin.compute.flavors(),
      admin.identity.roleAssignments({ include_names: true }),
      admin.identity.roleAssignments({ effective: true, include_names: true }),
    ]);
    expect(
      flavors.ok ? flavors.data.some(f => f.disk >= 8) : flavors.error,
    ).toBe(true);
    expect(grants.ok ? grants.data.every(a => a.role.name) : grants.error).toBe(
      true,
    );
    expect(
      effective.ok
        ? effective.data.some(a => a.links?.membership)
        : effective.error,
    ).toBe(true);
  });

  it("follows Nova's next links through every page of servers", async () => {
    const before = admin.requestCount;
    const all = await admin.compute.servers({ all_tenants: true });
    const paged = await admin.compute.servers({ all_tenants: true, limit: 1 });
    expect(paged.ok ? paged.data.map(s => s.id) : paged.error).toEqual(
      all.ok ? all.data.map(s => s.id) : [],
    );
    // One request for the whole list, one per server with limit=1, and the empty last page.
    expect(admin.requestCount - before).toBe(
      1 + (all.ok ? all.data.length : 0) + 1,
    );
  });

  it("reads the metering's resources, following Glance's next links", async () => {
    const [volumes, routers, images, imagesByOne] = await Promise.all([
      admin.blockStorage.volumes({ all_tenants: true }),
      admin.network.routers(),
      admin.image.images(),
      admin.image.images({ limit: 1 }),
    ]);
    expect(volumes.ok ? volumes.data.length : volumes.error).toBeGreaterThan(0);
    expect(routers.ok ? routers.data.length : routers.error).toBeGreaterThan(0);
    expect(
      imagesByOne.ok ? imagesByOne.data.map(i => i.id) : imagesByOne.error,
    ).toEqual(images.ok ? images.data.map(i => i.id) : []);
  });

  it('did all of it with one token, and no secret reached the evidence', async () => {
    expect(admin.tokensIssued).toBe(1);
    const token = await admin.token();
    const recorded = JSON.stringify(recorder.evidence);
    expect(recorded).not.toContain(adminPassword);
    expect(token.ok && recorded.includes(token.value.id)).toBe(false);
  });

  it('shares one token request among concurrent callers', async () => {
    const fresh = session({
      type: 'password',
      username: 'admin',
      password: adminPassword,
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    });
    await Promise.all([
      fresh.compute.flavors(),
      fresh.identity.projects(),
      fresh.image.versions(),
      fresh.token(),
      fresh.token(),
    ]);
    expect(fresh.tokensIssued).toBe(1);
    fresh.close();
  });

  it('gives the accounting account a system-scoped token that lists users', async () => {
    const accounting = session({
      type: 'password',
      username: settings.FEDSTACK_SANDBOX_ACCOUNTING_USERNAME ?? 'accounting',
      password:
        settings.FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD ?? 'accounting-secret',
      scope: { system: 'all' },
    });
    const users = await accounting.identity.users();
    expect(users.ok ? users.data.length : users.error).toBeGreaterThan(0);
    accounting.close();
  });
});

const describeFederation = federationLive ? describe : describe.skip;

describeFederation(
  `federated login on the live sandbox${
    federationLive
      ? ''
      : ' (SKIPPED: Apache or the OIDC provider do not answer)'
  }`,
  () => {
    it('trades an OIDC access token for an unscoped token, then scopes to ops', async () => {
      const accessToken = await sandboxAccessToken(settings);
      const recorder = new EvidenceRecorder();
      const http = new OpenStackHttp({
        recorder,
        redactor: new Redactor([accessToken]),
      });
      const federated = new OpenStackSession({
        keystoneUrl,
        http,
        credential: {
          type: 'oidc',
          identityProvider: 'egi.eu',
          protocol: 'openid',
          accessToken,
          authUrl: federationUrl,
          scope: { project: { name: 'ops', domain: { id: 'default' } } },
        },
      });
      const unscoped = await federated.authenticator.token('unscoped');
      expect(unscoped.ok ? unscoped.value.user.name : unscoped.error).toMatch(
        /@egi\.eu$/,
      );
      // What federation.login does: list the projects the unscoped token may scope to.
      const projects = await federated
        .withScope('unscoped')
        .identity.authProjects();
      expect(
        projects.ok ? projects.data.map(p => p.name) : projects.error,
      ).toContain('ops');
      const scoped = await federated.token();
      expect(scoped.ok ? scoped.value.project?.name : scoped.error).toBe('ops');
      expect(federated.tokensIssued).toBe(2);
      expect(JSON.stringify(recorder.evidence)).not.toContain(accessToken);
      http.close();
    });
  },
);

// site-a's Keystone over https with a certificate of the sandbox's private CA (sandbox/README.md,
// "TLS by a private CA"): trusted only through its CA file or directory.
const tlsUrl = settings.SITE_A_KEYSTONE_TLS_URL ?? 'https://127.0.0.1:5443/v3';
const tlsLive = SANDBOX_REQUIRED || (live && reachableSync(tlsUrl));

(tlsLive ? describe : describe.skip)(
  `site-a's Keystone over https by a private CA${
    tlsLive ? '' : ` (SKIPPED: nothing answers at ${tlsUrl}; run sandbox/start)`
  }`,
  () => {
    const admin = (ca?: string[]) =>
      new OpenStackSession({
        keystoneUrl: tlsUrl,
        credential: {
          type: 'password',
          username: 'admin',
          password: adminPassword,
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
        httpOptions: { ca, timeoutMs: 10_000 },
      });

    it('logs in trusting the directory of hashed certificates (capath), and the CA file', async () => {
      const capath = settings.FEDSTACK_SANDBOX_TLS_CA_PATH;
      const caFile = settings.FEDSTACK_SANDBOX_TLS_CA_FILE;
      if (!capath || !caFile) throw new Error('the sandbox names no TLS CA');
      for (const ca of [
        readCaCertificates({ caPath: capath }),
        readCaCertificates({ caFile }),
      ]) {
        expect(ca).toHaveLength(1);
        const overTls = admin(ca);
        try {
          const token = await overTls.authenticator.token();
          if (!token.ok) throw new Error(token.error.message);
          expect(token.value.project?.name).toBe('admin');
        } finally {
          overTls.close();
        }
      }
    });

    it("fails without the CA, saying the certificate's CA is not trusted", async () => {
      const overTls = admin();
      try {
        const token = await overTls.authenticator.token();
        expect(token.ok).toBe(false);
        if (token.ok) return;
        expect(token.error).toMatchObject({
          kind: 'network',
          // The server sends its certificate alone, so OpenSSL cannot find its issuer.
          code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        });
        expect(token.error.message).toMatch(
          /^authentication failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate \(the server's certificate is not from a CA trusted here: give the site's CA certificates/,
        );
      } finally {
        overTls.close();
      }
    });
  },
);
